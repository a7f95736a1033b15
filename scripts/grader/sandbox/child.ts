/**
 * The sandbox's child process: it holds the student module and nothing of the grader. Started by the
 * helper thread (helper.ts) under Node's permission model (reads only its own folder, no file
 * writes, no child processes, no workers) with a heap limit. It answers calls in order; verdicts are
 * computed by the specs in the judging process, never here — this side only reports facts about a
 * call (threw, mutated an argument, called Math.random, produced different results when rerun).
 */
import { openSync, readSync, writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { deserialize, serialize } from "node:v8";
import {
  emptyTrace,
  runReinforce,
  runReinforceMany,
  type CallMany,
  type Engine,
  type RunOptions,
} from "../../../measure/bandits/run.ts";
import { fromState, type Rng, type Seed } from "../../../src/contract/random.ts";
import {
  decodeArgs,
  findNonFinite,
  sameData,
  sizeOf,
  typeName,
  truncate,
  CALLBACK_DEPTH,
  type CallbackReply,
  type CallbackRequest,
  type CallReply,
  type CallRequest,
  type Failure,
  type InitReply,
  type Progress,
  type RunsRequest,
  type Verdict,
} from "./protocol.ts";
import { packStates, packValues, unpack, unpackStates } from "./packing.ts";

/** Results larger than this many numbers are refused (they could exhaust the grader's memory). */
const RESULT_LIMIT = 5_000_000;

let mod: Record<string, unknown> = {};

// Randomness outside the injected stream is a fault of the submission: record every use.
let usedMathRandom = false;
const realRandom = Math.random;
Math.random = function random(): number {
  usedMathRandom = true;
  return realRandom();
};
// process.exit from student code ends the call with a message rather than silently.
process.exit = (code?: number) => {
  throw Object.assign(new Error(`called process.exit(${code ?? ""})`), { pgbookVerdict: "crash" });
};

function text(x: unknown): string {
  try {
    if (x instanceof Error) return String(x.message);
    if (typeof x === "string") return x;
    return JSON.stringify(x) ?? String(x);
  } catch {
    return "(an unprintable value)";
  }
}

function failureOf(e: unknown, fallback: Verdict, index?: number): Failure {
  let name = "Error";
  let code: unknown;
  let verdict: Verdict = fallback;
  try {
    if (e instanceof Error) name = String(e.name);
    else name = typeName(e);
    code = (e as { code?: unknown } | null)?.code;
    const v = (e as { pgbookVerdict?: Verdict } | null)?.pgbookVerdict;
    if (v) verdict = v;
  } catch {
    /* a hostile getter: keep the defaults */
  }
  if (code === "ERR_ACCESS_DENIED") verdict = "access";
  return { verdict, name: truncate(name, 100), message: truncate(text(e)), index };
}

async function init(path: string): Promise<InitReply> {
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const exports = Object.keys(mod).map((name) => ({ name, type: typeof mod[name] }));
    return { ok: true, exports };
  } catch (e) {
    return { ok: false, exports: [], failure: failureOf(e, "import") };
  }
}

function fail(f: Failure): CallReply {
  return { ok: false, failure: f };
}

let reqFd = -1;
let repFd = -1;
let callbackDepth = 0;

/** Call function `id` of the judging process (a callback argument) and block for its result. */
function callHost(id: number, args: unknown[]): unknown {
  if (callbackDepth >= CALLBACK_DEPTH) throw new Error(`callbacks nested deeper than ${CALLBACK_DEPTH}`);
  const msg: CallbackRequest = { t: "callback", id, args, rid: currentRid };
  let body: Buffer;
  try {
    body = serialize(msg);
  } catch (e) {
    // eslint-disable-next-line preserve-caught-error -- the serializer's error reaches student code: only its text goes with it
    throw new TypeError(`a callback's arguments must be plain data: ${text(e)}`);
  }
  writeBody(repFd, body);
  callbackDepth++;
  try {
    for (;;) {
      const m = readFrame(reqFd) as CallbackReply | CallRequest | undefined;
      if (!m) process.kill(process.pid, "SIGKILL");
      if (m!.t === "result") {
        if (m!.ok) return m!.value;
        const Cls = ({ TypeError, RangeError } as Record<string, ErrorConstructor>)[m!.name] ?? Error;
        throw new Cls(m!.message);
      }
      // A callback that calls the sandbox again: answer that call first.
      const saved = usedMathRandom;
      writeFrame(repFd, runSafe(m as CallRequest));
      usedMathRandom = saved;
    }
  } finally {
    callbackDepth--;
  }
}

