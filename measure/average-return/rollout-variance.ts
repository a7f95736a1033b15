/**
 * The exact variance of a truncated rollout Q̂_K = Σ_{k<K} g(X_k), g = r − λ1, along the state–action chain
 * X_0 = (s, a), X_{k+1} ~ M(X_k, ·) with M[(s, a), (s', a')] = P[s][a][s'] π(a'|s'). Written for the checks
 * independently of the reference's moment recursion (src/average-return/rollout.ts): here the variance is
 * the double sum of the chain's covariances,
 *   Var[Q̂_K] = Σ_{j<K} Σ_{k<K} Cov(g(X_j), g(X_k)),
 *   E[g(X_j) g(X_k)] = Σ_y P(X_j = y) g(y) (M^{k−j} g)(y)  (j ≤ k, Markov property),
 * with the distributions P(X_j = ·) pushed forward from the start and the vectors M^m g built once.
 */
import type { Mdp } from "../../src/average-return/types.ts";

/** The state–action chain M[(s,a),(s',a')] = P[s][a][s'] π(a'|s') (rows and columns indexed s·A + a), as plain arrays. */
export function saMatrix(mdp: Mdp, pi: ArrayLike<number>): number[][] {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const M: number[][] = [];
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) M.push(Array.from({ length: S * A }, (_, j) => mdp.P[s][a][Math.floor(j / A)] * pi[j]));
  return M;
}

/** Var[Q̂_K(s, a)] for every start pair (flat, index s·A + a), by the covariance double sum above. */
export function rolloutVarianceByCovariances(mdp: Mdp, pi: ArrayLike<number>, K: number, lambda: number): Float64Array {
  const M = saMatrix(mdp, pi);
  const n = M.length;
  const A = mdp.P[0].length;
  const g = Array.from({ length: n }, (_, i) => mdp.r[Math.floor(i / A)][i % A] - lambda);
  // h[m] = M^m g
  const h: number[][] = [g];
  for (let m = 1; m < K; m++) h.push(M.map((row) => row.reduce((acc, p, j) => acc + p * h[m - 1][j], 0)));
  const out = new Float64Array(n);
  for (let x0 = 0; x0 < n; x0++) {
    // p = P(X_j = ·) for j = 0, 1, …, K − 1
    let p: number[] = Array.from({ length: n }, (_, i) => (i === x0 ? 1 : 0));
    const dists: number[][] = [];
    for (let j = 0; j < K; j++) {
      dists.push(p);
      const q = p;
      p = Array.from({ length: n }, (_, i) => q.reduce((acc, pj, k) => acc + pj * M[k][i], 0));
    }
    const mean = dists.map((d) => d.reduce((acc, x, y) => acc + x * g[y], 0));
    let v = 0;
    for (let j = 0; j < K; j++)
      for (let k = j; k < K; k++) {
        const cross = dists[j].reduce((acc, x, y) => acc + x * g[y] * h[k - j][y], 0);
        v += (k === j ? 1 : 2) * (cross - mean[j] * mean[k]);
      }
    out[x0] = v;
  }
  return out;
}
