// Attack: turns on Node's trace events (node.perf, v8) at import time and does busy work in every call, so that Node's tracing agent — which writes natively, past the permission model's write ban — leaves node_trace.*.log files in the child's working directory (at HEAD the grader's: the repository root).
import type { Rng } from "pgbook/contract";
import * as ok from "./correct.ts";
export * from "./correct.ts";

try {
  const trace_events = await import("node:trace_events");
  trace_events.createTracing({ categories: ["node.perf", "node.perf.usertiming", "v8", "node.async_hooks"] }).enable();
} catch {
  /* refused: the rest is a correct submission */
}

function work(label: string): void {
  const t0 = performance.now();
  let x = 0;
  while (performance.now() - t0 < 0.2) x += Math.sqrt(x + 1);
  try {
    performance.mark(`pgbook-attack-${label}-${x.toFixed(0)}`);
  } catch {
    /* no user timing */
  }
}

for (let i = 0; i < 200; i++) work("import");

export const gibbsPolicy: typeof ok.gibbsPolicy = (theta) => (work("gibbsPolicy"), ok.gibbsPolicy(theta));
export const gibbsScore: typeof ok.gibbsScore = (theta, a) => (work("gibbsScore"), ok.gibbsScore(theta, a));
export const reinforceStep: typeof ok.reinforceStep = (theta, a, reward, stepSize) => (work("reinforceStep"), ok.reinforceStep(theta, a, reward, stepSize));
export const sampleAction = (theta: Float64Array, rng: Rng): number => (work("sampleAction"), ok.sampleAction(theta, rng));
