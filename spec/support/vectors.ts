/** Small vector measures the chapters' specs share, in plain loops (nothing of src/ in them). */

/**
 * max_i |x_i − y_i|, the largest componentwise difference; Infinity when the lengths differ or a difference
 * is NaN, so that no "smaller than" comparison passes on a broken vector.
 */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return Number.isNaN(m) ? Infinity : m;
}

/** max_i |x_i| (0 for an empty vector). */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** The Euclidean norm ‖x‖ = √(Σ_i x_i²). */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
