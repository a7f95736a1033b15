/**
 * The sandbox's wire format, shared by the client (in the judging process), the helper thread and
 * the child process that holds the student module. Values cross by structured clone (Node's
 * "advanced" IPC serialization), so Float64Array, NaN and ±Infinity survive. A seeded stream
 * (`Rng`, a function) cannot cross: it is sent as its state and rebuilt on the other side.
 */
import type { Packed } from "./packing.ts";
import type { RngState } from "../../../src/contract/random.ts";
import { truncate as cut } from "../../lib/text.ts";

/** A stream argument on the wire: the index of the stream in the call's stream table. */
export interface RngRef {
  __pgbookRng: number;
}

/**
 * A function argument other than a stream (a task's reward, a step-size schedule) on the wire: the
 * index of the function in the call's callback table. The child calls a stub that sends a
 * `CallbackRequest` to the judging process, which runs the real (book-side) function on the decoded
 * arguments and answers with a `CallbackReply`; arguments and results are plain data.
 */
export interface FnRef {
  __pgbookFn: number;
  /** The source of a self-contained function (see `portableSource`): the child runs it itself. */
  src?: string;
}

/** Any function, as a value whose source is read (never called through this type). */
type AnyFunction = (...args: never[]) => unknown;

/** A book-side function the child may call back through a `FnRef` (a task's reward, a step-size schedule). */
export type Callback = (...args: unknown[]) => unknown;

/** Names a self-contained function may use besides its own: JavaScript's words and pure builtins. */
const PORTABLE_NAMES = new Set(
  (
    "function return const let var if else for while do of in new typeof instanceof void true false null undefined " +
    "NaN Infinity this break continue switch case default Math Number Array Float64Array Int32Array Uint8Array " +
    "Object String Boolean isFinite isNaN Error RangeError TypeError JSON"
  ).split(" "),
);

/**
 * The source of a function that uses nothing but its parameters, its own locals and pure builtins (a
 * step-size schedule such as `(t) => 10 / (100 + t)`), or undefined. Such a function runs in the
 * child itself instead of costing a round trip per call; the check is conservative (any other name,
 * even in a string, makes it a callback). Its results are the child's data like any other: the
 * judging side trusts nothing computed there.
 */
