/** Small dense linear algebra: Gaussian elimination with partial pivoting, row-major n×n. */

/** Solve M x = b (M is copied, not changed). Throws on a singular matrix. */
export function solveDense(M: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(M);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (a[piv * n + col] === 0) throw new Error("singular matrix");
    if (piv !== col) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[piv * n + c]] = [a[piv * n + c], a[col * n + c]];
      [x[col], x[piv]] = [x[piv], x[col]];
    }
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let acc = x[r];
    for (let c = r + 1; c < n; c++) acc -= a[r * n + c] * x[c];
    x[r] = acc / a[r * n + r];
  }
  return x;
}

/** Index of a draw from a discrete distribution by inverting its CDF at u ∈ [0, 1). */
export function inverseCdf(p: ArrayLike<number>, u: number, offset = 0, count = p.length - offset): number {
  let acc = 0;
  for (let i = 0; i < count - 1; i++) {
    acc += p[offset + i];
    if (u < acc) return i;
  }
  return count - 1;
}

/** Softmax of z in place, max subtracted. */
export function softmax(z: Float64Array): Float64Array {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  let tot = 0;
  for (let i = 0; i < z.length; i++) tot += z[i] = Math.exp(z[i] - m);
  for (let i = 0; i < z.length; i++) z[i] /= tot;
  return z;
}