/** A reply whose many results are numbers or Float64Arrays of one length, in one column, and its many stream states packed (packing.ts). */
function packed(r: CallReply): CallReply {
  const p = r.ok && r.values ? packValues(r.values) : undefined;
  const q = r.ok && r.rngs ? packStates(r.rngs) : undefined;
  return { ...r, ...(p ? { values: [], packed: p } : {}), ...(q ? { rngs: [], packedRngs: q } : {}) };
}

/** The number of the request being answered: every frame sent meanwhile carries it. */
let currentRid: number | undefined;

function runSafe(msg: CallRequest | RunsRequest): CallReply {
  const outer = currentRid;
  currentRid = msg.rid;
  try {
    if (msg.t === "runs") {
      lastBody = undefined;
      return { ...runLoop(msg), rid: msg.rid };
    }
    return { ...packed(run(msg)), rid: msg.rid };
  } catch (e) {
    return { ...fail(failureOf(e, "crash")), rid: msg.rid };
  } finally {
    currentRid = outer;
  }
}

/** A self-contained function sent as source (a step-size schedule): run here, else as a callback. */
function portable(src: string, id: number): (...a: unknown[]) => unknown {
  try {
    const f = (0, eval)(`(${src})`) as unknown;
    if (typeof f === "function") return f as (...a: unknown[]) => unknown;
  } catch {
    /* fall back to the round trip */
  }
  return (...a: unknown[]) => callHost(id, a);
}

/** Why a function's result cannot be judged (a promise, a function, too large), or undefined. */
function outputProblem(v: unknown): string | undefined {
  const t = typeof v;
  if (
    t === "function" ||
    t === "symbol" ||
    t === "bigint" ||
    (v !== null && t === "object" && typeof (v as { then?: unknown }).then === "function")
  )
    return `returned a ${typeName(v)}; contract functions return plain data synchronously`;
  if (sizeOf(v, RESULT_LIMIT) > RESULT_LIMIT) return `returned more than ${RESULT_LIMIT} numbers`;
  return undefined;
}

/** Thrown through the book's loop when a student function fails inside a runs request. */
interface Stop {
  pgbookStop: Failure;
}

/** An untouched copy of an argument for the mutation check, or undefined when none is needed. */
function snapshot(a: unknown): unknown {
  if (a === null || typeof a !== "object") return undefined; // numbers, strings, streams: cannot be modified
  if (ArrayBuffer.isView(a)) return (a as unknown as Float64Array).slice();
  try {
    return structuredClone(a);
  } catch {
    return undefined;
  }
}

/**
 * Tell the judging side which function a long request is about to call: the request is still moving
 * (its time limit starts again), and a timeout from here on is that function's.
 */
function progress(fn: string): void {
  writeFrame(repFd, { t: "progress", fn, rid: currentRid } satisfies Progress);
}

/** What a loop's calls noted: the first non-finite result. */
type Noted = { nonfinite?: CallReply["nonfinite"] };

/** Stop a loop running here: a student function failed (thrown through the book's loop, caught by `runLoop`). */
function stopLoop(name: string, f: Failure): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a marker for the loop's catch below, not an error
  throw { pgbookStop: { ...f, fn: name } } satisfies Stop;
}

