/**
 * Chapter 3's contract (notes §3.1, equations (28)–(30)): finite-horizon problems, exact total
 * return and time-indexed values, the expected update (28) and its single-episode estimators.
 * θ is a Float64Array: tabular Gibbs (θ[s·A + a]) or log-linear over the problem's features.
 *
 * Accuracy (src/contract/accuracy.ts): every number a member returns — probabilities, scores, values,
 * J, gradients, estimates — must lie within ACCURACY (1e-9 relative plus 1e-12 absolute) of the exact
 * value of what its comment states, for the checks' instances (θ up to a few units, rewards of order
 * one, horizons of a few steps). Quantities copied from the input (R_{t+1} = r(S_t, A_t), terminal
 * zeros, untouched baseline entries) are exact. The checks compare at that tolerance (twice it where
 * two of the implementation's results must agree), and gradients against finite differences at
 * 1e-7 + 1e-5·|g|, which also asks of J and ln π an accuracy near float64 rounding (about 1e-13).
 */
import type { Rng } from "./random.ts";
import type { Episode, EpisodicProblem, TimeValues, TrainOptions, TrainResult } from "../total-return/types.ts";

export type { Episode, EpisodicProblem, TimeValues, TrainOptions, TrainResult };

export interface Chapter3 {
  /** π_θ(·|s): the Gibbs distribution over actions in state s (each entry to ACCURACY). */
  episodicPolicy(problem: EpisodicProblem, theta: Float64Array, s: number): Float64Array;
  /** ∇θ ln π_θ(a|s): φ(s, a) − Σ_b π_θ(b|s) φ(s, b) (tabular: one-hot features), to ACCURACY. */
  episodicScore(problem: EpisodicProblem, theta: Float64Array, s: number, a: number): Float64Array;
  /** Simulate one episode under π_θ from S₀ ~ initial, drawing with `rng` only (rewards copied exactly from r). */
  sampleEpisode(problem: EpisodicProblem, theta: Float64Array, rng: Rng): Episode;
  /** P(S_t = s) for t = 0, …, T (terminal states keep the mass that reached them), each to ACCURACY. */
  stateDistributions(problem: EpisodicProblem, theta: Float64Array): Float64Array[];
  /** J(θ) = E[R₁ + … + R_T], by forward propagation of the state distribution, to ACCURACY. */
  totalReturn(problem: EpisodicProblem, theta: Float64Array): number;
  /**
   * Q_t and V_t for t = 0, …, T − 1 by backward induction (zero in terminal states), each entry to ACCURACY
   * (checked where reachable, through P(S_t = s, A_t = a)·Q_t(s, a), which keeps rare states well conditioned).
   */
  timeIndexedValues(problem: EpisodicProblem, theta: Float64Array): TimeValues;
  /** E[(28)] = Σ_t Σ_s P(S_t = s) Σ_a π(a|s) Q_t(s, a) ∇ ln π(a|s) = ∇J(θ), to ACCURACY. */
  expectedUpdate(problem: EpisodicProblem, theta: Float64Array): Float64Array;
  /** Eq. (28) for one episode, with the exact Q_t: Σ_t Q_t(S_t, A_t) ∇ ln π(A_t|S_t). Each component to ACCURACY. */
  update28(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array;
  /** Eq. (29): Σ_t Ĝ_t ∇ ln π(A_t|S_t) with the reward-to-go Ĝ_t = R_{t+1} + … + R_T. Each component to ACCURACY. */
  reinforceRewardToGo(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array;
  /** The full-return variant: Ĝ₀ Σ_t ∇ ln π(A_t|S_t). Each component to ACCURACY. */
  reinforceFullReturn(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array;
  /** Eq. (30) for one episode, exact: Σ_t (Q_t(S_t, A_t) − V_t(S_t)) ∇ ln π(A_t|S_t). Each component to ACCURACY. */
  update30(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array;
  /** Eq. (30) estimated: Σ_t (Ĝ_t − V_t(S_t)) ∇ ln π(A_t|S_t), reward-to-go with the exact V_t baseline. Each component to ACCURACY. */
  reinforceValueBaseline(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array;
  /** Σ_t (Ĝ_t − b[t][S_t]) ∇ ln π(A_t|S_t) for a baseline table b fixed before the episode. Each component to ACCURACY. */
  reinforceBaseline(
    problem: EpisodicProblem,
    theta: Float64Array,
    episode: Episode,
    baseline: ArrayLike<number>[],
  ): Float64Array;
  /** The running baseline after an episode: b[t][S_t] ← b[t][S_t] + β(Ĝ_t − b[t][S_t]) (a new table; moved entries to ACCURACY, the others exact). */
  updateRunningBaseline(baseline: ArrayLike<number>[], episode: Episode, step: number): Float64Array[];
  /**
   * Episodic REINFORCE: one episode and one update θ ← θ + α·ĝ per iteration, with J(θ_ℓ) recorded; θ and
   * every J(θ_ℓ) to ACCURACY of the same loop computed exactly on the same episodes.
   */
  trainEpisodic(problem: EpisodicProblem, options: TrainOptions, rng: Rng): TrainResult;
}

export const CHAPTER3_FUNCTIONS = [
  "episodicPolicy",
  "episodicScore",
  "sampleEpisode",
  "stateDistributions",
  "totalReturn",
  "timeIndexedValues",
  "expectedUpdate",
  "update28",
  "reinforceRewardToGo",
  "reinforceFullReturn",
  "update30",
  "reinforceValueBaseline",
  "reinforceBaseline",
  "updateRunningBaseline",
  "trainEpisodic",
] as const satisfies readonly (keyof Chapter3)[];
