// Attack: sampleAction replaces the state() of the stream it is given, so that the stream handed back to the judge is one of its choosing (all-zero alea state: every later draw of the spec's own stream would be 0) — the spec's later random draws chosen by the submission.
import type { Rng } from "pgbook/contract";
import * as ok from "./correct.ts";
export * from "./correct.ts";

export function sampleAction(pi: Float64Array, rng: Rng): number {
  const a = ok.sampleAction(pi, rng);
  const r = rng as Rng & { state?: () => unknown };
  r.state = () => ({ kind: "alea", s: { c: 0, s0: 0, s1: 0, s2: 0 } });
  return a;
}
