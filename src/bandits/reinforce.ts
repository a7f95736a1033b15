/** REINFORCE for bandits (notes §1.1 and §1.4): the plain update (1), the baselined update (13), the running-average baseline. */
import { gibbsScore } from "./gibbs.ts";

/** Eq. (1): θ' = θ + α·R·∇θ ln πθ(A), with the Gibbs score (5). */
export function reinforceStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  return reinforceBaselineStep(theta, a, reward, 0, stepSize);
}

/** Eq. (13): θ' = θ + α(R − B)·∇θ ln πθ(A), B fixed by θ and the history before A is drawn. */
export function reinforceBaselineStep(
  theta: Float64Array,
  a: number,
  reward: number,
  baseline: number,
  stepSize: number,
): Float64Array {
  const g = gibbsScore(theta, a);
  const c = stepSize * (reward - baseline);
  for (let i = 0; i < g.length; i++) g[i] = theta[i] + c * g[i];
  return g;
}

/**
 * §1.4's running average B_t = (1/t) Σ_{k=1}^{t} R_k of the rewards seen so far. The notes'
 * formula is 0/0 at t = 0; the book takes B_0 = 0, so the first step is unbaselined.
 */
export function runningAverageBaseline(rewards: ArrayLike<number>): number {
  const t = rewards.length;
  if (t === 0) return 0;
  let s = 0;
  for (let k = 0; k < t; k++) s += rewards[k];
  return s / t;
}

/** B_t = B_{t−1} + (R_t − B_{t−1}) / t (t ≥ 1): the running average updated in O(1). */
export function updateRunningAverage(previous: number, t: number, reward: number): number {
  return previous + (reward - previous) / t;
}
