// Mistake: sampleAction (eq. 2) draws A ~ πθ but returns A's position in the actions sorted by decreasing probability, not A itself.
export * from "./correct.ts";
import type { Rng } from "pgbook/contract";
import { gibbsPolicy, sampleAction as drawAction } from "./correct.ts";

export function sampleAction(theta: Float64Array, rng: Rng): number {
  const p = gibbsPolicy(theta);
  const a = drawAction(theta, rng);
  const order = Array.from(p, (_, i) => i).sort((i, j) => p[j] - p[i]);
  return order.indexOf(a);
}
