/**
 * A correct Chapter 1 submission, written apart from the book's reference code (src/) so that
 * grading it tests the grader and the specs rather than comparing the reference with itself.
 */
import type { Chapter1 } from "pgbook/contract";
import type { Rng } from "pgbook/contract";

/** Eq. (2): softmax with the maximum subtracted, so large scores do not overflow. */
export const gibbsPolicy: Chapter1["gibbsPolicy"] = (theta) => {
  let max = -Infinity;
  for (const t of theta) max = Math.max(max, t);
  const p = new Float64Array(theta.length);
  let total = 0;
  for (let i = 0; i < theta.length; i++) {
    p[i] = Math.exp(theta[i] - max);
    total += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= total;
  return p;
};

/** Eq. (5): 1ₐ − πθ. */
export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  const p = gibbsPolicy(theta);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) g[i] = (i === a ? 1 : 0) - p[i];
  return g;
}

/** ∇θ πθ(a) = πθ(a)(1ₐ − πθ). */
export function gibbsPolicyGradient(theta: Float64Array, a: number): Float64Array {
  const p = gibbsPolicy(theta);
  return gibbsScore(theta, a).map((s) => p[a] * s);
}

/** Inverse-CDF sampling with one uniform draw. */
export function sampleAction(theta: Float64Array, rng: Rng): number {
  const p = gibbsPolicy(theta);
  const u = rng();
  let acc = 0;
  for (let i = 0; i < p.length - 1; i++) {
    acc += p[i];
    if (u < acc) return i;
  }
  return p.length - 1;
}

/** Eq. (1). */
export function reinforceStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  return reinforceBaselineStep(theta, a, reward, 0, stepSize);
}

/** Eq. (6). */
export function componentwiseStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const p = gibbsPolicy(theta);
  return theta.map((t, b) => (b === a ? t + stepSize * (1 - p[b]) * reward : t - stepSize * p[b] * reward));
}

/** Eq. (13). */
export function reinforceBaselineStep(theta: Float64Array, a: number, reward: number, baseline: number, stepSize: number): Float64Array {
  const s = gibbsScore(theta, a);
  return theta.map((t, i) => t + stepSize * (reward - baseline) * s[i]);
}

/** B_t, the mean of the rewards so far (0 for none). */
export function runningAverageBaseline(rewards: ArrayLike<number>): number {
  let b = 0;
  for (let t = 1; t <= rewards.length; t++) b += (rewards[t - 1] - b) / t;
  return b;
}

export function updateRunningAverage(previous: number, t: number, reward: number): number {
  return previous + (reward - previous) / t;
}

/** Eq. (7). */
export function averageReward(theta: Float64Array, r: Float64Array): number {
  const p = gibbsPolicy(theta);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i] * r[i];
  return s;
}

/** Eq. (11): Σₐ πθ(a) r(a) (1ₐ − πθ) = π ⊙ (r − λ). */
export function exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array {
  const p = gibbsPolicy(theta);
  const lambda = averageReward(theta, r);
  return p.map((pi, i) => pi * (r[i] - lambda));
}
