/** Central finite differences in float64: the book's independent check of analytic gradients. */

/** The default relative step, near the optimum (3·2.2e-16)^(1/3) ≈ 8.7e-6 for central differences. */
export const DEFAULT_STEP = 6e-6;

/** Central difference of f along coordinate i at x: (f(x + h e_i) − f(x − h e_i)) / 2h, h relative to |x_i|. */
export function partial(f: (x: Float64Array) => number, x: Float64Array, i: number, step = DEFAULT_STEP): number {
  const h = step * Math.max(1, Math.abs(x[i]));
  const xp = Float64Array.from(x);
  const xm = Float64Array.from(x);
  xp[i] += h;
  xm[i] -= h;
  return (f(xp) - f(xm)) / (xp[i] - xm[i]);
}

/** The full gradient of f at x by central differences. */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, step = DEFAULT_STEP): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) g[i] = partial(f, x, i, step);
  return g;
}

/** The central difference of f at x along v with step h: (f(x + h v) − f(x − h v)) / 2h. */
export function directional(f: (x: Float64Array) => number, x: Float64Array, v: Float64Array, h: number): number {
  const xp = Float64Array.from(x, (xi, i) => xi + h * v[i]);
  const xm = Float64Array.from(x, (xi, i) => xi - h * v[i]);
  return (f(xp) - f(xm)) / (2 * h);
}

/** Accept an analytic value against finite differences when |fd − analytic| ≤ atol + rtol·|analytic|. */
export function closeTo(fd: number, analytic: number, atol = 1e-7, rtol = 1e-5): boolean {
  return Math.abs(fd - analytic) <= atol + rtol * Math.abs(analytic);
}

/** The largest componentwise violation margin of `closeTo`, or 0 when every component passes. */
export function gradientMismatch(fd: ArrayLike<number>, analytic: ArrayLike<number>, atol = 1e-7, rtol = 1e-5): number {
  if (fd.length !== analytic.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < fd.length; i++) {
    const excess = Math.abs(fd[i] - analytic[i]) - (atol + rtol * Math.abs(analytic[i]));
    if (!(excess <= 0)) worst = Math.max(worst, Number.isNaN(excess) ? Infinity : excess);
  }
  return worst;
}

/**
 * The tolerance-free complement: the error of central differences is O(h²), so halving h (where
 * truncation dominates round-off, e.g. h = 1e-2 against 5e-3) cuts it about fourfold. Returns
 * err(h) / err(h/2) for the directional derivative of f at x along v against the analytic value.
 */
export function errorRatio(
  f: (x: Float64Array) => number,
  x: Float64Array,
  v: Float64Array,
  analytic: number,
  h = 1e-2,
): number {
  return Math.abs(directional(f, x, v, h) - analytic) / Math.abs(directional(f, x, v, h / 2) - analytic);
}
