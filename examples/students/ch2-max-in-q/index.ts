// Mistake: relativeValues solves the max-form equation printed in §2.1, Q(s, a) = r − λ + Σ P max_a' Q(s', a') (erratum max-in-q), instead of the policy's own average over π(a'|s').
import type { Chapter2 } from "pgbook/contract";
import { stationaryDistribution } from "./correct.ts";

export * from "./correct.ts";

/**
 * Relative value iteration on the printed equation (made lazy, Q ← ½Q + ½TQ, so it also converges on
 * periodic chains), pinned at Q(0, 0): it finds the OPTIMAL pair (λ*, Q*), whatever π is.
 */
export const relativeValues: Chapter2["relativeValues"] = (mdp, pi, normalization) => {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  let Q = new Float64Array(S * A);
  let lambda = 0;
  for (let it = 0; it < 20_000; it++) {
    const best = Array.from({ length: S }, (_, t) => Math.max(...Q.subarray(t * A, t * A + A)));
    const TQ = Float64Array.from({ length: S * A }, (_, i) => mdp.r[Math.floor(i / A)][i % A] + mdp.P[Math.floor(i / A)][i % A].reduce((acc, p, t) => acc + p * best[t], 0));
    const lazy = TQ.map((x, i) => 0.5 * Q[i] + 0.5 * x);
    lambda = 2 * (lazy[0] - Q[0]); // growth of the pinned entry per lazy step, times 2
    const next = lazy.map((x) => x - lazy[0]);
    const change = next.reduce((m, x, i) => Math.max(m, Math.abs(x - Q[i])), 0);
    Q = next;
    if (change < 1e-14 && it > 10) break;
  }
  // Q is now a solution of Q = r − λ + P max Q (up to the lazy rescaling, which leaves λ and Q unchanged)
  const V = Float64Array.from({ length: S }, (_, s) => Array.from({ length: A }, (_, a) => pi[s * A + a] * Q[s * A + a]).reduce((x, y) => x + y, 0));
  const shift = normalization === "reference" ? V[0] : stationaryDistribution(mdp, pi).reduce((acc, d, s) => acc + d * V[s], 0);
  return { gain: lambda, V: V.map((v) => v - shift), Q: Q.map((q) => q - shift), normalization };
};
