/**
 * Exact input for `pgbook exact --fractions` and `--pi`: numbers read as the decimals they are written
 * as, fractions written as strings ("11/34"), and policies given as probabilities. Every problem is an
 * MdpInputError naming the JSON path (`$.P[0][1][0]`, `pi:$[1]`, `theta:$[0][1]`).
 *
 * The rules, also in the README:
 * - A JSON number is read as the shortest decimal that prints the same double, and must have at most
 *   15 significant digits (0.2 is 1/5; 0.30000000000000004 and 0.3333333333333333 are refused, since
 *   the text written may have been any of many decimals). Any fraction may be written as a string:
 *   "1/3", "-2/7", "0.125", "5".
 * - Rows of P and the initial distribution must sum to 1 exactly (not to within 1e-9).
 * - The policy must be rational: θ = 0 (uniform in each state), or probabilities given with --pi.
 *   A non-zero θ gives e^θ/Σe^θ, irrational in general, and is refused with --fractions.
 */
import { MdpInputError, SUM_TOLERANCE } from "../../src/average-return/validate.ts";
import {
  ONE,
  rational,
  rationalFromJson,
  show,
  sum,
  ZERO,
  type Rational,
} from "../../measure/exact-rational/rational.ts";

/**
 * A copy of `x` with every string leaf of its (nested) arrays replaced by the number it stands for, so
 * that the float validators can check shapes and ranges; a string that is no fraction is an error here.
 */
export function numbersForStrings(x: unknown, path: string): unknown {
  if (Array.isArray(x)) return x.map((v, i) => numbersForStrings(v, `${path}[${i}]`));
  if (typeof x !== "string") return x;
  const r = rationalFromJson(x);
  if ("problem" in r) throw new MdpInputError(path, r.problem);
  return r.value.valueOf();
}

/**
 * `numbersForStrings` on each field of `o` named in `paths` (field → its JSON path) that `o` has, in
 * the order of `paths`, then on the features of its policy (`$.policy.features`) if it has any.
 */
export function numbersInFields(o: Record<string, unknown>, paths: Record<string, string>): void {
  for (const [k, path] of Object.entries(paths)) if (k in o) o[k] = numbersForStrings(o[k], path);
  const pol = o.policy as Record<string, unknown> | undefined;
  if (typeof pol === "object" && pol !== null && !Array.isArray(pol) && "features" in pol)
    o.policy = { ...pol, features: numbersForStrings(pol.features, "$.policy.features") };
}

/** The nested arrays of `x` with every leaf as an exact rational (a number read as its decimal, or a fraction string). */
export function exactLeaves(x: unknown, path: string): unknown {
  if (Array.isArray(x)) return x.map((v, i) => exactLeaves(v, `${path}[${i}]`));
  const r = rationalFromJson(x);
  if ("problem" in r) throw new MdpInputError(path, r.problem);
  return r.value;
}

/** Check that a probability vector sums to 1 exactly. */
export function exactlyOne(row: Rational[], path: string, what: string): void {
  const s = sum(row);
  if (!s.equals(ONE))
    throw new MdpInputError(
      path,
      `${what} sum to ${show(s)} exactly, not 1 (--fractions needs sums of exactly 1: write e.g. "1/3" as a string)`,
    );
}

/** π(a|s) = 1/|A| exactly: the policy at θ = 0, tabular or log-linear. */
export function uniformTable(S: number, A: number): Rational[][] {
  return Array.from({ length: S }, () => new Array<Rational>(A).fill(rational(1, A)));
}

/** Fractions as text, nested as they come. */
export function showAll(x: unknown): unknown {
  if (Array.isArray(x)) return (x as unknown[]).map((v): unknown => showAll(v));
  return show(x as Rational);
}

/**
 * With --fractions the policy must be rational: θ must be 0 everywhere. `input` is θ as given (flat,
 * nested, or {"theta": …}), `flat` the validated values, `path` the root of its JSON path.
 */
