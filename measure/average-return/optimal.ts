/**
 * The optimal gain λ* and the solution of the max-form equation
 *   Q*(s, a) = r(s, a) − λ* + Σ_{s'} P[s][a][s'] max_{a'} Q*(s', a'),
 * by relative value iteration on the aperiodic transform P' = (P + I)/2 (same gain, same Q* up to
 * a factor on the relative part). This is the equation 2.1 prints; it describes the best policy,
 * not π_θ, and is used here for λ* and for the negative control "Q from the max-form equation".
 */
import { mdpShape } from "../../src/core/shapes.ts";
import type { Mdp } from "../../src/average-return/types.ts";

export interface OptimalValues {
  gain: number;
  /** Q*(s, a) flat, normalized so that max_a Q*(0, a) = 0. */
  Q: Float64Array;
  /** A greedy deterministic policy: action per state. */
  greedy: Int32Array;
  iterations: number;
}

/** λ* and Q* of an MDP whose deterministic policies are all unichain, to about 1e-12. */
export function optimalValues(mdp: Mdp, tol = 1e-12, maxIter = 200_000): OptimalValues {
  const { S, A } = mdpShape(mdp);
  let h = new Float64Array(S); // relative state values of the transformed problem
  let next = new Float64Array(S);
  let gain = 0;
  let sweeps = 0;
  while (sweeps < maxIter) {
    sweeps++;
    for (let s = 0; s < S; s++) {
      let best = -Infinity;
      for (let a = 0; a < A; a++) {
        let v = mdp.r[s][a];
        const row = mdp.P[s][a];
        for (let t = 0; t < S; t++) v += 0.5 * row[t] * h[t];
        best = Math.max(best, v + 0.5 * h[s]);
      }
      next[s] = best;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = 0; s < S; s++) {
      lo = Math.min(lo, next[s] - h[s]);
      hi = Math.max(hi, next[s] - h[s]);
    }
    gain = (lo + hi) / 2;
    const ref = next[0];
    for (let s = 0; s < S; s++) next[s] -= ref;
    [h, next] = [next, h];
    if (hi - lo <= tol * Math.max(1, Math.abs(gain))) break;
  }
  // If V solves V = max_a[r − λ + P V], then h = 2V solves h = max_a[r − λ + (P h + h)/2]:
  // (P(2V) + 2V)/2 = P V + V. So the transformed problem has the same λ and V = h/2.
  const V = h.map((x) => x / 2);
  const Q = new Float64Array(S * A);
  const greedy = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    let best = -Infinity;
    for (let a = 0; a < A; a++) {
      let v = mdp.r[s][a] - gain;
      for (let t = 0; t < S; t++) v += mdp.P[s][a][t] * V[t];
      Q[s * A + a] = v;
      if (v > best) {
        best = v;
        greedy[s] = a;
      }
    }
  }
  return { gain, Q, greedy, iterations: sweeps };
}
