/**
 * Exact quantities of a fixed policy on a unichain MDP, by direct linear solves: the stationary
 * distributions d and μ, the gain (20), the relative values V and Q, and the gradient (21).
 * `pi` is the flat policy table π[s·A + a] (see policy.ts).
 */
import { dot, solve } from "../core/linalg.ts";
import { policyDim, policyProbs, scoreFromProbs, type PolicySpec } from "./policy.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** The state chain of π: P_π(s, s') = Σ_a π(a|s) P[s][a][s'] (row-major S×S). */
export function stateTransitions(mdp: Mdp, pi: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const M = new Float64Array(S * S);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const p = pi[s * A + a];
      const row = mdp.P[s][a];
      for (let t = 0; t < S; t++) M[s * S + t] += p * row[t];
    }
  return M;
}

/** The expected reward in each state under π: r_π(s) = Σ_a π(a|s) r(s, a). */
export function stateRewards(mdp: Mdp, pi: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const r = new Float64Array(S);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) r[s] += pi[s * A + a] * mdp.r[s][a];
  return r;
}

/**
 * The stationary state distribution d_θ: the unique solution of dᵀ P_π = dᵀ with Σ_s d(s) = 1
 * (unique because the chain is unichain), by one direct solve with the last balance equation
 * replaced by the normalization.
 */
export function stationaryDistribution(mdp: Mdp, pi: ArrayLike<number>): Float64Array {
  const { S } = mdpShape(mdp);
  const Pm = stateTransitions(mdp, pi);
  // (I − P_π)ᵀ d = 0, i.e. row t: d(t) − Σ_s P_π(s, t) d(s) = 0; row S−1 becomes Σ d = 1.
  const M = new Float64Array(S * S);
  for (let t = 0; t < S; t++) for (let s = 0; s < S; s++) M[t * S + s] = (t === s ? 1 : 0) - Pm[s * S + t];
  for (let s = 0; s < S; s++) M[(S - 1) * S + s] = 1;
  const b = new Float64Array(S);
  b[S - 1] = 1;
  const d = solve(M, b, S);
  for (let s = 0; s < S; s++) if (d[s] < 0) d[s] = 0; // rounding on transient states
  return d;
}

/** The stationary state–action distribution μ_θ(s, a) = d_θ(s) π_θ(a|s) (left undefined in the notes). */
export function stateActionDistribution(mdp: Mdp, pi: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const d = stationaryDistribution(mdp, pi);
  const mu = new Float64Array(S * A);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) mu[s * A + a] = d[s] * pi[s * A + a];
  return mu;
}

/** Eq. (20): λ_θ = Σ_{s,a} μ_θ(s, a) r(s, a), the long-run average reward of π. */
export function gain(mdp: Mdp, pi: ArrayLike<number>): number {
  const { S, A } = mdpShape(mdp);
  const mu = stateActionDistribution(mdp, pi);
  let g = 0;
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) g += mu[s * A + a] * mdp.r[s][a];
  return g;
}

/**
 * Which solution of the evaluation equation to report (its solutions differ by a constant):
 * "reference": V(0) = 0, the value of state 0 is the zero point;
 * "bias": Σ_s d(s) V(s) = 0 (equivalently Σ μ Q = 0), the limit of truncated rollouts (Section 2.3).
 */
export type Normalization = "reference" | "bias";

export interface RelativeValues {
  /** The gain as it comes out of the evaluation equation (equals (20)). */
  gain: number;
  /** V(s), length |S|. */
  V: Float64Array;
  /** Q(s, a) flat, index s·A + a. */
  Q: Float64Array;
  normalization: Normalization;
}

/**
 * The policy's relative values from its OWN evaluation equation (an average over the next action,
 * not the max printed in 2.1):
 *   Q(s, a) = r(s, a) − λ + Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') Q(s', a'),  V(s) = Σ_a π(a|s) Q(s, a).
 * Solved directly in (V(1..S−1), λ) with V(0) = 0, then shifted for the bias normalization.
 */
export function relativeValues(mdp: Mdp, pi: ArrayLike<number>, normalization: Normalization = "bias"): RelativeValues {
  const { S, A } = mdpShape(mdp);
  const Pm = stateTransitions(mdp, pi);
  const rp = stateRewards(mdp, pi);
  // Row s: V(s) − Σ_t P_π(s,t) V(t) + λ = r_π(s). Unknown 0 is λ (V(0) = 0 is fixed).
  const M = new Float64Array(S * S);
  for (let s = 0; s < S; s++) {
    M[s * S] = 1;
    for (let t = 1; t < S; t++) M[s * S + t] = (s === t ? 1 : 0) - Pm[s * S + t];
  }
  const x = solve(M, rp, S);
  const lambda = x[0];
  const V = new Float64Array(S);
  for (let s = 1; s < S; s++) V[s] = x[s];
  if (normalization === "bias") {
    const shift = dot(stationaryDistribution(mdp, pi), V);
    for (let s = 0; s < S; s++) V[s] -= shift;
  }
  const Q = new Float64Array(S * A);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) Q[s * A + a] = mdp.r[s][a] - lambda + dot(mdp.P[s][a], V);
  return { gain: lambda, V, Q, normalization };
}

/** Eq. (21): ∇θ λ_θ = Σ_{s,a} μ_θ(s, a) Q_θ(s, a) ∇θ ln π_θ(a|s), the policy gradient theorem. */
export function policyGradient(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const pi = policyProbs(mdp, policy, theta);
  const mu = stateActionDistribution(mdp, pi);
  const { Q } = relativeValues(mdp, pi, "bias");
  return weightedScoreSum(mdp, policy, pi, (s, a) => mu[s * A + a] * Q[s * A + a], S, A);
}

/** Σ_{s,a} w(s, a) ∇θ ln π(a|s), with a fast path for the tabular policy. */
export function weightedScoreSum(
  mdp: Mdp,
  policy: PolicySpec,
  pi: ArrayLike<number>,
  w: (s: number, a: number) => number,
  S = mdpShape(mdp).S,
  A = mdpShape(mdp).A,
): Float64Array {
  const g = new Float64Array(policyDim(mdp, policy));
  if (policy.kind === "tabular") {
    // Σ_a w(s,a)(1_a − π(·|s)) on the block of s.
    for (let s = 0; s < S; s++) {
      let tot = 0;
      for (let a = 0; a < A; a++) tot += w(s, a);
      for (let a = 0; a < A; a++) g[s * A + a] = w(s, a) - tot * pi[s * A + a];
    }
    return g;
  }
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const c = w(s, a);
      if (c === 0) continue;
      const sc = scoreFromProbs(mdp, policy, pi, s, a);
      for (let i = 0; i < g.length; i++) g[i] += c * sc[i];
    }
  return g;
}
