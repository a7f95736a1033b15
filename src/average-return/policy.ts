/**
 * Differentiable policies over a finite MDP. State–action arrays are flat, index s·A + a.
 * - tabular Gibbs: θ has one entry per pair, π(a|s) = exp θ[s,a] / Σ_b exp θ[s,b];
 * - log-linear: θ ∈ ℝⁿ and features φ(s, a) ∈ ℝⁿ, π(a|s) ∝ exp(φ(s, a)·θ).
 * The theorem (21) holds for any such parameterization; the specs check both.
 */
import { sampleIndex, softmaxInto } from "../core/distributions.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** How θ maps to a policy. `features[s][a]` is φ(s, a), all of one length n. */
export type PolicySpec = { kind: "tabular" } | { kind: "log-linear"; features: number[][][] };

export const TABULAR: PolicySpec = { kind: "tabular" };

/** Number of policy parameters: |S|·|A| for tabular, n for log-linear. */
export function policyDim(mdp: Mdp, policy: PolicySpec): number {
  const { S, A } = mdpShape(mdp);
  return policy.kind === "tabular" ? S * A : policy.features[0][0].length;
}

/** The preference h(s, a) = θ[s,a] (tabular) or φ(s, a)·θ (log-linear). */
function preference(policy: PolicySpec, theta: ArrayLike<number>, s: number, a: number, A: number): number {
  if (policy.kind === "tabular") return theta[s * A + a];
  const f = policy.features[s][a];
  let h = 0;
  for (let i = 0; i < f.length; i++) h += f[i] * theta[i];
  return h;
}

/** Eq. (2) per state: π(·|s) = softmax of the preferences h(s, ·), computed stably (max subtracted). */
export function policyProbs(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    const row = pi.subarray(s * A, (s + 1) * A);
    for (let a = 0; a < A; a++) row[a] = preference(policy, theta, s, a, A);
    softmaxInto(row, row);
  }
  return pi;
}

/**
 * Eq. (5) per state: the score ∇θ ln πθ(a|s) — for tabular Gibbs 1_{(s,a)} − π(·|s) on the block
 * of state s (zero elsewhere); for log-linear φ(s, a) − Σ_b π(b|s) φ(s, b).
 */
export function policyScore(
  mdp: Mdp,
  policy: PolicySpec,
  theta: ArrayLike<number>,
  s: number,
  a: number,
): Float64Array {
  return scoreFromProbs(mdp, policy, policyProbs(mdp, policy, theta), s, a);
}

/** The score ∇θ ln πθ(a|s) given the policy table π = policyProbs(θ) already computed. */
export function scoreFromProbs(
  mdp: Mdp,
  policy: PolicySpec,
  pi: ArrayLike<number>,
  s: number,
  a: number,
): Float64Array {
  const { A } = mdpShape(mdp);
  const g = new Float64Array(policyDim(mdp, policy));
  if (policy.kind === "tabular") {
    for (let b = 0; b < A; b++) g[s * A + b] = -pi[s * A + b];
    g[s * A + a] += 1;
    return g;
  }
  const F = policy.features[s];
  for (let b = 0; b < A; b++) for (let i = 0; i < g.length; i++) g[i] -= pi[s * A + b] * F[b][i];
  for (let i = 0; i < g.length; i++) g[i] += F[a][i];
  return g;
}

/** Draw an action from π(·|s), the row s of the table, with one uniform draw (the intervals of `sampleIndex`). */
export function drawAction(pi: ArrayLike<number>, s: number, A: number, u: number): number {
  return sampleIndex(pi, u, s * A, A);
}
