/**
 * The Gibbs (softmax) policy over a finite action set and its derivatives (notes §1.2, eqs. (2)–(6)).
 * Actions are the indices of the score vector θ; every function returns fresh arrays.
 */
import type { Rng } from "../contract/random.ts";
import { sampleIndex, softmaxInto } from "../core/distributions.ts";

/** Eq. (2): πθ(a) = e^{θₐ} / Σ_{a'} e^{θ_{a'}}, with the largest score subtracted first so nothing overflows. */
export function gibbsPolicy(theta: Float64Array): Float64Array {
  return softmaxInto(theta, new Float64Array(theta.length));
}

/** Eq. (5): ∇θ ln πθ(a) = 1ₐ − πθ, the score of the Gibbs policy. */
export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  const g = gibbsPolicy(theta);
  for (let i = 0; i < g.length; i++) g[i] = -g[i];
  g[a] += 1;
  return g;
}

/** Eqs. (9), (16): ∇θ πθ(a) = πθ(a)(1ₐ − πθ), the gradient of one action's probability. */
export function gibbsPolicyGradient(theta: Float64Array, a: number): Float64Array {
  const p = gibbsPolicy(theta);
  const pa = p[a];
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) g[i] = -pa * p[i];
  g[a] += pa;
  return g;
}

/** Draw A ~ πθ by inverting the cumulative distribution at one uniform draw (the intervals of `sampleIndex`). */
export function sampleAction(theta: Float64Array, rng: Rng): number {
  return sampleIndex(gibbsPolicy(theta), rng());
}

/**
 * Eq. (6): the REINFORCE step for the Gibbs policy, componentwise:
 * θ'ₐ = θₐ + α(1 − πθ(a))R for a = A, and θ'_b = θ_b − α·πθ(b)·R for b ≠ A.
 */
export function componentwiseStep(theta: Float64Array, a: number, reward: number, stepSize: number): Float64Array {
  const p = gibbsPolicy(theta);
  const next = new Float64Array(theta.length);
  for (let b = 0; b < theta.length; b++) {
    next[b] = b === a ? theta[b] + stepSize * (1 - p[b]) * reward : theta[b] - stepSize * p[b] * reward;
  }
  return next;
}
