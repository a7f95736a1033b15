// Correct: a complete Chapter 1 written another way — the Gibbs policy through log-sum-exp, a sampler that inverts the CDF from the last action — so its results differ from the reference by round-off only.
import type { Rng } from "pgbook/contract";

/** ln Σ e^{θ_a}, with the largest score factored out so nothing overflows. */
function logSumExp(theta: Float64Array): number {
  let m = -Infinity;
  for (const t of theta) if (t > m) m = t;
  let s = 0;
  for (const t of theta) s += Math.exp(t - m);
  return m + Math.log(s);
}

/** Eq. (2) through eq. (3): πθ(a) = exp(θₐ − ln Σ e^{θ_{a'}}). */
export function gibbsPolicy(theta: Float64Array): Float64Array {
  const lse = logSumExp(theta);
  return Float64Array.from(theta, (t) => Math.exp(t - lse));
}

/** Eq. (5): ∇θ ln πθ(a) = 1ₐ − πθ. */
export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  const p = gibbsPolicy(theta);
  return p.map((x, i) => (i === a ? 1 - x : -x));
}

/** Eqs. (9), (16): ∇θ πθ(a) = πθ(a)(1ₐ − πθ). */
export function gibbsPolicyGradient(theta: Float64Array, a: number): Float64Array {
  const p = gibbsPolicy(theta);
  return p.map((x, i) => p[a] * ((i === a ? 1 : 0) - x));
}

/** A ~ πθ from one uniform, inverting the CDF from the last action down (P(A ≥ i) against u). */
export function sampleAction(theta: Float64Array, rng: Rng): number {
  const p = gibbsPolicy(theta);
  const u = rng();
  let tail = 0;
  for (let i = p.length - 1; i > 0; i--) {
    tail += p[i];
    if (u < tail) return i;
  }
  return 0;
}

/** Eq. (1) with (5): θ' = θ + αR(1ₐ − πθ). */
export function reinforceStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const p = gibbsPolicy(theta);
  return theta.map((t, i) => t + stepSize * reward * ((i === a ? 1 : 0) - p[i]));
}

/** Eq. (6): θ'ₐ = θₐ + α(1 − πθ(a))R, θ'_b = θ_b − απθ(b)R. */
export function componentwiseStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const p = gibbsPolicy(theta);
  const next = Float64Array.from(theta, (t, b) => t - stepSize * p[b] * reward);
  next[a] = theta[a] + stepSize * (1 - p[a]) * reward;
  return next;
}

/** Eq. (13): REINFORCE on the reward R − B. */
export function reinforceBaselineStep(theta: Float64Array, a: number, reward: number, baseline: number, stepSize: number): Float64Array {
  return reinforceStep(theta, a, reward - baseline, stepSize);
}

/** B_t = (1/t) Σ R_k, and B_0 = 0. */
export function runningAverageBaseline(rewards: ArrayLike<number>): number {
  if (rewards.length === 0) return 0;
  let s = 0;
  for (let k = 0; k < rewards.length; k++) s += rewards[k];
  return s / rewards.length;
}

/** B_t from B_{t−1}: ((t − 1)·B_{t−1} + R_t) / t. */
export function updateRunningAverage(previous: number, t: number, reward: number): number {
  return ((t - 1) * previous + reward) / t;
}

/** Eq. (7): λθ = Σₐ πθ(a) r(a). */
export function averageReward(theta: Float64Array, r: Float64Array): number {
  const p = gibbsPolicy(theta);
  return p.reduce((s, x, a) => s + x * r[a], 0);
}

/** Eq. (11): ∇λθ = Σₐ πθ(a) r(a) ∇ln πθ(a), summed action by action. */
export function exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array {
  const p = gibbsPolicy(theta);
  const g = new Float64Array(theta.length);
  for (let a = 0; a < p.length; a++) {
    for (let i = 0; i < g.length; i++) g[i] += p[a] * r[a] * ((i === a ? 1 : 0) - p[i]);
  }
  return g;
}
