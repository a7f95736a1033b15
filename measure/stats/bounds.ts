/**
 * Distribution-free confidence bounds for means of bounded samples (README, "How a claim is checked").
 * All widths are two-sided: with probability at least 1 − α, |sample mean − true mean| ≤ width.
 */

function assertDesign(n: number, alpha: number, w: number): void {
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`sample size must be a positive integer, got ${n}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1), got ${alpha}`);
  if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`range width must be positive and finite, got ${w}`);
}

/** Hoeffding: |mean − μ| ≤ w·√(ln(2/α)/(2n)) for n samples in an interval of width w. */
export function hoeffdingHalfWidth(w: number, n: number, alpha: number): number {
  assertDesign(n, alpha, w);
  return w * Math.sqrt(Math.log(2 / alpha) / (2 * n));
}

/**
 * Empirical Bernstein (Maurer & Pontil 2009, Thm 4, two-sided by a union of two one-sided bounds):
 * |mean − μ| ≤ √(2V·ln(4/α)/n) + 7w·ln(4/α)/(3(n−1)), V the unbiased sample variance.
 */
export function bernsteinHalfWidth(variance: number, w: number, n: number, alpha: number): number {
  assertDesign(n, alpha, w);
  if (n < 2) return Infinity;
  const l = Math.log(4 / alpha);
  return Math.sqrt((2 * Math.max(variance, 0) * l) / n) + (7 * w * l) / (3 * (n - 1));
}

/**
 * The smallest deviation of the true mean from the claimed value that a Hoeffding check of n
 * samples rejects with probability at least 1 − β: w·[√(ln(2/α)/(2n)) + √(ln(1/β)/(2n))].
 */
export function detectableDeviation(w: number, n: number, alpha: number, beta: number): number {
  assertDesign(n, alpha, w);
  if (!(beta > 0 && beta < 1)) throw new RangeError(`beta must lie in (0, 1), got ${beta}`);
  return w * (Math.sqrt(Math.log(2 / alpha) / (2 * n)) + Math.sqrt(Math.log(1 / beta) / (2 * n)));
}

/** Samples needed so that a Hoeffding check detects a deviation δ at rates α (false failure) and β (miss). */
export function samplesToDetect(w: number, delta: number, alpha: number, beta: number): number {
  assertDesign(1, alpha, w);
  const s = Math.sqrt(Math.log(2 / alpha) / 2) + Math.sqrt(Math.log(1 / beta) / 2);
  return Math.ceil(((w * s) / delta) ** 2);
}

/** DKWM: sup_x |F_n(x) − F(x)| ≤ √(ln(2/α)/(2n)) with probability at least 1 − α. */
export function dkwHalfWidth(n: number, alpha: number): number {
  assertDesign(n, alpha, 1);
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}
