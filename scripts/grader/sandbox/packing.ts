/**
 * Batches of calls and their results in columns. A batch of thousands of calls whose arguments are
 * numbers, Float64Arrays of one length and stream references (a Monte Carlo loop, a verification of
 * runs) crosses as a few typed arrays instead of thousands of small objects: the structured clone
 * of one typed array per call is what a large batch spends its time on, on both sides. Packing
 * changes no value: numbers keep their bits (−0, NaN), each call gets arrays of its own, and a batch
 * of any other shape crosses as it is.
 *
 * Stream states pack the same way: a batch of calls that each get a stream of their own carries as
 * many states, each an object of four numbers for an Alea stream.
 *
 * `unpack` and `unpackStates` are also run on the child's data (packed results and states), so they
 * check every length and index and throw on anything malformed; the judging side then reports a
 * protocol violation.
 */
import type { RngState } from "../../../src/contract/random.ts";

/** One argument position of a packed batch (or the results): numbers, Float64Arrays of `len` entries, or stream references. */
export type Column =
  { t: "num"; v: Float64Array } | { t: "f64"; len: number; v: Float64Array } | { t: "rng"; v: Int32Array };

/** `count` rows (argument lists, or single results) in columns. */
export interface Packed {
  count: number;
  cols: Column[];
}

/** Batches smaller than this cross as they are (packing saves nothing on a few calls). */
const MIN_ROWS = 16;

/** A stream reference of the protocol: { __pgbookRng: i }, nothing else. */
function rngIndex(v: unknown): number | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const i = (v as { __pgbookRng?: unknown }).__pgbookRng;
  return typeof i === "number" && Number.isInteger(i) && Object.keys(v).length === 1 ? i : undefined;
}

/** The column of position j of every row, or undefined when the rows do not share one packable kind there. */
function column(rows: unknown[][], j: number, refs: boolean): Column | undefined {
  const n = rows.length;
  const first = rows[0][j];
  if (typeof first === "number") {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = rows[i][j];
      if (typeof x !== "number") return undefined;
      v[i] = x;
    }
    return { t: "num", v };
  }
  if (first instanceof Float64Array && first.length > 0) {
    const len = first.length;
    const v = new Float64Array(n * len);
    for (let i = 0; i < n; i++) {
      const x = rows[i][j];
      if (!(x instanceof Float64Array) || x.length !== len) return undefined;
      v.set(x, i * len);
    }
    return { t: "f64", len, v };
  }
  if (refs && rngIndex(first) !== undefined) {
    const v = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = rngIndex(rows[i][j]);
      if (k === undefined || k > 0x7fffffff) return undefined;
      v[i] = k;
    }
    return { t: "rng", v };
  }
  return undefined;
}

/**
 * Rows of one arity in columns, or undefined when they are few or of another shape. With `refs`,
 * stream references pack too (argument lists; results never hold them).
 */
export function pack(rows: unknown[][], refs = true): Packed | undefined {
  if (rows.length < MIN_ROWS) return undefined;
  const arity = rows[0].length;
  if (arity === 0 || rows.some((r) => r.length !== arity)) return undefined;
  const cols: Column[] = [];
  for (let j = 0; j < arity; j++) {
    const c = column(rows, j, refs);
    if (!c) return undefined;
    cols.push(c);
  }
  return { count: rows.length, cols };
}

/** Results in one column (`pack` of single-entry rows), or undefined. */
export function packValues(values: unknown[]): Packed | undefined {
  return pack(
    values.map((v) => [v]),
    false,
  );
}

/**
 * The rows again, each with arrays of its own. Throws on a malformed packing: no columns, a count
 * or length that does not fit, a column of another kind, a stream index outside `streams`
 * (undefined: no stream references allowed). Every column is checked before anything is made, and
 * each holds at least one number per row, so the rows made are bounded by the data received.
 */
export function unpack(p: Packed, streams?: number): unknown[][] {
  if (p === null || typeof p !== "object" || !Array.isArray(p.cols) || p.cols.length === 0)
    throw new TypeError("a packing without columns");
  const n = p.count;
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`a packing of ${String(n)} rows`);
  p.cols.forEach((c, j) => {
    const ok =
      (c?.t === "num" && c.v instanceof Float64Array && c.v.length === n) ||
      (c?.t === "f64" &&
        c.v instanceof Float64Array &&
        Number.isInteger(c.len) &&
        c.len >= 1 &&
        c.v.length === n * c.len) ||
      (c?.t === "rng" && streams !== undefined && c.v instanceof Int32Array && c.v.length === n);
    if (!ok) throw new TypeError(`column ${j} is not a packed column of ${n} rows`);
    if (c.t === "rng")
      for (const k of c.v) if (k < 0 || k >= streams!) throw new RangeError(`stream reference ${k} of ${streams}`);
  });
  const rows: unknown[][] = Array.from({ length: n }, () => new Array<unknown>(p.cols.length));
  p.cols.forEach((c, j) => {
    if (c.t === "num") for (let i = 0; i < n; i++) rows[i][j] = c.v[i];
    else if (c.t === "f64") for (let i = 0; i < n; i++) rows[i][j] = c.v.slice(i * c.len, (i + 1) * c.len);
    else for (let i = 0; i < n; i++) rows[i][j] = { __pgbookRng: c.v[i] };
  });
  return rows;
}

/** Results packed by `packValues`, again (throws on a malformed packing, or one of another count than `expected`). */
export function unpackValues(p: Packed, expected?: number): unknown[] {
  const rows = unpack(p);
  if (p.cols.length !== 1) throw new TypeError(`packed results in ${p.cols.length} columns`);
  if (expected !== undefined && rows.length !== expected)
    throw new RangeError(`${rows.length} packed results for ${expected} calls`);
  return rows.map((r) => r[0]);
}

/** The fields of an Alea state (seedrandom's), in their packed order. */
const ALEA = ["c", "s0", "s1", "s2"] as const;

/** Alea stream states in one Float64Array (c, s0, s1, s2 per state), or undefined when they are few or not all Alea states of four numbers. */
export function packStates(states: RngState[]): Float64Array | undefined {
  if (states.length < MIN_ROWS) return undefined;
  const v = new Float64Array(4 * states.length);
  for (let i = 0; i < states.length; i++) {
    const st = states[i];
    if (st?.kind !== "alea" || st.s === null || typeof st.s !== "object") return undefined;
    const s = st.s as Record<string, unknown>;
    if (Object.keys(s).length !== 4) return undefined;
    for (let j = 0; j < 4; j++) {
      const x = s[ALEA[j]];
      if (typeof x !== "number") return undefined;
      v[4 * i + j] = x;
    }
  }
  return v;
}

/** The states packed by `packStates`, again (throws on a malformed packing, or one of another count than `expected`). */
export function unpackStates(v: Float64Array, expected?: number): RngState[] {
  if (!(v instanceof Float64Array) || v.length % 4 !== 0)
    throw new TypeError("packed stream states are not groups of four numbers");
  const n = v.length / 4;
  if (expected !== undefined && n !== expected)
    throw new RangeError(`${n} packed stream states for ${expected} streams`);
  return Array.from({ length: n }, (_, i) => ({
    kind: "alea",
    s: { c: v[4 * i], s0: v[4 * i + 1], s1: v[4 * i + 2], s2: v[4 * i + 3] },
  }));
}
