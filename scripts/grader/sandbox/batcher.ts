/**
 * Batched calls (`callMany(fn, argsList)`): the argument lists cross to the child in chunks, one
 * round trip per chunk. A chunk must finish well within the per-call time limit, so it starts at
 * CHUNK and adapts per function — doubled while a round trip takes under CHUNK_FAST_MS, halved when
 * one takes over CHUNK_SLOW_MS. Chunking changes no result: the streams carry over, encoded per
 * chunk after the previous chunk advanced them, and come back only in a state their own draws reach.
 *
 * State of this part only: the chunk size and the number of calls so far, per function.
 */
import { fromState, type RngState } from "../../../src/contract/random.ts";
import { encodeArgs, sameData, type Callback } from "./protocol.ts";
import { pack, packStates } from "./packing.ts";
import type { Exchange } from "./exchange.ts";
import type { CallGate } from "./gate.ts";
import type { TestNotes } from "./notes.ts";

const CHUNK = 256;
const CHUNK_MAX = 16_384;
const CHUNK_FAST_MS = 40;
const CHUNK_SLOW_MS = 400;

/** The most draws a call (or a chunk of calls sharing a stream) may make from one stream. */
const MAX_DRAWS = 5_000_000;

/** Whether `got` is the state of the stream `sent` after some number of draws (at most MAX_DRAWS). */
export function isContinuation(sent: RngState, got: unknown): boolean {
  if (got === null || typeof got !== "object" || (got as RngState).kind !== sent.kind) return false;
  let r;
  try {
    r = fromState(sent);
  } catch {
    return false;
  }
  for (let k = 0; k <= MAX_DRAWS; k++) {
    if (sameData(r.state!(), got)) return true;
    r();
  }
  return false;
}

export class Batcher {
  private readonly chunkSize = new Map<string, number>();
  private readonly callCounts = new Map<string, number>();

  constructor(
    private readonly gate: CallGate,
    private readonly exchange: Exchange,
    private readonly notes: TestNotes,
  ) {}

  /** `fn` called once per argument list, in order, through the child: the results in order. */
  callMany(fn: string, argsList: unknown[][]): unknown[] {
    this.notes.called(fn);
    this.gate.check(fn);
    const strikes = this.gate.strikesOf(fn);
    const values: unknown[] = [];
    for (let from = 0, size = this.sizeFor(fn); from < argsList.length; from += size, size = this.sizeFor(fn)) {
      const chunk = argsList.slice(from, from + size);
      const { streams, states, reply, ms } = this.send(fn, chunk);
      this.adapt(fn, size, chunk.length, ms);
      if (reply.nonfinite) this.notes.nonFinite(fn, reply.nonfinite.where);
      if (reply.rngs) {
        // a stream comes back only in a state its own draws reach: the child cannot choose the spec's later draws
        for (const [, i] of streams)
          if (!isContinuation(states[i], reply.rngs[i]))
            this.gate.fail(
              fn,
              {
                ok: false,
                failure: {
                  verdict: "output",
                  message: `gave back its random stream (argument stream ${i + 1}) in a state no sequence of draws from it reaches`,
                },
              },
              strikes,
            );
        for (const [rng, i] of streams) (rng as { restore?: (s: RngState) => void }).restore?.(reply.rngs[i]);
      }
      if (!reply.ok) this.gate.fail(fn, reply, strikes);
      for (const v of reply.values!) values.push(v);
    }
    return values;
  }

  private sizeFor(fn: string): number {
    return this.chunkSize.get(fn) ?? CHUNK;
  }

  /** One chunk's round trip: its streams (encoded now, after earlier chunks advanced them), the reply and its time. */
  private send(fn: string, chunk: unknown[][]) {
    const streams = new Map<unknown, number>();
    const states: RngState[] = [];
    const callbacks: Callback[] = [];
    // The same argument objects in every call (a sampling loop): sent once, with a repeat count.
    const first = chunk[0];
    const repeated =
      chunk.length > 1 && chunk.every((a) => a.length === first.length && a.every((x, j) => x === first[j]));
    const seen = new Map<object, unknown>();
    const calls = repeated
      ? [encodeArgs(first, streams, states, callbacks, seen)]
      : chunk.map((args) => encodeArgs(args, streams, states, callbacks, seen));
    // a large batch of numbers, Float64Arrays and streams crosses in columns (packing.ts)
    const packed = repeated ? undefined : pack(calls);
    const packedRngs = packStates(states);
    const count = this.callCounts.get(fn) ?? 0;
    this.callCounts.set(fn, count + chunk.length);
    // calls with streams are rerun and compared (nondeterminism): the first ones, every 64th, every batch
    const recheck = states.length > 0 && (count < 3 || count % 64 === 0 || chunk.length > 1);
    const t0 = Date.now();
    const reply = this.exchange.request(
      {
        t: "call",
        fn,
        calls: packed ? [] : calls,
        rngs: packedRngs ? [] : states,
        recheck,
        ...(repeated ? { repeat: chunk.length } : {}),
        ...(packed ? { packed } : {}),
        ...(packedRngs ? { packedRngs } : {}),
      },
      callbacks,
    );
    return { streams, states, reply, ms: Date.now() - t0 };
  }

  /** The next chunk size of `fn` after a round trip of `ms` for `length` calls out of `size`. */
  private adapt(fn: string, size: number, length: number, ms: number): void {
    if (length === size && ms < CHUNK_FAST_MS) this.chunkSize.set(fn, Math.min(CHUNK_MAX, size * 2));
    else if (ms > CHUNK_SLOW_MS) this.chunkSize.set(fn, Math.max(1, Math.floor(size / 2)));
  }
}