export function portableSource(f: AnyFunction): string | undefined {
  let src: string;
  try {
    src = Function.prototype.toString.call(f);
  } catch {
    return undefined;
  }
  if (src.length > 2000 || /\[native code\]|`|\/\/|\/\*|\bawait\b|\byield\b|\bimport\b|\beval\b/.test(src))
    return undefined;
  const noStrings = src.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  const own = new Set<string>();
  // parameters and locals: the head's names and every declared name
  const head = /^\s*(?:function\s*[\w$]*\s*)?\(?([^)=]*)\)?\s*(?:=>|\{)/.exec(noStrings);
  if (!head) return undefined;
  for (const m of head[1].matchAll(/[A-Za-z_$][\w$]*/g)) own.add(m[0]);
  for (const m of noStrings.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) own.add(m[1]);
  const name = /^\s*function\s+([\w$]+)/.exec(noStrings);
  if (name) own.add(name[1]);
  for (const m of noStrings.matchAll(/(\.\s*)?([A-Za-z_$][\w$]*)/g)) {
    if (m[1]) continue; // a property
    if (!own.has(m[2]) && !PORTABLE_NAMES.has(m[2])) return undefined;
  }
  return /^\s*(?:async|class)\b/.test(src) || (/^\s*[\w$]+\s*\(/.test(src) && !/^\s*function\b/.test(src))
    ? undefined
    : src;
}

/** Child → judging process, in place of a call's reply: run callback `id` on `args`. */
export interface CallbackRequest {
  t: "callback";
  rid?: number;
  id: number;
  args: unknown[];
}

/** Judging process → child: the callback's result, or the error it threw. */
export type CallbackReply =
  { t: "result"; ok: true; value: unknown } | { t: "result"; ok: false; name: string; message: string };

/** Bounds on callbacks: nesting (a callback that calls the sandbox again) and count per call. */
export const CALLBACK_DEPTH = 4;
export const CALLBACK_COUNT = 2_000_000;

/** What the sandbox found wrong with a call, beyond a plain thrown error. */
export type Verdict =
  | "throw" // the student's function threw
  | "import" // the module threw (or hung) while loading
  | "timeout" // no answer within the per-call limit
  | "deadline" // the per-submission time limit was used up
  | "crash" // the process died (process.exit, a fatal error)
  | "oom" // the process ran out of memory
  | "output" // the result cannot be judged: a promise, a function, too large
  | "type" // the result has the wrong type
  | "nonfinite" // the result contains NaN or ±Infinity
  | "mutation" // an argument was modified
  | "math-random" // Math.random was called
  | "nondeterminism" // the same inputs and seed gave different results
  | "access" // the permission model denied a file or process access
  | "protocol"; // the child sent a frame the protocol does not allow (forged, malformed, oversized, out of turn)

export interface CallRequest {
  t: "call";
  /** The request's number: every frame the child sends while answering it carries it back. */
  rid?: number;
  fn: string;
  /** One argument list per call; the calls run in order and share the streams. */
  calls: unknown[][];
  /** Streams referenced by the arguments, as states. */
  rngs: RngState[];
  /** Rerun the calls from the same inputs and compare (nondeterminism check). */
  recheck: boolean;
  /** When set, `calls` holds one argument list, passed (the same objects) to this many calls in a row. */
  repeat?: number;
  /** When set, the argument lists in columns (packing.ts), and `calls` is empty. */
  packed?: Packed;
  /** When set, the streams' states packed (packing.ts), and `rngs` is empty. */
  packedRngs?: Float64Array;
}

/**
 * A whole experiment run inside the sandbox: the book's own loop (bundled into the child) calls the
 * student's functions there, without a round trip per step. `kind` names the loop; `specs` are its
 * inputs. The results are the child's data, which the judging side verifies step by step for some of
 * the runs (verified-runs.ts) before any claim is judged on them: "bandit-trace" gives the draws of
 * runs already reported, for that verification.
 */
export interface RunsRequest {
  t: "runs";
  rid?: number;
  kind: "bandit-reinforce" | "bandit-trace";
  specs: unknown[];
  /**
   * Call the functions batch by batch, each batch announced by a progress frame (a timeout is then
   * charged exactly); otherwise one call at a time with progress at most every 200 ms.
   */
  exact?: boolean;
  /** Epoch ms: in the fast mode the loop stops itself after the call during which this passes (the submission's time is up). */
  stopAt?: number;
}

/**
 * Child → judging process while a runs request is under way: still working (the call's clock starts
 * again). In the exact mode it comes before each batch of calls and names the function about to be
 * called (a timeout from here on is its); in the fast mode, at most every 200 ms, naming the
 * function being called then.
 */
export interface Progress {
  t: "progress";
  rid?: number;
  fn: string;
}

export interface InitRequest {
  t: "init";
  module: string;
}

export type Request = CallRequest | RunsRequest | InitRequest;

export interface Failure {
  verdict: Verdict;
  /** The name and message of a thrown error (untrusted text). */
  name?: string;
  message: string;
  /** Index of the call in a batch that failed. */
  index?: number;
  /** The function that failed, when a request calls several (a runs request). */
  fn?: string;
}

export interface CallReply {
  ok: boolean;
  rid?: number;
  values?: unknown[];
  /** When set, the values in one column (packing.ts), and `values` is empty (expanded on arrival). */
  packed?: Packed;
  /** When set, the streams' final states packed (packing.ts), and `rngs` is empty (expanded on arrival). */
  packedRngs?: Float64Array;
  rngs?: RngState[];
  failure?: Failure;
  /** Bounded output the process printed (untrusted text). */
  output?: string;
  /** The first non-finite number in the results, e.g. "[2] result[0] is NaN" (index of the call, path). */
  nonfinite?: { index: number; where: string; fn?: string };
}

export interface InitReply {
  ok: boolean;
  exports: { name: string; type: string }[];
  failure?: Failure;
  output?: string;
}

/** Slots of the shared Int32Array. */
export const SLOT = {
  /** 1 while the judging thread waits for the child. */
  busy: 0,
  /** Seconds·1000 (ms, modulo 2^31) since the helper started, when the current wait began. */
  since: 1,
  /** The child's pid. */
  pid: 2,
  /** Set by the helper before it writes an abort frame (the generation it aborted + 1). */
  aborted: 3,
  /** The child generation the judging thread is talking to. */
  generation: 4,
} as const;

export interface SpawnRequest {
  t: "spawn";
  generation: number;
  req: string;
  rep: string;
  module: string;
}

/** The largest frame the judging side reads (bytes); a larger announced length is a protocol violation. */
export const FRAME_LIMIT = 256 * 1024 * 1024;

/**
 * Untrusted text with the grader's marker defused: the verdict of a failure is the sandbox's account,
 * never something a submission writes into a message ("pgbook-sandbox[deadline]" becomes "pgbook-sandbox(deadline]").
 */
export function unmark(s: string): string {
  return s.replace(/pgbook-sandbox\s*\[/gi, "pgbook-sandbox(");
}

/** Limits of one untrusted text (messages, printed output) in every format. */
export const TEXT_LIMIT = 2000;

/** An untrusted text cut to `limit` characters (default TEXT_LIMIT), with a note of how many were cut. */
export const truncate = (s: string, limit = TEXT_LIMIT): string => cut(s, limit);

/**
 * Replace every stream (a function with `state()`) by a reference, and every other function by a
 * callback reference into `callbacks` (without that table, other functions are rejected). Objects
 * that hold no function are passed as they are, and `seen` (shared over the calls of a batch) maps
 * each object to its encoding, so an object passed to many calls keeps one identity: it is copied
 * once per frame by the structured clone instead of once per call.
 */
export function encodeArgs(
  args: unknown[],
  streams: Map<unknown, number>,
  states: RngState[],
  callbacks?: Callback[],
  seen: Map<object, unknown> = new Map(),
): unknown[] {
  const plain = (v: unknown, depth: number): boolean => {
    if (typeof v === "function") return false;
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || depth > 8) return true;
    if (v instanceof Map || v instanceof Set || v instanceof Date) return true;
    return (Array.isArray(v) ? v : Object.values(v)).every((x) => plain(x, depth + 1));
  };
  const enc = (v: unknown, depth: number): unknown => {
    if (v !== null && typeof v === "object") {
      if (seen.has(v)) return seen.get(v);
      const out = plain(v, depth) ? v : encOf(v, depth);
      seen.set(v, out);
      return out;
    }
    return encOf(v, depth);
  };
  const encOf = (v: unknown, depth: number): unknown => {
    if (typeof v === "function") {
      const f = v as { state?: () => RngState };
      if (typeof f.state !== "function") {
        if (!callbacks)
          throw new TypeError(
            "the sandbox cannot pass a function argument other than a seeded stream (Rng with state())",
          );
        const fn = v as Callback;
        let j = callbacks.indexOf(fn);
        if (j < 0) j = callbacks.push(fn) - 1;
        const src = portableSource(fn);
        return (src === undefined ? { __pgbookFn: j } : { __pgbookFn: j, src }) satisfies FnRef;
      }
      let i = streams.get(v);
      if (i === undefined) {
        i = states.length;
        streams.set(v, i);
        states.push(f.state());
      }
      return { __pgbookRng: i } satisfies RngRef;
    }
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || depth > 8) return v;
    if (Array.isArray(v))
      return v.some((x) => typeof x === "function" || (x && typeof x === "object"))
        ? v.map((x) => enc(x, depth + 1))
        : v;
    if (v instanceof Map || v instanceof Set || v instanceof Date) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = enc(x, depth + 1);
    return out;
  };
  return args.map((a) => enc(a, 0));
}

function isRngRef(v: unknown): v is RngRef {
  return (
    v !== null && typeof v === "object" && typeof (v as RngRef).__pgbookRng === "number" && Object.keys(v).length === 1
  );
}

function isFnRef(v: unknown): v is FnRef {
  if (v === null || typeof v !== "object" || typeof (v as FnRef).__pgbookFn !== "number") return false;
  const keys = Object.keys(v);
  return keys.length === 1 || (keys.length === 2 && typeof (v as FnRef).src === "string");
}

function hasRef(v: unknown, depth: number): boolean {
  if (isRngRef(v) || isFnRef(v)) return true;
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || depth > 8) return false;
  if (v instanceof Map || v instanceof Set || v instanceof Date) return false;
  return (Array.isArray(v) ? v : Object.values(v)).some((x) => hasRef(x, depth + 1));
}

/**
 * Replace stream references by the given streams and callback references by `stub(id)` (child side).
 * Containers without a reference are passed as they are (not copied), so a mutation of them can be
 * detected.
 */
export function decodeArgs(
  args: unknown[],
  streams: unknown[],
  stub?: (id: number, src?: string) => unknown,
): unknown[] {
  const dec = (v: unknown, depth: number): unknown => {
    if (isRngRef(v)) return streams[v.__pgbookRng];
    if (isFnRef(v)) return stub ? stub(v.__pgbookFn, v.src) : v;
    if (!hasRef(v, depth)) return v;
    if (Array.isArray(v)) return v.map((x) => dec(x, depth + 1));
    if (v instanceof Map || v instanceof Set || v instanceof Date) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = dec(x, depth + 1);
    return out;
  };
  return args.map((a) => dec(a, 0));
}

/** Structural equality for plain data (NaN equals NaN; typed arrays by content). */
export function sameData(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (depth > 16) return true;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i]) && x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/** A short description of a value's type, for messages: "Float64Array(3)", "string", "Promise". */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === "object") {
    if (typeof (v as { then?: unknown }).then === "function") return "Promise";
    return v.constructor?.name && v.constructor.name !== "Object" ? v.constructor.name : "object";
  }
  return typeof v;
}

/** The first non-finite number in a value, as a path like "[2]" or ".theta[0]", or undefined. */
export function findNonFinite(v: unknown, where = "", depth = 0): string | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? undefined : `${where || "result"} is ${v}`;
  if (v === null || typeof v !== "object" || depth > 8) return undefined;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const x = v as unknown as ArrayLike<number>;
    for (let i = 0; i < x.length; i++)
      if (typeof x[i] === "number" && !Number.isFinite(x[i])) return `${where || "result"}[${i}] is ${x[i]}`;
    return undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findNonFinite(v[i], `${where || "result"}[${i}]`, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const r = findNonFinite(x, `${where || "result"}.${k}`, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/** Count the scalar slots of a value (bounded walk), to refuse oversized results. */
export function sizeOf(v: unknown, limit: number, depth = 0): number {
  if (v === null || typeof v !== "object") return 1;
  if (ArrayBuffer.isView(v)) return v.byteLength / 8;
  if (depth > 16) return limit + 1;
  let n = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    n += sizeOf(x, limit, depth + 1);
    if (n > limit) return n;
  }
  return n + 1;
}
