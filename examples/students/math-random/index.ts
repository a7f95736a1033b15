// Mistake: sampling draws from Math.random instead of the injected stream (not reproducible).
export * from "./correct.ts";
import { gibbsPolicy } from "./correct.ts";
import type { Rng } from "pgbook/contract";

export function sampleAction(theta: Float64Array, _rng: Rng): number {
  const p = gibbsPolicy(theta);
  const u = Math.random();
  let acc = 0;
  for (let i = 0; i < p.length - 1; i++) if (u < (acc += p[i])) return i;
  return p.length - 1;
}
