/**
 * Chapter 2's contract: average-reward MDPs (notes §2, equations (20)–(27)).
 *
 * Conventions shared by every member:
 * - An MDP is plain data `{ P, r }` (src/average-return/types.ts): P[s][a][s'] transition probabilities,
 *   r[s][a] expected rewards. States 0..S−1, actions 0..A−1. Unichain under full-support policies.
 * - State–action arrays are flat Float64Arrays of length S·A, index s·A + a (π, μ, Q, tabular θ, ψ).
 * - A policy is given by a PolicySpec and θ: tabular Gibbs π(a|s) ∝ exp θ[s·A + a], or log-linear
 *   π(a|s) ∝ exp(φ(s, a)·θ) with features φ = spec.features[s][a] of length n.
 * - Every function is pure: fresh arrays out, inputs never mutated. Randomness only via `rng`.
 * - Accuracy (src/contract/accuracy.ts): values within ACCURACY (rel 1e-9, abs 1e-12 times the size of
 *   the terms they are summed from); solutions of linear systems (d, and Q, V, λ of the evaluation
 *   equation) judged by the residual of their defining equations, at most RESIDUAL (1e-10), so an
 *   iterative solver run to a residual of 1e-13 passes on every unichain chain, periodic and slowly
 *   mixing ones included. Gradients are also compared with central finite differences, within
 *   1e-7 + 1e-5·|g|.
 */
import type { Rng } from "./random.ts";
import type { Mdp } from "../average-return/types.ts";
import type { PolicySpec } from "../average-return/policy.ts";
import type { Normalization, RelativeValues } from "../average-return/exact.ts";
import type { ActorCriticOptions, ActorCriticResult, CriticSpec, Transition } from "../average-return/td.ts";

export type {
  Mdp,
  PolicySpec,
  Normalization,
  RelativeValues,
  ActorCriticOptions,
  ActorCriticResult,
  CriticSpec,
  Transition,
};

export interface Chapter2 {
  /**
   * Check plain data (e.g. parsed JSON) and return it as an Mdp. Bad input throws an Error whose
   * message begins with the JSON path of the problem (`$.P[1][0]: probabilities sum to 0.9, not 1`):
   * ragged shapes, non-numbers, negative probabilities, rows not summing to 1 (±1e-9), and a chain
   * with more than one closed class under a full-support policy (message contains "unichain").
   */
  validateMdp(input: unknown): Mdp;

  /** Eq. (2) per state: the policy table π[s·A + a] = πθ(a|s); each state's row sums to 1. Within ACCURACY. */
  policyProbs(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>): Float64Array;

  /** The score ∇θ ln πθ(a|s) (length of θ); must equal the gradient of θ ↦ ln πθ(a|s). */
  policyScore(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>, s: number, a: number): Float64Array;

  /**
   * The stationary state distribution d: dᵀ P_π = dᵀ, Σ d = 1 (length S; zero on transient states).
   * Judged by its residual: ‖dᵀP_π − dᵀ‖∞ ≤ RESIDUAL, |Σ d − 1| ≤ RESIDUAL, every d(s) ≥ −RESIDUAL (on
   * transient states d is then as small as the residual forces it to be).
   */
  stationaryDistribution(mdp: Mdp, pi: ArrayLike<number>): Float64Array;

  /** μ(s, a) = d(s) π(a|s), flat (length S·A), with d as stationaryDistribution's; within ACCURACY of that product. */
  stateActionDistribution(mdp: Mdp, pi: ArrayLike<number>): Float64Array;

  /** Eq. (20): the gain λ = Σ_{s,a} μ(s, a) r(s, a), within ACCURACY of that sum (with the μ above). */
  gain(mdp: Mdp, pi: ArrayLike<number>): number;

  /**
   * The policy's relative values from its own evaluation equation
   *   Q(s, a) = r(s, a) − λ + Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') Q(s', a'),  V(s) = Σ_a π(a|s) Q(s, a),
   * normalized by "reference" (V(0) = 0) or "bias" (Σ_s d(s) V(s) = 0). Returns gain, V, Q.
   * Judged by residuals: with the returned gain, the equation for Q, V = Σ_a π Q and the normalization
   * each hold within RESIDUAL·max(1, ‖Q‖∞) (on a slowly mixing chain Q grows like 1/gap).
   */
  relativeValues(mdp: Mdp, pi: ArrayLike<number>, normalization: Normalization): RelativeValues;

  /** Eq. (21): ∇θ λθ = Σ μθ(s, a) Qθ(s, a) ∇θ ln πθ(a|s); must equal finite differences of λθ (1e-7 + 1e-5·|g|). */
  policyGradient(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>): Float64Array;

