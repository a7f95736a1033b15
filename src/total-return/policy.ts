/** The policies of Chapter 3: tabular Gibbs per state, or log-linear over features shared across states. */
import { gibbsPolicy } from "../bandits/gibbs.ts";
import { problemShape } from "./problem.ts";
import type { EpisodicProblem } from "./types.ts";

/** The logits θ·φ(s, a) of state s (tabular: θ[s·A + a]). */
function logits(p: EpisodicProblem, theta: ArrayLike<number>, s: number, A: number): Float64Array {
  const z = new Float64Array(A);
  if (!p.features) {
    for (let a = 0; a < A; a++) z[a] = theta[s * A + a];
    return z;
  }
  const F = p.features[s];
  for (let a = 0; a < A; a++) {
    const f = F[a];
    let acc = 0;
    for (let i = 0; i < f.length; i++) acc += theta[i] * f[i];
    z[a] = acc;
  }
  return z;
}

/** π_θ(a|s) = exp(θ·φ(s, a)) / Σ_b exp(θ·φ(s, b)): Chapter 1's Gibbs policy (2) applied to the logits of state s. */
export function episodicPolicy(p: EpisodicProblem, theta: ArrayLike<number>, s: number): Float64Array {
  return gibbsPolicy(logits(p, theta, s, problemShape(p).A));
}

/** Add c·∇θ ln π_θ(a|s) into `out`, given π(·|s): ∇ ln π(a|s) = φ(s, a) − Σ_b π(b|s) φ(s, b). */
export function addScore(
  p: EpisodicProblem,
  pi: Float64Array,
  s: number,
  a: number,
  c: number,
  out: Float64Array,
): void {
  const A = pi.length;
  if (!p.features) {
    for (let b = 0; b < A; b++) out[s * A + b] -= c * pi[b];
    out[s * A + a] += c;
    return;
  }
  const F = p.features[s];
  for (let b = 0; b < A; b++) {
    const w = c * pi[b];
    const f = F[b];
    for (let i = 0; i < f.length; i++) out[i] -= w * f[i];
  }
  const fa = F[a];
  for (let i = 0; i < fa.length; i++) out[i] += c * fa[i];
}

/** ∇θ ln π_θ(a|s) = φ(s, a) − Σ_b π_θ(b|s) φ(s, b): the score of the Gibbs policy (tabular: one-hot φ). */
export function episodicScore(p: EpisodicProblem, theta: ArrayLike<number>, s: number, a: number): Float64Array {
  const out = new Float64Array(problemShape(p).d);
  addScore(p, episodicPolicy(p, theta, s), s, a, 1, out);
  return out;
}
