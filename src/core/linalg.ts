/**
 * Small dense linear algebra on row-major Float64Arrays: the direct solves behind the exact MDP
 * quantities. LU with partial pivoting (no iteration), so solver error stays near machine precision.
 */

/** Solve A x = b for a square n×n row-major A by LU with partial pivoting. Throws on a singular A. */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(A);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[i]));
  const tiny = 1e-13 * Math.max(scale, 1);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(m[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(m[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best <= tiny) throw new RangeError(`singular system: no pivot in column ${k}`);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j];
        m[k * n + j] = m[p * n + j];
        m[p * n + j] = t;
      }
      const t = x[k];
      x[k] = x[p];
      x[p] = t;
    }
    const pivot = m[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k] / pivot;
      if (f === 0) continue;
      m[i * n + k] = 0;
      for (let j = k + 1; j < n; j++) m[i * n + j] -= f * m[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= m[i * n + j] * x[j];
    x[i] = s / m[i * n + i];
  }
  return x;
}

/** The dot product Σ x_i y_i. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}
