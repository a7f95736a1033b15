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

/** Σ_{i=lo}^{hi} P(X = i) for 0 < p < 1 and lo ≤ hi, by the ratio recursion in logs (one pass, no logChoose per term). */
function pmfSum(lo: number, hi: number, m: number, p: number): number {
  let l = logChoose(m, lo) + lo * Math.log(p) + (m - lo) * Math.log1p(-p);
  const odds = Math.log(p) - Math.log1p(-p);
  let s = 0;
  for (let i = lo; i <= hi; i++) {
    s += Math.exp(l);
    l += Math.log((m - i) / (i + 1)) + odds;
  }
  return Math.min(1, s);
}

/** P(X ≤ k) for X ~ Binomial(m, p), summed exactly term by term. */
export function binomialCdf(k: number, m: number, p: number): number {
  const hi = Math.min(k, m);
  if (hi < 0) return 0;
  if (p === 0) return 1;
  if (p === 1) return hi === m ? 1 : 0;
  return pmfSum(0, hi, m, p);
}

/** P(X ≥ k) for X ~ Binomial(m, p). */
export function binomialSf(k: number, m: number, p: number): number {
  const lo = Math.max(k, 0);
  if (lo > m) return 0;
  if (p === 0) return lo === 0 ? 1 : 0;
  if (p === 1) return 1;
  return pmfSum(lo, m, m, p);
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

/**
 * The design of a rate claim "the success rate is at least p0" (or "at most p0") tested on n
 * independent runs, with an indifference zone. The claim passes when the count of successes k
 * reaches `critical` (k ≥ critical; for "at most", k ≤ critical).
 * - `falseFailure` = P(fail) at rate p0, exact, at most α; `critical` is the least strict count that keeps it so.
 * - `p1` is the rate at which the test still fails with probability at least 1 − β: for "at least",
 *   the largest p with P_p(k ≥ critical) ≤ β (any true rate ≤ p1 fails with probability ≥ 1 − β);
 *   for "at most", the smallest p with P_p(k ≤ critical) ≤ β.
 * - `miss` = the exact probability of passing at rate p1 (≤ β).
 */
export interface RateDesign {
  runs: number;
  p0: number;
  direction: "at-least" | "at-most";
  alpha: number;
  beta: number;
  critical: number;
  falseFailure: number;
  p1: number;
  miss: number;
}

/** The probability that the rate test of `d` passes when the true rate is p. */
export function ratePassProbability(d: Pick<RateDesign, "runs" | "direction" | "critical">, p: number): number {
  return d.direction === "at-least" ? binomialSf(d.critical, d.runs, p) : binomialCdf(d.critical, d.runs, p);
}

/** The largest x in [lo, hi] with ok(x) true, for ok true at lo and false beyond a threshold (60 halvings). */
function bisect(ok: (x: number) => boolean, lo: number, hi: number): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The indifference-zone design of a rate test on n runs at rates α (false failure) and β (miss). */
export function rateDesign(
  n: number,
  p0: number,
  direction: "at-least" | "at-most",
  alpha: number,
  beta: number,
): RateDesign {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`rate design: runs must be a positive integer, got ${n}`);
  if (!(p0 > 0 && p0 < 1)) throw new RangeError(`rate design: p0 must lie in (0, 1), got ${p0}`);
  if (!(alpha > 0 && alpha < 1 && beta > 0 && beta < 1))
    throw new RangeError(`rate design: α and β must lie in (0, 1), got ${alpha}, ${beta}`);
  const critical =
    direction === "at-least" ? binomialLowerCritical(n, p0, alpha) + 1 : binomialUpperCritical(n, p0, alpha) - 1;
  const d = { runs: n, direction, critical };
  const falseFailure = 1 - ratePassProbability(d, p0);
  // The pass probability is increasing in p for "at least" and decreasing for "at most"; p1 is where it
  // crosses β, on the far side of p0. A test too small to ever fail has no power: p1 = 0 (or 1).
  const passes = (p: number) => ratePassProbability(d, p) > beta;
  const p1 = direction === "at-least" ? bisect((p) => !passes(p), 0, p0) : 1 - bisect((q) => !passes(1 - q), 0, 1 - p0);
  return { runs: n, p0, direction, alpha, beta, critical, falseFailure, p1, miss: ratePassProbability(d, p1) };
}

/** The fewest runs whose rate design has an indifference zone |p0 − p1| of at most `gap`. */
export function runsForRateGap(
  p0: number,
  gap: number,
  direction: "at-least" | "at-most",
  alpha: number,
  beta: number,
  maxRuns = 100_000,
): number {
  const ok = (n: number) => Math.abs(p0 - rateDesign(n, p0, direction, alpha, beta).p1) <= gap;
  let hi = 16;
  while (!ok(hi)) {
    if (hi > maxRuns)
      throw new RangeError(`rate design: more than ${maxRuns} runs needed for a gap of ${gap} at p0 = ${p0}`);
    hi *= 2;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