/** The student's function `name`, for a loop running here (a loop stops at once when it is not a function). */
function loopFunction(name: string): (...a: unknown[]) => unknown {
  const fn = mod[name];
  if (typeof fn !== "function")
    stopLoop(name, { verdict: "type", message: `"${name}" is not a function (it is ${typeName(fn)})` });
  return fn as (...a: unknown[]) => unknown;
}

/**
 * One call of the student's `fn` (named `name`) by a loop running here, with the same facts
 * recorded as in `run` (threw, Math.random, unjudgeable output, a modified argument, the first
 * non-finite result); a failure stops the loop, `i` is the call's index for its message.
 */
function guardedCall(
  name: string,
  fn: (...a: unknown[]) => unknown,
  args: unknown[],
  i: number,
  noted: Noted,
): unknown {
  const before = args.map(snapshot);
  usedMathRandom = false;
  let v: unknown;
  try {
    v = fn(...args);
  } catch (e) {
    stopLoop(name, failureOf(e, "throw", i));
  }
  if (usedMathRandom)
    stopLoop(name, {
      verdict: "math-random",
      message: "called Math.random; draw every random number from the rng argument",
      index: i,
    });
  const bad = outputProblem(v);
  if (bad) stopLoop(name, { verdict: "output", message: bad, index: i });
  if (!noted.nonfinite) {
    const nf = findNonFinite(v);
    if (nf) noted.nonfinite = { index: i, where: nf, fn: name };
  }
  for (let j = 0; j < args.length; j++) {
    if (before[j] !== undefined && !sameData(args[j], before[j]))
      stopLoop(name, {
        verdict: "mutation",
        message: `modified its argument ${j + 1} (${typeName(args[j])}); contract functions must leave their inputs untouched`,
        index: i,
      });
  }
  return v;
}

/**
 * The student's functions called in batches by a loop running here (the exact mode): progress
 * before each batch names the function about to be called, so a timeout or crash is charged to it.
 */
function localCaller(noted: Noted): CallMany {
  return ((name: string, argsList: unknown[][]) => {
    progress(name);
    const fn = loopFunction(name);
    return argsList.map((args, i) => guardedCall(name, fn, args, i, noted));
  }) as CallMany;
}

/** How often a loop in the fast mode tells the judging side it is still moving (ms). */
const PROGRESS_MS = 200;

/**
 * The student's functions as an engine, called one at a time by a loop running here (the fast
 * mode). Progress goes out at most every PROGRESS_MS, so the function it names may not be the one a
 * timeout interrupts: the judging side reruns a loop that timed out or crashed in the exact mode,
 * whose verdict is the one that counts (loop.ts). The submission's total time is watched here, after
 * every call: the call during which `stopAt` passed is named and the loop stops, before the judging
 * side's watchdog would have to (which could only charge the function of the last progress). With
 * `exact`, progress comes before every call.
 */
function localEngine(noted: Noted, stopAt: number | undefined, exact = false): Engine {
  let calls = 0;
  let last = 0;
  // the deadline is read after every call only in its last second (a clock read costs ~50 ns)
  let near = false;
  const one = (name: keyof Engine) => {
    let fn: ((...a: unknown[]) => unknown) | undefined;
    return (...args: unknown[]) => {
      fn ??= loopFunction(name);
      if (exact) progress(name);
      else if ((calls & 15) === 0) {
        const now = Date.now();
        if (now - last >= PROGRESS_MS) {
          progress(name);
          last = now;
        }
        near = stopAt !== undefined && now >= stopAt - 1000;
      }
      const v = guardedCall(name, fn, args, calls++, noted);
      if (near && Date.now() >= stopAt!)
        stopLoop(name, {
          verdict: "deadline",
          message: "was stopped: the submission's total time limit was used up during the call",
        });
      return v;
    };
  };
  return {
    gibbsPolicy: one("gibbsPolicy"),
    sampleAction: one("sampleAction"),
    reinforceStep: one("reinforceStep"),
    reinforceBaselineStep: one("reinforceBaselineStep"),
    updateRunningAverage: one("updateRunningAverage"),
  } as unknown as Engine;
}

