// Hostile: tries to read the grader's files, to start a process, and to end the process.
export * from "./correct.ts";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";

export function averageReward(_theta: Float64Array, _r: Float64Array): number {
  return readFileSync("/etc/passwd", "utf8").length;
}

export function exactPolicyGradient(_theta: Float64Array, _r: Float64Array): Float64Array {
  return new Float64Array([execSync("id").length]);
}

export function runningAverageBaseline(_rewards: ArrayLike<number>): number {
  process.exit(0);
}
