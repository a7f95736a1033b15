/**
 * One of the book's loops (`kind`) run inside the child over the student's functions: one round trip
 * for a whole experiment. The child first runs it in its fast mode, one call at a time, telling its
 * progress every 200 ms. A loop that then times out or crashes (or runs out of memory) is run again in
 * the exact mode, where progress before each batch of calls names the function about to be called,
 * and that run's failure is charged to the function it names: the fast mode costs no correct
 * submission anything and changes no verdict. A failure the child itself catches (a throw, a modified
 * argument, Math.random) names its function in either mode. The results are the child's data; the
 * caller verifies them (verified-runs.ts) before anything is judged on them.
 *
 * No state of its own: it goes through the gate, the exchange and the notes.
 */
import type { RunsRequest } from "./protocol.ts";
import type { Exchange } from "./exchange.ts";
import type { CallGate } from "./gate.ts";
import type { TestNotes } from "./notes.ts";

/** Failures of the fast mode that may be charged to the wrong function: the loop runs again in the exact mode. */
const RERUN = new Set(["timeout", "oom", "crash"]);

/** How long before the submission's deadline a fast loop stops itself (ms): before the watchdog's kill, which polls every 25 ms. */
const STOP_MARGIN_MS = 250;

export interface LoopParts {
  /** Epoch ms: the submission's total time limit. */
  deadline: number;
  gate: CallGate;
  exchange: Exchange;
  notes: TestNotes;
}

/** Run loop `kind` on `specs` in the child, calling the submission's `fns`; the child's results. */
export function runLoop(
  { deadline, gate, exchange, notes }: LoopParts,
  kind: RunsRequest["kind"],
  specs: unknown[],
  fns: string[],
): unknown[] {
  for (const fn of fns) notes.called(fn);
  for (const fn of fns) gate.check(fn);
  let current = fns[0];
  const onProgress = (fn: string) => (current = fns.includes(fn) ? fn : current);
  const stopAt = Number.isFinite(deadline) ? deadline - STOP_MARGIN_MS : undefined;
  let reply = exchange.request({ t: "runs", kind, specs, stopAt }, [], onProgress);
  if (!reply.ok && RERUN.has(reply.failure?.verdict ?? "") && reply.failure?.fn === undefined) {
    current = fns[0];
    reply = exchange.request({ t: "runs", kind, specs, exact: true }, [], onProgress);
  }
  if (reply.nonfinite) notes.nonFinite(reply.nonfinite.fn ?? fns[0], reply.nonfinite.where);
  if (!reply.ok) {
    // the function named by the child's failure, else (a timeout, a crash) the one it was calling
    const fn = reply.failure?.fn && fns.includes(reply.failure.fn) ? reply.failure.fn : current;
    gate.fail(fn, reply, gate.strikesOf(fn));
  }
  return reply.values!;
}
