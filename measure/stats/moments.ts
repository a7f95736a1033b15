/** Sample moments of bounded samples: the inputs of every Monte Carlo check. */

/** Mean and unbiased sample variance (Welford's algorithm, stable in one pass). */
export function meanAndVariance(xs: ArrayLike<number>): { n: number; mean: number; variance: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    n++;
    const d = xs[i] - mean;
    mean += d / n;
    m2 += d * (xs[i] - mean);
  }
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : 0 };
}

/** The arithmetic mean of a sample. */
export function mean(xs: ArrayLike<number>): number {
  return meanAndVariance(xs).mean;
}
