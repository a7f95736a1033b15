/**
 * Numeric comparisons with a stated tolerance. Each comparison names its tolerance once, relative
 * plus absolute (|actual − expected| ≤ abs + rel·|expected|), no stricter than the accuracy the
 * contract requires of the function (src/contract/accuracy.ts). A failure shows where, both values,
 * their absolute and relative error and the tolerance, so a student can tell a bug from round-off.
 */

export interface Tolerance {
  /** Relative part: a multiple of |expected|. */
  rel: number;
  /** Absolute part, for values near zero. */
  abs: number;
}

export interface Mismatch {
  index: number;
  actual: number;
  expected: number;
  error: number;
  relError: number;
  allowed: number;
}

const g = (x: number) => (Number.isFinite(x) ? x.toPrecision(17).replace(/\.?0+(e|$)/, "$1") : String(x));

/** The worst component outside the tolerance (the one with the largest error / allowed), or null. */
export function mismatch(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  tol: Tolerance,
): Mismatch | null {
  const a = typeof actual === "number" ? [actual] : actual;
  const e = typeof expected === "number" ? [expected] : expected;
  if (a.length !== e.length)
    return { index: -1, actual: a.length, expected: e.length, error: Infinity, relError: Infinity, allowed: 0 };
  let worst: Mismatch | null = null;
  let worstRatio = 1;
  for (let i = 0; i < e.length; i++) {
    const error = Math.abs(a[i] - e[i]);
    const allowed = tol.abs + tol.rel * Math.abs(e[i]);
    const ratio = Number.isNaN(error) ? Infinity : error / allowed;
    if (ratio > worstRatio || (Number.isNaN(error) && worst === null)) {
      worstRatio = ratio;
      worst = { index: i, actual: a[i], expected: e[i], error, relError: error / Math.abs(e[i]), allowed };
    }
  }
  return worst;
}

/** A one-line description of a mismatch, naming the quantity. */
export function describeMismatch(what: string, m: Mismatch, tol: Tolerance): string {
  if (m.index < 0) return `${what}: length ${m.actual}, expected length ${m.expected}`;
  return (
    `${what}[${m.index}] = ${g(m.actual)}, expected ${g(m.expected)}: error ${m.error.toExponential(2)} ` +
    `(relative ${m.relError.toExponential(2)}) > allowed ${m.allowed.toExponential(2)} (tolerance ${tol.abs.toExponential(0)} + ${tol.rel.toExponential(0)}·|expected|)`
  );
}

/** Assert that `actual` agrees with `expected` within `tol` in every component. */
export function expectClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  tol: Tolerance,
  what = "value",
): void {
  const m = mismatch(actual, expected, tol);
  if (m) throw new Error(describeMismatch(what, m, tol));
}
