/**
 * The grading-mode seam: synchronous proxies whose calls run in a separate process holding only the
 * student module (PGBOOK_IMPL=<module> PGBOOK_SANDBOX=1).
 *
 * The specs call `impl.fn(...)` synchronously, so a call posts its arguments to a helper thread and
 * blocks on Atomics.wait until the helper writes the answer (or a verdict: timeout, crash, out of
 * memory). Streams (`Rng`) cross as their state; after the call the caller's stream is restored to the
 * child's final state, so it advances exactly as if the draws had been made here. A failed call
 * throws an error whose message starts with `pgbook-sandbox[<verdict>]` and names the function; the
 * grader reads these markers from the failure messages.
 *
 * Settings (environment): PGBOOK_SANDBOX_DIR (a prepared folder, see build.ts),
 * PGBOOK_CALL_TIMEOUT_MS (default 3000), PGBOOK_SANDBOX_MEMORY_MB (default 512),
 * PGBOOK_SANDBOX_DEADLINE (epoch ms after which every call fails at once: the per-submission limit).
 */
import { spawnSync } from "node:child_process";
import { chownSync, closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { TestRunner } from "vitest";
import "../../../spec/support/claim.ts"; // the TaskMeta fields (pgbook)
import { fromState, type RngState } from "../../../src/contract/random.ts";
import { buildSandboxSync, sandboxFiles, type SandboxFiles } from "./build.ts";
import {
  CALLBACK_COUNT,
  SLOT,
  encodeArgs,
  sameData,
  truncate,
  unmark,
  FRAME_LIMIT,
  type CallbackReply,
  type CallbackRequest,
  type CallReply,
  type CallRequest,
  type Failure,
  type InitReply,
  type Progress,
  type RunsRequest,
  type SpawnRequest,
} from "./protocol.ts";
import type { HelperData } from "./helper.ts";
import { verificationKey, verifiedBanditRuns } from "./verified-runs.ts";
import { acquireUid, probeIsolation, shareWith, type Isolation } from "./isolation.ts";
import { RUN_BANDITS } from "../../../spec/support/impl-provider.ts";
import { masterSeed } from "../../../measure/seed.ts";
import type { CallMany } from "../../../measure/bandits/run.ts";
import type { RunSpec } from "../../../measure/bandits/experiments.ts";

/** The key under which the proxy offers a batched call: `proxy[CALL_MANY](fn, argsList)`. */
export const CALL_MANY = Symbol.for("pgbook.callMany");
/** The key under which the proxy runs one of the book's loops inside the sandbox: `proxy[RUN_LOOP](kind, specs, fns)`. */
export const RUN_LOOP = Symbol.for("pgbook.runLoop");

/** Failures after which a function is not called again in this worker (each would cost a full timeout). */
const STICKY = new Set(["timeout", "oom", "crash", "import", "deadline"]);
const STRIKES = 2;
/**
 * Calls per round trip in a batch: a chunk must finish well within the per-call time limit, so it
 * starts at CHUNK and adapts per function — doubled while a round trip takes under CHUNK_FAST_MS,
 * halved when one takes over CHUNK_SLOW_MS. Chunking changes no result: the streams carry over.
 */
const CHUNK = 256;
const CHUNK_MAX = 16_384;
const CHUNK_FAST_MS = 40;
const CHUNK_SLOW_MS = 400;

const MEMO_LIMIT = 200_000;

/** A content key for an argument list of plain data, or undefined (a stream, or too large to key). */
export function memoKey(fn: string, args: unknown[]): string | undefined {
  const parts: string[] = [fn];
  let budget = 4096;
  const walk = (v: unknown, depth: number): boolean => {
    if (--budget < 0 || depth > 6) return false;
    if (typeof v === "number") return parts.push(Object.is(v, -0) ? "-0" : String(v)), true;
    if (typeof v === "string") return parts.push(JSON.stringify(v)), true;
    if (typeof v === "boolean" || v === undefined || v === null) return parts.push(String(v)), true;
    if (ArrayBuffer.isView(v)) {
      const x = v as unknown as ArrayLike<number>;
      budget -= x.length;
      if (budget < 0) return false;
      parts.push(`${v.constructor.name}[${Array.prototype.join.call(x, ",")}]`);
      return true;
    }
    if (Array.isArray(v)) {
      parts.push("[");
      for (const x of v) if (!walk(x, depth + 1)) return false;
      parts.push("]");
      return true;
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      parts.push("{");
      for (const [k, x] of Object.entries(v as object)) {
        parts.push(JSON.stringify(k));
        if (!walk(x, depth + 1)) return false;
      }
      parts.push("}");
      return true;
    }
    return false;
  };
  for (const a of args) if (!walk(a, 0)) return undefined;
  return parts.join("|");
}

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

export class SandboxError extends Error {
  override name = "SandboxError";
  constructor(
    readonly verdict: string,
    message: string,
  ) {
    super(message);
  }
}

const errorClasses: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function env(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

/** The message of a failed call: the marker the grader reads, the function, and what happened. */
export function failureMessage(fn: string, raw: Failure, output?: string): string {
  const f = { ...raw, message: unmark(String(raw.message)), name: raw.name === undefined ? undefined : unmark(String(raw.name)) };
  output = output === undefined ? undefined : unmark(output);
  const head =
    f.verdict === "throw"
      ? `${fn} threw ${f.name ?? "Error"}: ${f.message}`
      : f.verdict === "access"
        ? `${fn} tried to reach something outside its sandbox and was denied: ${f.message}`
        : `${fn} ${f.message}`;
  const out = output ? `\n  (it printed: ${JSON.stringify(truncate(output, 300))})` : "";
  return `pgbook-sandbox[${f.verdict}]: ${truncate(head)}${out}`;
}

let ownIsolation: Isolation | undefined;

/**
 * The layers the child starts in: the grader's probe (PGBOOK_SANDBOX_ISOLATION, JSON), or, for a
 * sandbox opened outside the grader (tests), a probe of this process with a uid of its own.
 */
export function sandboxIsolation(): Isolation {
  const given = process.env.PGBOOK_SANDBOX_ISOLATION;
  if (given) return JSON.parse(given) as Isolation;
  if (!ownIsolation) {
    const slot = acquireUid();
    if (slot) process.on("exit", slot.release);
    ownIsolation = probeIsolation(process.execPath, slot?.uid);
  }
  return ownIsolation;
}

export function connectSandbox(modulePath: string): Record<string | symbol, unknown> {
  const callTimeoutMs = env("PGBOOK_CALL_TIMEOUT_MS", 3000);
  const memoryMb = env("PGBOOK_SANDBOX_MEMORY_MB", 512);
  const deadline = env("PGBOOK_SANDBOX_DEADLINE", Infinity);

  let files: SandboxFiles | undefined;
  let setupFailure: Failure | undefined;
  try {
    const dir = process.env.PGBOOK_SANDBOX_DIR;
    files = dir ? sandboxFiles(dir) : buildSandboxSync(modulePath);
    if (!dir) {
      const own = files.dir;
      process.on("exit", () => rmSync(own, { recursive: true, force: true }));
    }
  } catch (e) {
    setupFailure = { verdict: "import", message: `could not be loaded: ${(e as Error).message}` };
  }
  const isolation = sandboxIsolation();
  // the child's pipes: a folder of this worker's inside the bundle folder, where only root can create files
  let ioDir = "";
  if (files && !setupFailure) {
    shareWith(files.dir, [files.child, files.submission], isolation.gid);
    ioDir = mkdtempSync(path.join(files.dir, "io-"));
    shareWith(ioDir, [], isolation.gid);
    const own = ioDir;
    process.on("exit", () => rmSync(own, { recursive: true, force: true }));
  }

  const flagsBuf = new SharedArrayBuffer(4 * 8);
  const flags = new Int32Array(flagsBuf);
  const { port1, port2 } = new MessageChannel();
  const epoch = Date.now();
  const clock = () => (Date.now() - epoch) % 2 ** 31;
  let generation = 0;
  let reqFd = -1;
  let repFd = -1;
  let fifos: string[] = [];
  let alive = false;

  function cleanup(): void {
    for (const fd of [reqFd, repFd]) {
      if (fd >= 0) {
        try {
          closeSync(fd);
        } catch {
          /* closed */
        }
      }
    }
    reqFd = repFd = -1;
    for (const f of fifos) rmSync(f, { force: true });
    fifos = [];
  }

  if (files && !setupFailure) {
    const data: HelperData = {
      port: port2,
      flags: flagsBuf,
      childScript: files.child,
      submission: files.submission,
      ioDir,
      execArgv: [`--max-old-space-size=${Math.max(32, Math.floor(memoryMb / 2))}`, "--stack-size=2000"],
      isolation,
      deadline,
      callTimeoutMs,
      memoryMb,
      epoch,
    };
    const worker = new Worker(files.helper, { workerData: data, transferList: [port2] });
    worker.unref();
    process.on("exit", () => {
      const pid = Atomics.load(flags, SLOT.pid);
      if (pid) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      cleanup();
    });
  }

  const aborted = () => Atomics.load(flags, SLOT.aborted) === generation + 1;

  /** The helper's account of why the current child went away. */
  function abortFailure(): Failure {
    alive = false;
    for (let i = 0; i < 400; i++) {
      const m = receiveMessageOnPort(port1)?.message as { generation: number; failure: Failure } | undefined;
      if (m && m.generation === generation) return m.failure;
      if (!m) Atomics.wait(flags, SLOT.busy + 7, 0, 5);
    }
    return { verdict: "crash", message: "the sandbox process ended" };
  }

  function readExactly(n: number): Buffer | undefined {
    const b = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const k = readSync(repFd, b, o, n - o, null);
      if (aborted()) return undefined;
      o += k;
    }
    return b;
  }

  /** Block until the child's next frame (or the helper's abort); `since` continues a call's clock. */
  /** The request being answered (the innermost, with callbacks that call the sandbox again). */
  let expectedRid: number | undefined;
  let nextRid = 0;

  /**
   * A frame the protocol does not allow (forged, malformed, oversized, of another request): the child
   * is stopped and restarted with new pipes, so nothing it left in the old ones is ever read.
   */
  function violation(why: string): CallReply {
    alive = false;
    const pid = Atomics.load(flags, SLOT.pid);
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    return { ok: false, failure: { verdict: "protocol", message: `sent a reply the sandbox's protocol does not allow (${why}); the sandbox was restarted` } };
  }

  /** Block until the child's next frame (or the helper's abort); `since` continues a call's clock. */
  function readFrame(startup: boolean, since?: number): CallReply | InitReply | CallbackRequest | Progress {
    Atomics.store(flags, SLOT.since, since ?? (startup ? -clock() : clock()));
    Atomics.store(flags, SLOT.busy, 1);
    try {
      const head = readExactly(4);
      if (!head || head.readUInt32LE(0) === 0xffffffff) return { ok: false, failure: abortFailure() } as CallReply;
      const n = head.readUInt32LE(0);
      if (n === 0 || n > FRAME_LIMIT) return violation(`a frame of ${n} bytes`);
      const body = readExactly(n);
      if (!body) return { ok: false, failure: abortFailure() } as CallReply;
      let frame: unknown;
      try {
        frame = deserialize(body);
      } catch {
        return violation("a frame that is not structured-clone data");
      }
      if (frame === null || typeof frame !== "object") return violation("a frame that is not an object");
      const f = frame as { ok?: unknown; exports?: unknown; rid?: unknown; t?: unknown; fn?: unknown; id?: unknown; args?: unknown; values?: unknown };
      if (startup) {
        if (typeof f.ok !== "boolean" || !Array.isArray(f.exports)) return violation("a start-up frame without the module's exports");
      } else {
        if (f.rid !== expectedRid) return violation(`a frame for request ${String(f.rid)} while request ${expectedRid} was out`);
        if (f.t === "progress" ? typeof f.fn !== "string" : f.t === "callback" ? typeof f.id !== "number" || !Array.isArray(f.args) : f.t !== undefined || typeof f.ok !== "boolean" || (f.ok && !Array.isArray(f.values)))
          return violation("a frame of no known kind");
      }
      return frame as CallReply | InitReply | CallbackRequest | Progress;
    } finally {
      Atomics.store(flags, SLOT.busy, 0);
    }
  }

  /** Start a child (a new generation with new pipes) and return its answer to loading the module. */
  function startChild(): InitReply {
    cleanup();
    generation++;
    const req = path.join(ioDir, `req-${generation}.fifo`);
    const rep = path.join(ioDir, `rep-${generation}.fifo`);
    const mk = spawnSync("mkfifo", ["-m", "600", req, rep]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    // the child (the sandbox uid) may open its two pipes and nothing else here
    if (isolation.uid !== undefined) for (const f of [req, rep]) chownSync(f, isolation.uid, isolation.gid!);
    fifos = [req, rep];
    repFd = openSync(rep, constants.O_RDWR);
    Atomics.store(flags, SLOT.generation, generation);
    const msg: SpawnRequest = { t: "spawn", generation, req, rep, module: files!.submission };
    port1.postMessage(msg);
    const first = readFrame(true) as CallReply | InitReply;
    if (!("exports" in first)) return { ok: false, exports: [], failure: first.failure };
    const init = first;
    reqFd = openSync(req, constants.O_WRONLY);
    alive = true;
    return init;
  }

  function writeFrame(value: unknown): boolean {
    const body = serialize(value);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    try {
      writeSync(reqFd, Buffer.concat([head, body]));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Run a callback the child asked for: the real function (book-side, trusted) on the copied
   * arguments; its result, or the error it threw, goes back as plain data.
   */
  function runCallback(f: Function | undefined, args: unknown[]): CallbackReply {
    try {
      if (typeof f !== "function") throw new Error("no such callback");
      const value: unknown = f(...(Array.isArray(args) ? args : []));
      serialize(value); // must be plain data
      return { t: "result", ok: true, value };
    } catch (e) {
      const err = e as { name?: unknown; message?: unknown } | null;
      return { t: "result", ok: false, name: String(err?.name ?? "Error"), message: truncate(String(err?.message ?? e)) };
    }
  }

  /** Allowance per callback round trip (ms) that does not count against the call's time limit. */
  const CALLBACK_ALLOWANCE_MS = 0.05;

  /** Waiting for the reply to a call, answering the child's callbacks (`callbacks`) meanwhile. */
  function awaitReply(callbacks: Function[], onProgress?: (fn: string) => void): CallReply {
    let since = clock();
    let count = 0;
    for (;;) {
      const frame = readFrame(false, since);
      if ((frame as Progress).t === "progress") {
        // a long request (a loop run in the child) is still moving: the time limit starts again,
        // unless the submission's total time is used up (then the watchdog stops it at the next limit)
        if (Date.now() <= deadline) since = clock();
        onProgress?.((frame as Progress).fn);
        continue;
      }
      if ((frame as CallbackRequest).t !== "callback") return frame as CallReply;
      const cb = frame as CallbackRequest;
      if (++count > CALLBACK_COUNT) {
        // Too many: the child gets an error; it either stops or keeps failing until its time limit.
        if (!writeFrame({ t: "result", ok: false, name: "Error", message: `more than ${CALLBACK_COUNT} callbacks in one call` } satisfies CallbackReply))
          return { ok: false, failure: abortFailure() };
        continue;
      }
      const t0 = Date.now();
      const answer = runCallback(callbacks[cb.id], cb.args);
      // The judging side's time does not count against the child's limit.
      since += Date.now() - t0 + CALLBACK_ALLOWANCE_MS;
      if (!writeFrame(answer)) return { ok: false, failure: abortFailure() };
    }
  }

  /** One round trip: write the request frame, block for the reply frame (answering callbacks). */
  function request(req: CallRequest | RunsRequest, callbacks: Function[] = [], onProgress?: (fn: string) => void): CallReply {
    if (!alive || aborted()) {
      if (aborted()) abortFailure();
      const init = startChild();
      if (!alive) return { ok: false, failure: init.failure ?? { verdict: "crash", message: "the sandbox did not start" } };
    }
    const outer = expectedRid;
    req.rid = expectedRid = ++nextRid;
    try {
      return send(req, callbacks, onProgress);
    } finally {
      expectedRid = outer;
    }
  }

  function send(req: CallRequest | RunsRequest, callbacks: Function[], onProgress?: (fn: string) => void): CallReply {
    const body = serialize(req);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    try {
      writeSync(reqFd, Buffer.concat([head, body]));
    } catch {
      return { ok: false, failure: abortFailure() };
    }
    return awaitReply(callbacks, onProgress);
  }

  let exportsFound: Map<string, string> = new Map();
  if (!setupFailure) {
    const init = startChild();
    if (init.ok) exportsFound = new Map(init.exports.map((e) => [e.name, e.type]));
    else setupFailure = init.failure ?? { verdict: "import", message: "the module did not load" };
    if (setupFailure && setupFailure.verdict === "throw") setupFailure = { ...setupFailure, verdict: "import" };
  }
  // When the module cannot load, the names it should export (from the grader's type check) fail.
  const declared = (process.env.PGBOOK_SANDBOX_EXPORTS ?? "").split(",").filter(Boolean);

  const strikes = new Map<string, { n: number; last: string }>();
  const chunkSize = new Map<string, number>();
  const callCounts = new Map<string, number>();

  // Contract functions are pure, so a call without a stream is answered from a cache when the same
  // arguments (by content) were seen before: exact checks and enumerations repeat calls a lot. The
  // first call of each argument list runs in the sandbox with all its checks.
  const memo = new Map<string, unknown>();
  /** Record in the running test's facts which contract functions it called (the grader scores by it). */
  function note(fn: string): void {
    const pg = TestRunner.getCurrentTest()?.meta.pgbook;
    if (!pg) return;
    const names = (pg.implements ??= []);
    if (!names.includes(fn)) names.push(fn);
  }

  /**
   * A non-finite result goes back to the spec (a check may expect a divergence); the first one of the
   * test is recorded, and if the check then fails the grader reports it with the verdict `nonfinite`.
   */
  let lastNonFinite = false;
  function noteNonFinite(fn: string, where: string): void {
    const pg = TestRunner.getCurrentTest()?.meta.pgbook;
    if (pg && !pg.nonfinite) pg.nonfinite = failureMessage(fn, { verdict: "nonfinite", message: `returned a non-finite number: ${where}` });
  }

  function single(fn: string, args: unknown[]): unknown {
    note(fn);
    const key = memoKey(fn, args);
    if (key !== undefined && memo.has(key)) return structuredClone(memo.get(key));
    lastNonFinite = false;
    const v = callMany(fn, [args])[0];
    // (a non-finite result is not cached, so that every test meeting it records it)
    if (key !== undefined && !lastNonFinite) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, structuredClone(v));
    }
    return v;
  }

  /** Throw what a call of `fn` would meet before reaching the child (no module, no export, deadline, strikes). */
  function precheck(fn: string): void {
    if (setupFailure) {
      const f = setupFailure.verdict === "import" ? { ...setupFailure, message: `(the module failed to load) ${setupFailure.name ?? "Error"}: ${setupFailure.message}` } : setupFailure;
      throw new SandboxError("import", failureMessage(fn, f));
    }
    if (!exportsFound.has(fn)) throw Object.assign(new Error(`not attempted: the submission does not export "${fn}"`), { name: "NotAttempted" });
    if (Date.now() > deadline)
      throw new SandboxError("deadline", failureMessage(fn, { verdict: "deadline", message: "not called: the submission's total time limit is used up" }));
    const s = strikes.get(fn);
    if (s && s.n >= STRIKES) throw new SandboxError(s.last, `${s.last.replace(/^pgbook-sandbox\[(\w[\w-]*)\]: /, "pgbook-sandbox[$1]: (not called again) ")}`);
  }

  /**
   * Run one of the book's loops (`kind`) inside the child over the student's functions `fns`: one
   * round trip for the whole experiment. The results are the child's data; the caller verifies them
   * (see runBanditLoops in impl.ts) before judging anything on them.
   */
  function runLoop(kind: RunsRequest["kind"], specs: unknown[], fns: string[]): unknown[] {
    for (const fn of fns) note(fn);
    for (const fn of fns) precheck(fn);
    let current = fns[0];
    const reply = request({ t: "runs", kind, specs }, [], (fn) => (current = fns.includes(fn) ? fn : current));
    if (reply.nonfinite) {
      lastNonFinite = true;
      noteNonFinite(reply.nonfinite.fn ?? fns[0], reply.nonfinite.where);
    }
    if (!reply.ok) {
      // the function named by the child's failure, else (a timeout, a crash) the one it was calling
      const fn = reply.failure?.fn && fns.includes(reply.failure.fn) ? reply.failure.fn : current;
      fail(fn, reply, strikes.get(fn)?.n ?? 0);
    }
    return reply.values!;
  }

  function callMany(fn: string, argsList: unknown[][]): unknown[] {
    note(fn);
    precheck(fn);
    const s = strikes.get(fn);
    const values: unknown[] = [];
    for (let from = 0, size = chunkSize.get(fn) ?? CHUNK; from < argsList.length; from += size, size = chunkSize.get(fn) ?? CHUNK) {
      // Streams are encoded per chunk, after the previous chunk advanced them.
      const chunk = argsList.slice(from, from + size);
      const streams = new Map<unknown, number>();
      const states: RngState[] = [];
      const callbacks: Function[] = [];
      // The same argument objects in every call (a sampling loop): sent once, with a repeat count.
      const first = chunk[0];
      const repeated = chunk.length > 1 && chunk.every((a) => a.length === first.length && a.every((x, j) => x === first[j]));
      const seen = new Map<object, unknown>();
      const calls = repeated ? [encodeArgs(first, streams, states, callbacks, seen)] : chunk.map((args) => encodeArgs(args, streams, states, callbacks, seen));
      const count = callCounts.get(fn) ?? 0;
      callCounts.set(fn, count + chunk.length);
      const recheck = states.length > 0 && (count < 3 || count % 64 === 0 || chunk.length > 1);
      const t0 = Date.now();
      const reply = request({ t: "call", fn, calls, rngs: states, recheck, ...(repeated ? { repeat: chunk.length } : {}) }, callbacks);
      const ms = Date.now() - t0;
      if (chunk.length === size && ms < CHUNK_FAST_MS) chunkSize.set(fn, Math.min(CHUNK_MAX, size * 2));
      else if (ms > CHUNK_SLOW_MS) chunkSize.set(fn, Math.max(1, Math.floor(size / 2)));
      if (reply.nonfinite) {
        lastNonFinite = true;
        noteNonFinite(fn, reply.nonfinite.where);
      }
      if (reply.rngs) {
        // a stream comes back only in a state its own draws reach: the child cannot choose the spec's later draws
        for (const [, i] of streams)
          if (!isContinuation(states[i], reply.rngs[i]))
            fail(fn, { ok: false, failure: { verdict: "output", message: `gave back its random stream (argument stream ${i + 1}) in a state no sequence of draws from it reaches` } }, s?.n ?? 0);
        for (const [rng, i] of streams) (rng as { restore?: (s: RngState) => void }).restore?.(reply.rngs[i]);
      }
      if (!reply.ok) fail(fn, reply, s?.n ?? 0);
      for (const v of reply.values!) values.push(v);
    }
    return values;
  }

  function fail(fn: string, reply: CallReply, strikesSoFar: number): never {
    const f = reply.failure!;
    const msg = failureMessage(fn, f, reply.output);
    if (STICKY.has(f.verdict)) strikes.set(fn, { n: strikesSoFar + 1, last: msg });
    if (f.verdict === "throw") {
      // the student's message as the spec sees it, with any forged grader marker defused
      f.message = unmark(String(f.message));
      // The student's own message, unprefixed (a spec may match it, e.g. toThrow(/^invalid/)); the
      // grader's marker and the function's name go into the stack, which the reports read.
      const Cls = errorClasses[f.name ?? ""] ?? Error;
      const e = new Cls(f.message);
      e.stack = `${f.name ?? "Error"}: ${f.message}\n${msg}`;
      throw e;
    }
    throw new SandboxError(f.verdict, msg);
  }

  const key = verificationKey(masterSeed());
  const runBandits = (specs: RunSpec[], label: string) => verifiedBanditRuns(runLoop, callMany as unknown as CallMany, specs, label, key);
  const target: Record<string | symbol, unknown> = { [CALL_MANY]: callMany, [RUN_LOOP]: runLoop, [RUN_BANDITS]: runBandits };
  const cache = new Map<string, (...args: unknown[]) => unknown>();
  const names = () => (setupFailure ? declared : [...exportsFound.keys()]);
  return new Proxy(target, {
    // Spreading or listing the proxy ({ ...impl }) sees the exported names, like a module namespace.
    ownKeys: (t) => [...names(), ...Reflect.ownKeys(t)],
    getOwnPropertyDescriptor(t, prop) {
      if (typeof prop === "string" && names().includes(prop))
        return { configurable: true, enumerable: true, writable: false, value: (this as ProxyHandler<object>).get!(t, prop, t) };
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
    has: (t, prop) => (typeof prop === "string" && names().includes(prop)) || Reflect.has(t, prop),
    get(t, prop) {
      if (typeof prop !== "string") return Reflect.get(t, prop);
      const exists = setupFailure ? declared.includes(prop) : exportsFound.has(prop);
      if (!exists) return undefined;
      let f = cache.get(prop);
      if (!f) {
        f = (...args: unknown[]) => single(prop, args);
        cache.set(prop, f);
      }
      return f;
    },
  });
}
