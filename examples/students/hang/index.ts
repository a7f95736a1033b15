// Hostile: sampling never returns (a synchronous infinite loop).
export * from "./correct.ts";
import type { Rng } from "pgbook/contract";

export function sampleAction(theta: Float64Array, rng: Rng): number {
  for (;;) if (rng() > 2) return theta.length;
}
