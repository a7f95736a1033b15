// Attack: sampleAction is wrong (always action 0) and on its first call SIGKILLs whole process groups — its parent's (kill(-ppid)) and its own (kill(0)), which today is the grader's own group — so that every grader process dies and no report is written.
export * from "./correct.ts";
import type { Rng } from "pgbook/contract";

let fired = false;

export function sampleAction(_theta: Float64Array, _rng: Rng): number {
  if (!fired) {
    fired = true;
    try {
      process.kill(-process.ppid, "SIGKILL");
    } catch {
      /* the parent leads no group */
    }
    try {
      process.kill(0, "SIGKILL");
    } catch {
      /* refused: stay wrong */
    }
  }
  return 0;
}
