/**
 * Chapter 1's literal formulas and finite-difference tolerances, in a form every runner of a claim can load
 * (no vitest, no seam): the direct softmax, the FD tolerance and the h² check of the differences' error.
 */
import { check } from "../claims/claim.ts";
import type { Tolerance } from "../../measure/close.ts";
import { directional, errorRatio } from "../../measure/stats/finite-diff.ts";

/** πθ(a) = e^{θₐ} / Σ e^{θ_{a'}} computed literally (safe for the |θ| ≤ 10 of the book's instances). */
export function softmax(theta: ArrayLike<number>): number[] {
  const e = Array.from(theta, (x) => Math.exp(x));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
}

/**
 * Central finite differences against an analytic gradient (measure/stats/finite-diff.ts, relative step
 * 6e-6): |fd − g| ≤ 1e-7 + 1e-5·|fd|, looser than the contract because the differences carry their
 * own truncation and round-off error.
 */
export const FD: Tolerance = { rel: 1e-5, abs: 1e-7 };

/**
 * One instance of a check that the finite-difference error along v shrinks like h²: false (the instance is
 * skipped) when the error at h = 1e-2 is within round-off (|err| < 1e-9: the third derivative ≈ 0 along v);
 * otherwise err(1e-2)/err(5e-3) must be about 4 (between 3.5 and 4.5), and true.
 */
export function shrinksLikeHSquared(
  f: (x: Float64Array) => number,
  theta: Float64Array,
  v: Float64Array,
  dir: number,
): boolean {
  if (Math.abs(directional(f, theta, v, 1e-2) - dir) < 1e-9) return false;
  const ratio = errorRatio(f, theta, v, dir);
  check(
    ratio > 3.5 && ratio < 4.5,
    `the finite-difference error ratio err(1e-2)/err(5e-3) is ${ratio}, not in (3.5, 4.5)`,
  );
  return true;
}
