/**
 * One of the book's loops (`kind`) run inside the child over the student's functions: one round trip
 * for a whole experiment. The child reports progress before each batch of calls, naming the function
 * it is about to call, so a timeout or crash is charged to that function. The results are the child's
 * data; the caller verifies them (verified-runs.ts) before anything is judged on them.
 *
 * No state of its own: it goes through the gate, the exchange and the notes.
 */
import type { RunsRequest } from "./protocol.ts";
import type { Exchange } from "./exchange.ts";
import type { CallGate } from "./gate.ts";
import type { TestNotes } from "./notes.ts";

export interface LoopParts {
  gate: CallGate;
  exchange: Exchange;
  notes: TestNotes;
}

/** Run loop `kind` on `specs` in the child, calling the submission's `fns`; the child's results. */
export function runLoop(
  { gate, exchange, notes }: LoopParts,
  kind: RunsRequest["kind"],
  specs: unknown[],
  fns: string[],
): unknown[] {
  for (const fn of fns) notes.called(fn);
  for (const fn of fns) gate.check(fn);
  let current = fns[0];
  const reply = exchange.request({ t: "runs", kind, specs }, [], (fn) => (current = fns.includes(fn) ? fn : current));
  if (reply.nonfinite) notes.nonFinite(reply.nonfinite.fn ?? fns[0], reply.nonfinite.where);
  if (!reply.ok) {
    // the function named by the child's failure, else (a timeout, a crash) the one it was calling
    const fn = reply.failure?.fn && fns.includes(reply.failure.fn) ? reply.failure.fn : current;
    gate.fail(fn, reply, gate.strikesOf(fn));
  }
  return reply.values!;
}
