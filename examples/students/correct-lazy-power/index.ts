// No mistake: correct-ch234 with the stationary distribution by lazy power iteration d ← d(I + P_π)/2 (plain power iteration does not converge on a periodic chain), run until ‖d(I + P_π)/2 − d‖∞ ≤ 1e-13; μ and the gain (20) are built on it.
import type { Chapter2 } from "pgbook/contract";

export * from "./correct.ts";

/** dᵀ P_π = dᵀ, Σ d = 1: iterate the lazy chain (I + P_π)/2, which has the same d and is aperiodic. */
export const stationaryDistribution: Chapter2["stationaryDistribution"] = (mdp, pi) => {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const P = new Float64Array(S * S);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) for (let t = 0; t < S; t++) P[s * S + t] += pi[s * A + a] * mdp.P[s][a][t];
  let d = new Float64Array(S).fill(1 / S);
  for (let k = 0; k < 100_000_000; k++) {
    const next = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (d[s] === 0) continue;
      for (let t = 0; t < S; t++) next[t] += 0.5 * d[s] * P[s * S + t];
      next[s] += 0.5 * d[s];
    }
    let change = 0;
    for (let t = 0; t < S; t++) change = Math.max(change, Math.abs(next[t] - d[t]));
    d = next;
    if (change <= 1e-13) break;
  }
  const z = d.reduce((x, y) => x + y, 0);
  return d.map((x) => x / z);
};

/** μ(s, a) = d(s) π(a|s) with the d above. */
export const stateActionDistribution: Chapter2["stateActionDistribution"] = (mdp, pi) => {
  const A = mdp.P[0].length;
  const d = stationaryDistribution(mdp, pi);
  return Float64Array.from(pi, (p, i) => d[Math.floor(i / A)] * p);
};

/** Eq. (20): λ = Σ μ(s, a) r(s, a). */
export const gain: Chapter2["gain"] = (mdp, pi) => {
  const A = mdp.P[0].length;
  return stateActionDistribution(mdp, pi).reduce((acc, m, i) => acc + m * mdp.r[Math.floor(i / A)][i % A], 0);
};