type Specs = { o: RunOptions; seed: Seed }[];

/** The book's loops a runs request may name (bundled into the child; they call the student's functions). */
const LOOPS: Record<RunsRequest["kind"], (specs: Specs, req: RunsRequest, noted: Noted) => unknown[]> = {
  // the runs of a figure: in the exact mode all stepped together, batch by batch; else one after another
  "bandit-reinforce": (specs, req, noted) => {
    if (req.exact) return runReinforceMany(specs, localCaller(noted));
    const engine = localEngine(noted, req.stopAt);
    return specs.map((s) => runReinforce(s.o, s.seed, engine));
  },
  // the draws of runs already reported (the judging side picked them afterwards), for their verification
  "bandit-trace": (specs, req, noted) => {
    const engine = localEngine(noted, req.stopAt, req.exact === true);
    return specs.map((s) => {
      const trace = emptyTrace(s.o.steps);
      runReinforce(s.o, s.seed, engine, trace);
      return trace;
    });
  },
};

/** Run one of the book's loops over the student's functions, here; the judging side verifies the results. */
function runLoop(req: RunsRequest): CallReply {
  const loop = LOOPS[req.kind];
  if (!loop) return fail({ verdict: "output", message: `unknown loop "${String(req.kind)}"` });
  const noted: Noted = {};
  try {
    return { ok: true, values: loop(req.specs as Specs, req, noted), rngs: [], nonfinite: noted.nonfinite };
  } catch (e) {
    const stop = (e as Partial<Stop> | null)?.pgbookStop;
    if (stop) return fail(stop);
    // not a student function's failure: the book's loop itself threw on what a function returned
    return fail(failureOf(e, "output"));
  }
}

