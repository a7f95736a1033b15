/**
 * Chapter 1's contract: the bandit functions a student implements (notes §1, equations (1)–(19)).
 *
 * Conventions shared by every member:
 * - Actions are the indices 0, …, k−1 of the score vector θ (a Float64Array of length k ≥ 1).
 * - Every function is pure: it returns fresh arrays and never mutates its arguments.
 * - Randomness enters only through an injected `rng: Rng` (src/contract/random.ts): a function returning
 *   uniform draws in [0, 1). Nothing may call Math.random.
 * - `r` is the vector of mean rewards r(a) = E[R_{t+1} | A_t = a], one entry per action.
 * - Accuracy (src/contract/accuracy.ts): every number returned — probabilities, scores, gradients,
 *   averages, and each component θ'_i of a step — must lie within ACCURACY of its exact value,
 *   |returned − exact| ≤ ACCURACY.abs + ACCURACY.rel·|exact| (1e-12 + 1e-9·|exact|). The checks allow
 *   exactly that, so any way of computing the same quantity (a max-shifted or log-sum-exp softmax,
 *   sums in another order) passes. Where a check combines several returned values (a sum over actions,
 *   a step's move (θ' − θ)/α, a replay over many steps) it allows the sum of their allowances; where it
 *   compares with central finite differences it allows 1e-7 + 1e-5·|x| (their own error), which assumes
 *   the function is smooth at round-off level, as any float64 implementation is.
 */
import type { Rng } from "./random.ts";

export interface Chapter1 {
  /**
   * Eq. (2): the Gibbs (softmax) policy πθ(a) = e^{θ_a} / Σ_{a'} e^{θ_{a'}}.
   * Must be a probability vector for every finite θ (no overflow for large |θ|), and invariant
   * under adding a constant to every θ_a. Accuracy: each πθ(a) within ACCURACY of the exact value,
   * including at |θ| up to 700 and beyond (where e^θ itself overflows or underflows).
   */
  gibbsPolicy(theta: Float64Array): Float64Array;

  /**
   * Eqs. (3)–(5): the score ∇θ ln πθ(a) = 1ₐ − πθ of the Gibbs policy, a vector of length k.
   * Must equal the gradient of θ ↦ ln πθ(a) (checked against central finite differences).
   * Accuracy: each component within ACCURACY of 1ₐ − πθ.
   */
  gibbsScore(theta: Float64Array, a: number): Float64Array;

  /**
   * Eqs. (9), (16): the gradient of one action's probability, ∇θ πθ(a) = πθ(a)(1ₐ − πθ).
   * Must equal the gradient of θ ↦ πθ(a). Accuracy: each component within ACCURACY of πθ(a)(1ₐ − πθ).
   */
  gibbsPolicyGradient(theta: Float64Array, a: number): Float64Array;

  /**
   * Draw an action A ~ πθ, using `rng` for every random draw (one or more uniforms).
   * Must return an integer in [0, k) with P(A = a) = πθ(a) — the index a itself, for every θ (not
   * its rank or any other relabelling). Checked as a distribution: the empirical CDF over action
   * indices at several random θ against πθ's (DKW bound, false-failure rate 1e-9 in all).
   */
  sampleAction(theta: Float64Array, rng: Rng): number;

  /**
   * Eq. (1): one REINFORCE step θ' = θ + α·R·∇θ ln πθ(A) for the Gibbs policy, where A = `a` is
   * the action taken at θ and R = `reward` the reward observed. Returns θ' (inputs untouched).
   * Accuracy: each θ'_i within ACCURACY of the exact θ'_i.
   */
  reinforceStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array;

  /**
   * Eq. (6): the same step written componentwise,
   * θ'_a = θ_a + α(1 − πθ(a))R for a = A, θ'_b = θ_b − α·πθ(b)·R for b ≠ A.
   * Must agree with `reinforceStep` (the identity (6) = (1) with (5)). Returns θ'.
   * Accuracy: each θ'_i within ACCURACY of the exact θ'_i.
   */
  componentwiseStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array;

  /**
   * Eq. (13): REINFORCE with a baseline, θ' = θ + α(R − B)·∇θ ln πθ(A). `baseline` is B_t, which the
   * caller computes from θ and the history before the current action is drawn. Returns θ'.
   * Accuracy: each θ'_i within ACCURACY of the exact θ'_i.
   */
  reinforceBaselineStep(
    theta: Float64Array,
    a: number,
    reward: number,
    baseline: number,
    stepSize: number,
  ): Float64Array;

  /**
   * The running-average baseline of §1.4: B_t = (1/t) Σ_{k=1}^{t} R_k for the rewards R_1, …, R_t
   * observed before the current action (`rewards` lists them in order, t = rewards.length).
   * The notes leave B_0 undefined (1/0 at t = 0); the book sets B_0 = 0, so an empty list gives 0.
   * Accuracy: within ACCURACY of the exact mean.
   */
  runningAverageBaseline(rewards: ArrayLike<number>): number;

  /**
   * The same baseline computed incrementally: B_t = B_{t−1} + (R_t − B_{t−1}) / t for t ≥ 1, given
   * `previous` = B_{t−1}, the count `t` and the newest reward R_t. (With B_0 = 0 this reproduces
   * `runningAverageBaseline` exactly up to rounding.) Accuracy: within ACCURACY of the exact
   * B_{t−1} + (R_t − B_{t−1})/t for the given arguments; over t updates the errors may add up, and the
   * check of t steps against the direct mean allows t times the allowance.
   */
  updateRunningAverage(previous: number, t: number, reward: number): number;

  /** Eq. (7): the average reward λθ = Σₐ πθ(a) r(a) of the Gibbs policy. Accuracy: within ACCURACY of the exact λθ. */
  averageReward(theta: Float64Array, r: Float64Array): number;

  /**
   * Eqs. (8)–(11): the exact policy gradient ∇θ λθ = Σₐ πθ(a) r(a) ∇θ ln πθ(a).
   * Must equal the gradient of `averageReward` in θ (checked by central finite differences).
   * Accuracy: each component within ACCURACY of the exact ∇θ λθ = πθ ⊙ (r − λθ).
   */
  exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array;
}

/** The names of chapter 1's functions, in the order the chapter introduces them. */
export const CHAPTER1_FUNCTIONS = [
  "gibbsPolicy",
  "gibbsScore",
  "gibbsPolicyGradient",
  "sampleAction",
  "reinforceStep",
  "componentwiseStep",
  "reinforceBaselineStep",
  "runningAverageBaseline",
  "updateRunningAverage",
  "averageReward",
  "exactPolicyGradient",
] as const satisfies readonly (keyof Chapter1)[];

/** The functions of Chapter 1 that a REINFORCE run on a bandit calls at each step (measure/bandits/run.ts). */
export type BanditEngine = Pick<
  Chapter1,
  "gibbsPolicy" | "sampleAction" | "reinforceStep" | "reinforceBaselineStep" | "updateRunningAverage"
>;
