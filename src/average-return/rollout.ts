/**
 * Rollouts (Section 2.3): estimate Q_θ(S_t, A_t) by simulating from the CURRENT pair (S_t, A_t)
 * (the notes print S̃_0 = S_0) and summing K rewards minus a gain that does not come from the
 * same rollout. The infinite sum printed in the notes has no limit for a sampled trajectory
 * (its variance grows like K); its expectation, truncated at K, converges to the bias-normalized Q
 * when the chain is aperiodic.
 */
import type { Rng } from "../contract/random.ts";
import { drawAction } from "./policy.ts";
import { sampleNextState } from "./simulate.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** Q̂_K = Σ_{k<K} (R̃_{k+1} − λ) along one rollout with S̃_0 = s, Ã_0 = a, Ã_k ~ π for k ≥ 1. */
export function sampleRollout(
  mdp: Mdp,
  pi: ArrayLike<number>,
  s: number,
  a: number,
  K: number,
  lambda: number,
  rng: Rng,
): number {
  const { A } = mdpShape(mdp);
  let total = 0;
  for (let k = 0; k < K; k++) {
    total += mdp.r[s][a] - lambda;
    s = sampleNextState(mdp, s, a, rng());
    a = drawAction(pi, s, A, rng());
  }
  return total;
}

/** (M x)(s, a) = Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') x(s', a'): one step of the state–action chain. */
export function stateActionStep(mdp: Mdp, pi: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const { S, A } = mdpShape(mdp);
  const v = new Float64Array(S);
  for (let t = 0; t < S; t++) for (let b = 0; b < A; b++) v[t] += pi[t * A + b] * x[t * A + b];
  const y = new Float64Array(S * A);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const row = mdp.P[s][a];
      let acc = 0;
      for (let t = 0; t < S; t++) acc += row[t] * v[t];
      y[s * A + a] = acc;
    }
  return y;
}

/** Exact E[Q̂_K(s, a)] = (Σ_{k<K} M^k (r − λ1))(s, a) for every pair, by K chain steps. */
export function expectedRollout(mdp: Mdp, pi: ArrayLike<number>, K: number, lambda: number): Float64Array {
  const { S, A } = mdpShape(mdp);
  let g: Float64Array = new Float64Array(S * A);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) g[s * A + a] = mdp.r[s][a] - lambda;
  const sum = new Float64Array(S * A);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < sum.length; i++) sum[i] += g[i];
    if (k + 1 < K) g = stateActionStep(mdp, pi, g);
  }
  return sum;
}

/**
 * Exact Var[Q̂_K(s, a)] for every pair, by the recursion on first and second moments
 *   G_K = g + M G_{K−1},  H_K = g² + 2 g·(M G_{K−1}) + M H_{K−1},  Var = H_K − G_K²,
 * where g = r − λ1 (rewards are the deterministic r(s, a)).
 */
export function rolloutVariance(mdp: Mdp, pi: ArrayLike<number>, K: number, lambda: number): Float64Array {
  const { S, A } = mdpShape(mdp);
  const n = S * A;
  const g = new Float64Array(n);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) g[s * A + a] = mdp.r[s][a] - lambda;
  let G: Float64Array = new Float64Array(n);
  let H: Float64Array = new Float64Array(n);
  for (let k = 0; k < K; k++) {
    const MG = stateActionStep(mdp, pi, G);
    const MH = stateActionStep(mdp, pi, H);
    const G2 = new Float64Array(n);
    const H2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      G2[i] = g[i] + MG[i];
      H2[i] = g[i] * g[i] + 2 * g[i] * MG[i] + MH[i];
    }
    G = G2;
    H = H2;
  }
  return H.map((h, i) => Math.max(0, h - G[i] * G[i]));
}