/** Run one function over a batch of argument lists (sharing the streams), then report. */
function run(req: CallRequest): CallReply {
  const fn = mod[req.fn];
  if (typeof fn !== "function")
    return fail({ verdict: "type", message: `"${req.fn}" is not a function (it is ${typeName(fn)})` });
  const stubs = new Map<number, (...a: unknown[]) => unknown>();
  const stub = (id: number, src?: string) => {
    let f = stubs.get(id);
    if (!f) stubs.set(id, (f = src === undefined ? (...a: unknown[]) => callHost(id, a) : portable(src, id)));
    return f;
  };
  let nonfinite: CallReply["nonfinite"];
  const rngStates = req.packedRngs ? unpackStates(req.packedRngs) : req.rngs;
  const streams: Rng[] = rngStates.map((s) => fromState(s));
  const values: unknown[] = [];
  // `repeat`: one argument list (the same objects) for every call, as a loop passing the same values
  // packed argument lists (packing.ts) are unpacked twice: the calls' own arrays, and untouched copies
  const calls = req.packed ? unpack(req.packed, rngStates.length) : req.calls;
  const count = req.repeat ?? calls.length;
  const at = (i: number) => (req.repeat ? 0 : i);
  const recheckCount = req.recheck ? Math.min(count, 4) : 0;
  const kept: unknown[][] = [];
  // Untouched copies of the arguments, for the mutation check and the reruns: one second
  // deserialization of the whole frame is much cheaper than a structured clone per call.
  const body = lastBody;
  lastBody = undefined;
  const pristine = req.packed
    ? unpack(req.packed, rngStates.length)
    : body
      ? (deserialize(body) as CallRequest).calls
      : req.calls.map((c) => structuredClone(c));
  let decoded: unknown[] | undefined;
  for (let i = 0; i < count; i++) {
    const raw = calls[at(i)];
    const before = pristine[at(i)];
    if (i < recheckCount) kept.push(before);
    const args = req.repeat ? (decoded ??= decodeArgs(raw, streams, stub)) : decodeArgs(raw, streams, stub);
    usedMathRandom = false;
    let v: unknown;
    try {
      v = (fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      return fail(failureOf(e, "throw", i));
    }
    if (usedMathRandom)
      return fail({
        verdict: "math-random",
        message: "called Math.random; draw every random number from the rng argument",
        index: i,
      });
    const bad = outputProblem(v);
    if (bad) return fail({ verdict: "output", message: bad, index: i });
    const nf = findNonFinite(v);
    // Non-finite results go back to the spec (a check may expect a divergence); noted for the report.
    if (nf && !nonfinite) nonfinite = { index: i, where: nf };
    if (!sameData(raw, before)) {
      const which = raw.findIndex((a, j) => !sameData(a, before[j]));
      return fail({
        verdict: "mutation",
        message: `modified its argument ${which + 1} (${typeName(raw[which])}); contract functions must leave their inputs untouched`,
        index: i,
      });
    }
    values.push(v);
  }
  const rngs = streams.map((s) => s.state!());
  if (recheckCount > 0) {
    // Nondeterminism: the same inputs from the same stream states must give the same results.
    const again = rngStates.map((s) => fromState(s));
    for (let i = 0; i < recheckCount; i++) {
      let v: unknown;
      try {
        v = (fn as (...a: unknown[]) => unknown)(...decodeArgs(kept[i], again, stub));
      } catch (e) {
        return fail({
          verdict: "nondeterminism",
          message: `threw on a rerun with the same inputs and seed (${text(e)})`,
          index: i,
        });
      }
      if (!sameData(v, values[i]))
        return fail({
          verdict: "nondeterminism",
          message: "returned different results for the same inputs and the same seed",
          index: i,
        });
    }
    if (
      recheckCount === count &&
      !sameData(
        again.map((s) => s.state!()),
        rngs,
      )
    )
      return fail({
        verdict: "nondeterminism",
        message: "drew a different number of values from the stream for the same inputs",
        index: 0,
      });
  }
  return { ok: true, values, rngs, nonfinite };
}

// The transport: length-prefixed frames (v8 serialization, i.e. structured clone) over two named pipes,
// read and written synchronously. argv: <request fifo> <reply fifo> <module>.
const [reqPath, repPath, modulePath] = process.argv.slice(2);

function readExactly(fd: number, n: number): Buffer | undefined {
  const b = Buffer.allocUnsafe(n);
  let o = 0;
  while (o < n) {
    const k = readSync(fd, b, o, n - o, null);
    if (k === 0) return undefined; // the grader went away
    o += k;
  }
  return b;
}

function writeFrame(fd: number, value: unknown): void {
  let body: Buffer;
  try {
    body = serialize(value);
  } catch (e) {
    body = serialize(
      fail({ verdict: "output", message: `the result cannot be copied out of the sandbox: ${text(e)}` }),
    );
  }
  writeBody(fd, body);
}

function writeBody(fd: number, body: Buffer): void {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  writeSync(fd, Buffer.concat([head, body]));
}

/** The next frame on `fd`, or undefined when the grader went away. */
function readFrame(fd: number): unknown {
  const head = readExactly(fd, 4);
  if (!head) return undefined;
  const body = readExactly(fd, head.readUInt32LE(0));
  lastBody = body;
  return body && deserialize(body);
}

/** The body of the frame read last: `run` deserializes it a second time for pristine copies of its arguments. */
let lastBody: Buffer | undefined;

async function main(): Promise<void> {
  const first = await init(modulePath);
  const rep = (repFd = openSync(repPath, "w"));
  writeFrame(rep, first);
  const req = (reqFd = openSync(reqPath, "r"));
  for (;;) {
    const msg = readFrame(req) as CallRequest | RunsRequest | undefined;
    if (!msg) break;
    const reply = first.ok
      ? runSafe(msg)
      : { ...fail(first.failure ?? { verdict: "import", message: "the module did not load" }), rid: msg.rid };
    writeFrame(rep, reply);
  }
  process.kill(process.pid, "SIGKILL");
}

void main();
