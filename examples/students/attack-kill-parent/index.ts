// Attack: sampleAction is wrong (always action 0) and on its first call SIGKILLs its parent process (today the grader's vitest worker), so that the checks still running in that spec file end up "pending" and dropped instead of failed.
export * from "./correct.ts";
import type { Rng } from "pgbook/contract";

let fired = false;

export function sampleAction(_theta: Float64Array, _rng: Rng): number {
  if (!fired) {
    fired = true;
    try {
      process.kill(process.ppid, "SIGKILL");
    } catch {
      /* refused: stay wrong */
    }
  }
  return 0;
}
