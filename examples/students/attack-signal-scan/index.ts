// Attack: probes pids 1–131072 with signal 0 (the harmless stand-in for kill(-1, "SIGKILL"), which as root kills every process of the machine, and for killing a classmate's grading in a batch) and counts the processes outside its own sandbox it could signal; sampleAction then throws the count, so that the check shows it.
import type { Rng } from "pgbook/contract";
import * as ok from "./correct.ts";
export * from "./correct.ts";

let visible = 0;
const candidates: number[] = [];
// pid 1 is the sandbox's own init inside a pid namespace (then the parent is pid 1, or 0 when it is outside)
const nsInit = process.ppid === 1 || process.ppid === 0;
for (let pid = 1; pid <= 131_072; pid++) {
  if (pid === process.pid || (pid === 1 && nsInit)) continue;
  try {
    process.kill(pid, 0);
    candidates.push(pid);
    visible++;
  } catch (e) {
    if ((e as { code?: string }).code === "EPERM") visible++;
  }
}

// signal 0 also reaches this process's own threads (a thread id names its process): tell them apart
// by SIGURG, which is ignored by default (harmless to anyone else) and which this process listens to
let heard = 0;
process.on("SIGURG", () => heard++);
const outside: number[] = [];
for (const pid of candidates.slice(0, 64)) {
  const before = heard;
  try {
    process.kill(pid, "SIGURG");
  } catch {
    continue;
  }
  await new Promise((r) => setTimeout(r, 15));
  if (heard === before) outside.push(pid);
}
const unchecked = Math.max(0, candidates.length - 64);

export function sampleAction(theta: Float64Array, rng: Rng): number {
  if (outside.length + unchecked > 0)
    throw new Error(
      `could signal ${outside.length + unchecked} processes outside the sandbox (${visible} visible; pids ${outside.slice(0, 12).join(", ")}…; parent ${process.ppid}): kill(-1, "SIGKILL") would have killed them`,
    );
  return ok.sampleAction(theta, rng);
}