  /** Eq. (22): θ' = θ + α q ∇θ ln πθ(a|s), with q = Q(s, a) given. */
  gainReinforceStep(
    mdp: Mdp,
    policy: PolicySpec,
    theta: ArrayLike<number>,
    s: number,
    a: number,
    q: number,
    alpha: number,
  ): Float64Array;

  /** Eq. (23): θ' = θ + α (q − v) ∇θ ln πθ(a|s), with q = Q(s, a), v = V(s) given. */
  baselinedGainStep(
    mdp: Mdp,
    policy: PolicySpec,
    theta: ArrayLike<number>,
    s: number,
    a: number,
    q: number,
    v: number,
    alpha: number,
  ): Float64Array;

  /** E over (s, a) ~ μθ of (θ' − θ)/α for (22) ("q") or (23) ("advantage"); both equal ∇λθ. */
  expectedGainUpdate(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>, kind: "q" | "advantage"): Float64Array;

  /**
   * Average reward (1/T) Σ_{t<T} r(S_t, A_t) of one simulated trajectory under π, started in state
   * `start` or in a state drawn from the distribution `start`.
   */
  trajectoryAverageReward(
    mdp: Mdp,
    pi: ArrayLike<number>,
    start: number | ArrayLike<number>,
    T: number,
    rng: Rng,
  ): number;

  /** §2.3: one rollout Q̂_K = Σ_{k<K} (r(S̃_k, Ã_k) − λ) with S̃_0 = s, Ã_0 = a, Ã_k ~ π after. */
  sampleRollout(mdp: Mdp, pi: ArrayLike<number>, s: number, a: number, K: number, lambda: number, rng: Rng): number;

  /** §2.3: the exact E[Q̂_K] = Σ_{k<K} M^k (r − λ1) for every pair (flat, length S·A). */
  expectedRollout(mdp: Mdp, pi: ArrayLike<number>, K: number, lambda: number): Float64Array;

  /** Eq. (25): d = reward − λ + qNext − q. */
  tdError(reward: number, lambda: number, qNext: number, q: number): number;

  /** Eqs. (25)–(27): one critic step (tabular or linear critic); returns ψ', λ' and d. */
  criticStep(
    mdp: Mdp,
    critic: CriticSpec,
    psi: ArrayLike<number>,
    lambda: number,
    tr: Transition,
    beta: number,
  ): { psi: Float64Array; lambda: number; d: number };

  /** Eq. (24): θ' = θ + α (Q̃(s, a) − Σ_b π(b|s) Q̃(s, b)) ∇θ ln πθ(a|s). */
  actorStep(
    mdp: Mdp,
    policy: PolicySpec,
    theta: ArrayLike<number>,
    critic: CriticSpec,
    psi: ArrayLike<number>,
    s: number,
    a: number,
    alpha: number,
  ): Float64Array;

  /**
   * The actor-critic (24)–(27) along one trajectory; `trace` samples the exact λθ over time. A_0 ~ π_θ0(·|S_0);
   * at step t: R = r(S_t, A_t), S_{t+1} ~ P[S_t][A_t], A_{t+1} ~ π_θt(·|S_{t+1}) (the policy before this
   * step's update), then the actor (24) and the critic (25)–(27), both with ψ_t and λ_t. Every draw is the
   * inverse CDF of one uniform u from rng (the first index whose cumulative probability exceeds u), so a
   * run is replayable exactly from its uniforms; iterates within ACCURACY of that replay.
   */
  runActorCritic(
    mdp: Mdp,
    policy: PolicySpec,
    critic: CriticSpec,
    options: ActorCriticOptions,
    rng: Rng,
  ): ActorCriticResult;

  /** The fixed point (ψ, λ) of linear TD for a fixed π: E_μ[d φ] = 0 and E_μ[d] = 0. */
  linearTdFixedPoint(mdp: Mdp, pi: ArrayLike<number>, features: number[][][]): { psi: Float64Array; lambda: number };
}

export const CHAPTER2_FUNCTIONS = [
  "validateMdp",
  "policyProbs",
  "policyScore",
  "stationaryDistribution",
  "stateActionDistribution",
  "gain",
  "relativeValues",
  "policyGradient",
  "gainReinforceStep",
  "baselinedGainStep",
  "expectedGainUpdate",
  "trajectoryAverageReward",
  "sampleRollout",
  "expectedRollout",
  "tdError",
  "criticStep",
  "actorStep",
  "runActorCritic",
  "linearTdFixedPoint",
] as const satisfies readonly (keyof Chapter2)[];