export function requireZeroTheta(input: unknown, flat: ArrayLike<number>, A: number, path: string): void {
  const i = Array.from(flat).findIndex((x) => x !== 0);
  if (i < 0) return;
  let p = path;
  let v = input;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "theta" in v) {
    p += ".theta";
    v = v.theta;
  }
  const nested = Array.isArray(v) && v.length > 0 && v.every(Array.isArray);
  p += nested ? `[${Math.floor(i / A)}][${i % A}]` : `[${i}]`;
  throw new MdpInputError(
    p,
    `--fractions needs a rational policy, and θ = ${flat[i]} makes e^θ/Σe^θ irrational in general: give the probabilities with --pi, or θ = 0`,
  );
}

export interface ProbabilityTable {
  /** π[s·A + a] as doubles. */
  float: Float64Array;
  /** π[s][a] exactly (with --fractions), else null. */
  exact: Rational[][] | null;
}

/**
 * A policy given as probabilities (`--pi`): nested [S][A], flat (S·A numbers, π[s·A + a]) or {"pi": …};
 * entries numbers or fraction strings, non-negative (positive if `positive`), each state's row summing
 * to 1 (exactly with `exact`, else to within 1e-9).
 */
export function readPolicyTable(
  input: unknown,
  S: number,
  A: number,
  o: { exact: boolean; positive?: boolean },
  root = "pi:$",
): ProbabilityTable {
  let path = root;
  let v = input;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "pi" in v) {
    path += ".pi";
    v = v.pi;
  }
  if (!Array.isArray(v))
    throw new MdpInputError(path, `expected the policy's probabilities π[s][a] as ${S} rows of ${A} numbers`);
  const list: unknown[] = v;
  const nested = list.length === S && list.every(Array.isArray);
  if (!nested && list.length !== S * A)
    throw new MdpInputError(
      path,
      `expected ${S} rows of ${A} probabilities, or ${S * A} numbers π[s·A + a], got ${list.length} entries`,
    );
  const where = (s: number, a?: number) =>
    nested
      ? `${path}[${s}]${a === undefined ? "" : `[${a}]`}`
      : a === undefined
        ? `${path}[${s * A}..${s * A + A - 1}]`
        : `${path}[${s * A + a}]`;
  const rows = nested ? (list as unknown[][]) : Array.from({ length: S }, (_, s) => list.slice(s * A, s * A + A));
  const exact: Rational[][] = [];
  const float = new Float64Array(S * A);
  rows.forEach((row, s) => {
    if (row.length !== A)
      throw new MdpInputError(where(s), `expected ${A} probabilities (one per action), got ${row.length}`);
    const ex: Rational[] = [];
    row.forEach((x, a) => {
      let value: number;
      if (o.exact) {
        const r = rationalFromJson(x);
        if ("problem" in r) throw new MdpInputError(where(s, a), r.problem);
        ex.push(r.value);
        value = r.value.valueOf();
        if (r.value.compare(ZERO) < 0) throw new MdpInputError(where(s, a), `negative probability ${show(r.value)}`);
      } else {
        const r = typeof x === "string" ? rationalFromJson(x) : null;
        if (r && "problem" in r) throw new MdpInputError(where(s, a), r.problem);
        value = r ? r.value.valueOf() : (x as number);
        if (typeof value !== "number" || !Number.isFinite(value))
          throw new MdpInputError(where(s, a), `expected a probability, got ${JSON.stringify(x)}`);
        if (value < 0) throw new MdpInputError(where(s, a), `negative probability ${value}`);
      }
      if (o.positive && !(value > 0))
        throw new MdpInputError(
          where(s, a),
          `must be positive: the report evaluates the Gibbs policy at θ = ln π, which gives every action some probability`,
        );
      float[s * A + a] = value;
    });
    if (o.exact) {
      exactlyOne(ex, where(s), "probabilities");
      exact.push(ex);
    } else {
      const tot = Array.from(float.subarray(s * A, s * A + A)).reduce((x, y) => x + y, 0);
      if (Math.abs(tot - 1) > SUM_TOLERANCE)
        throw new MdpInputError(where(s), `probabilities sum to ${tot}, not 1 (state ${s})`);
    }
  });
  return { float, exact: o.exact ? exact : null };
}
