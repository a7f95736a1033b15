/** Exact binomial tails, for claims of the form "at least k of m seeded runs succeed". */

/** ln C(n, k) as a sum of logarithms: exact to rounding for the run counts the book uses (n ≤ 10⁶). */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  const j = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= j; i++) s += Math.log((n - j + i) / i);
  return s;
}

/** P(X = k) for X ~ Binomial(m, p). */
export function binomialPmf(k: number, m: number, p: number): number {
  if (k < 0 || k > m) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === m ? 1 : 0;
  return Math.exp(logChoose(m, k) + k * Math.log(p) + (m - k) * Math.log1p(-p));
}

/** P(X ≤ k) for X ~ Binomial(m, p), summed exactly term by term. */
export function binomialCdf(k: number, m: number, p: number): number {
  let s = 0;
  for (let i = 0; i <= Math.min(k, m); i++) s += binomialPmf(i, m, p);
  return Math.min(1, s);
}

/** P(X ≥ k) for X ~ Binomial(m, p). */
export function binomialSf(k: number, m: number, p: number): number {
  let s = 0;
  for (let i = Math.max(k, 0); i <= m; i++) s += binomialPmf(i, m, p);
  return Math.min(1, s);
}

/**
 * The smallest success count k such that, if the true success rate were only p0, seeing k or more
 * successes in m runs would have probability at most α. Seeing at least this many rejects "rate ≤ p0".
 */
export function binomialUpperCritical(m: number, p0: number, alpha: number): number {
  for (let k = 0; k <= m; k++) if (binomialSf(k, m, p0) <= alpha) return k;
  return m + 1;
}

/**
 * The largest success count k such that, if the true rate were at least p0, seeing k or fewer
 * would have probability at most α. Seeing at most this many rejects "rate ≥ p0".
 */
export function binomialLowerCritical(m: number, p0: number, alpha: number): number {
  for (let k = m; k >= 0; k--) if (binomialCdf(k, m, p0) <= alpha) return k;
  return -1;
}
