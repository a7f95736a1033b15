/** Sampling trajectories of an MDP under a policy table π (flat, index s·A + a). */
import type { Rng } from "../contract/random.ts";
import { drawAction } from "./policy.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** Draw S' ~ P[s][a][·] with one uniform draw. */
export function sampleNextState(mdp: Mdp, s: number, a: number, u: number): number {
  const row = mdp.P[s][a];
  let acc = 0;
  for (let t = 0; t < row.length - 1; t++) {
    acc += row[t];
    if (u < acc) return t;
  }
  return row.length - 1;
}

/** Draw an index from a distribution given as an array (the last index absorbs rounding). */
export function sampleIndex(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let i = 0; i < p.length - 1; i++) {
    acc += p[i];
    if (u < acc) return i;
  }
  return p.length - 1;
}

/**
 * The average reward (1/T) Σ_{t<T} r(S_t, A_t) of one trajectory of T steps under π, started in
 * state s0 or, when `start` is a distribution (e.g. d_θ), in a state drawn from it.
 */
export function trajectoryAverageReward(mdp: Mdp, pi: ArrayLike<number>, start: number | ArrayLike<number>, T: number, rng: Rng): number {
  const { A } = mdpShape(mdp);
  let s = typeof start === "number" ? start : sampleIndex(start, rng());
  let total = 0;
  for (let t = 0; t < T; t++) {
    const a = drawAction(pi, s, A, rng());
    total += mdp.r[s][a];
    s = sampleNextState(mdp, s, a, rng());
  }
  return total / T;
}
