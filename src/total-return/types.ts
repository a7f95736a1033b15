/**
 * Finite-horizon problems (Section 3.1): Chapter 2's MDP with a horizon T, an initial-state
 * distribution, optional absorbing terminal states and optional features of a log-linear policy.
 */
import type { Mdp } from "../average-return/types.ts";

export interface EpisodicProblem {
  /** The MDP: transitions P[s][a][s'] and expected rewards r[s][a] (Chapter 2's type). */
  mdp: Mdp;
  /** The horizon T: an episode makes at most T decisions, at times 0, …, T − 1. */
  horizon: number;
  /** The distribution of S₀ over the states. */
  initial: number[];
  /** Absorbing terminal states: an episode that reaches one ends there, with no further action or reward. */
  terminal?: number[];
  /**
   * Features φ[s][a] ∈ ℝᵈ of a log-linear policy π(a|s) ∝ exp(θ·φ(s, a)), parameters shared across
   * states. Without features the policy is tabular Gibbs: one parameter θ[s·A + a] per pair.
   */
  features?: number[][][];
}

/**
 * One simulated episode S₀, A₀, R₁, S₁, …, A_{τ−1}, R_τ, S_τ with τ ≤ T decisions (τ < T only when a
 * terminal state is reached). `states` has τ + 1 entries, `actions` and `rewards` τ; rewards[t] is R_{t+1}.
 */
export interface Episode {
  states: number[];
  actions: number[];
  rewards: number[];
}

/** Time-indexed values of a policy: Q[t][s][a] = Q_t(s, a) and V[t][s] = V_t(s) for t = 0, …, T − 1. */
export interface TimeValues {
  Q: Float64Array[][];
  V: Float64Array[];
}

/** The estimators episodic REINFORCE can be run with (see trainEpisodic). */
export type EpisodicEstimator = "full-return" | "reward-to-go" | "value-baseline" | "running-baseline";

export interface TrainOptions {
  estimator: EpisodicEstimator;
  /** Number of episodes L (one update per episode). */
  episodes: number;
  /** The constant step size α. */
  stepSize: number;
  /** Step size of the running baseline b_t(s) ← b_t(s) + β(Ĝ_t − b_t(s)); default 0.1. */
  baselineStep?: number;
  /** Initial parameters (default: zeros, the uniform policy). */
  theta0?: ArrayLike<number>;
}

export interface TrainResult {
  /** J(θ_ℓ) for ℓ = 0, …, L, computed exactly (the learning curve). */
  J: Float64Array;
  /** The final parameters θ_L. */
  theta: Float64Array;
}
