/** Sampling trajectories of an MDP under a policy table π (flat, index s·A + a). */
import type { Rng } from "../contract/random.ts";
import { sampleIndex } from "../core/distributions.ts";
import { drawAction } from "./policy.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** Draw S' ~ P[s][a][·] with one uniform draw (the intervals of `sampleIndex`). */
export function sampleNextState(mdp: Mdp, s: number, a: number, u: number): number {
  return sampleIndex(mdp.P[s][a], u);
}

/** Draw an index from a distribution given as an array, with one uniform draw (src/core/distributions.ts). */
export { sampleIndex };

/**
 * The average reward (1/T) Σ_{t<T} r(S_t, A_t) of one trajectory of T steps under π, started in
 * state s0 or, when `start` is a distribution (e.g. d_θ), in a state drawn from it.
 */
export function trajectoryAverageReward(
  mdp: Mdp,
  pi: ArrayLike<number>,
  start: number | ArrayLike<number>,
  T: number,
  rng: Rng,
): number {
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
