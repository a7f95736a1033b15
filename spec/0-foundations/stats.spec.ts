/** The measuring tools are tested before anything is measured with them. */
import { describe, expect, it } from "vitest";
import {
  bernsteinHalfWidth,
  binomialCdf,
  binomialLowerCritical,
  binomialPmf,
  binomialSf,
  binomialUpperCritical,
  closeTo,
  detectableDeviation,
  dkwHalfWidth,
  errorRatio,
  gradientMismatch,
  hoeffdingHalfWidth,
  logChoose,
  meanAndVariance,
  numericGradient,
  rateDesign,
  ratePassProbability,
  runsForRateGap,
  samplesToDetect,
} from "../../measure/stats/index.ts";
import { bernoulli, stream } from "../../src/contract/random.ts";
import { claim, testRng } from "../support/claim.ts";
import {
  designRate,
  expectMean,
  expectRate,
  expectRateRejected,
  expectRejected,
  measureMean,
} from "../support/stat.ts";

describe("bounds: half-widths against hand-derived values", () => {
  it("hoeffdingHalfWidth(1, 10000, 1e-8) = √(ln(2e8)/20000) = 0.0309142", (ctx) => {
    claim(ctx, "exact");
    // ln(2e8) = ln 2 + 8 ln 10 = 0.6931472 + 18.4206807 = 19.1138279; /20000 = 9.5569e-4; √ = 0.0309142
    expect(hoeffdingHalfWidth(1, 10000, 1e-8)).toBeCloseTo(0.0309142, 6);
    // the width scales linearly in w and like 1/√n
    expect(hoeffdingHalfWidth(3, 40000, 1e-8)).toBeCloseTo((3 * 0.0309142) / 2, 6);
  });

  it("detectableDeviation(1, 9800, 1e-8, 1e-3) ≈ 0.05 as in statistics.md", (ctx) => {
    claim(ctx, "exact");
    // √(19.1138/19600) + √(ln(1000)/19600) = 0.0312282 + 0.0187729 = 0.0500011
    expect(detectableDeviation(1, 9800, 1e-8, 1e-3)).toBeCloseTo(0.0500011, 6);
    expect(samplesToDetect(1, 0.05, 1e-8, 1e-3)).toBe(9801);
  });

  it("bernsteinHalfWidth: √(2V ln(4/α)/n) + 7w ln(4/α)/(3(n−1)) and tighter than Hoeffding at small variance", (ctx) => {
    claim(ctx, "exact");
    // V = 0.01, w = 1, n = 10001, α = 4e-8: ln(1e8) = 18.4206807; √(2·0.01·18.42068/10001) = 0.00606935;
    // 7·18.42068/(3·10000) = 0.00429816; total 0.0103675
    expect(bernsteinHalfWidth(0.01, 1, 10001, 4e-8)).toBeCloseTo(0.0103675, 6);
    expect(bernsteinHalfWidth(0.01, 1, 10001, 4e-8)).toBeLessThan(hoeffdingHalfWidth(1, 10001, 4e-8));
    expect(bernsteinHalfWidth(0.01, 1, 1, 0.1)).toBe(Infinity);
    // DKWM has the Hoeffding form with w = 1
    expect(dkwHalfWidth(10000, 1e-8)).toBeCloseTo(0.0309142, 6);
  });

  it("rejects designs that make no sense", () => {
    expect(() => hoeffdingHalfWidth(1, 0, 0.1)).toThrow(/sample size/);
    expect(() => hoeffdingHalfWidth(1, 10, 1)).toThrow(/alpha/);
    expect(() => hoeffdingHalfWidth(-1, 10, 0.1)).toThrow(/width/);
    expect(() => detectableDeviation(1, 10, 0.1, 0)).toThrow(/beta/);
  });

  it("meanAndVariance matches the two-pass formulas", () => {
    const { n, mean, variance } = meanAndVariance([1, 2, 3, 4, 10]);
    expect(n).toBe(5);
    expect(mean).toBe(4);
    // Σ(x − 4)² = 9 + 4 + 1 + 0 + 36 = 50, / 4 = 12.5
    expect(variance).toBeCloseTo(12.5, 12);
    expect(meanAndVariance([]).variance).toBe(0);
  });
});

describe("bounds: coverage simulation at a loose α", () => {
  // 2000 independent experiments of n = 200 Bernoulli(0.3) samples each, at α = 0.05. A valid
  // bound fails in at most 5% of experiments; we reject that (at rate 1e-9) only if the failures
  // exceed the binomial critical count. A deliberately narrow bound (n overstated 20×) must be rejected.
  const reps = 2000;
  const n = 200;
  const p = 0.3;
  function failures(seed: string, widen: number, method: "hoeffding" | "bernstein"): number {
    let bad = 0;
    for (let r = 0; r < reps; r++) {
      const rng = stream(`${seed}/${r}`);
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = bernoulli(rng, p);
      const c = measureMean(xs, p, { width: 1, alpha: 0.05, method });
      if (Math.abs(c.error) > c.halfWidth * widen) bad++;
    }
    return bad;
  }

  for (const method of ["hoeffding", "bernstein"] as const) {
    it(`${method} bounds fail no more often than α = 0.05`, (ctx) => {
      const bad = failures(String(testRng(ctx)()), 1, method);
      expectRate(ctx, bad, reps, 0.05, "at-most", { label: `${method}.failures` });
    });
  }

  it("negative control: a bound 20× too narrow fails far more often than α", (ctx) => {
    const bad = failures(String(testRng(ctx)()), 1 / Math.sqrt(20), "hoeffding");
    // The narrow bound's failure rate is exact: the mean is X/n with X ~ Bin(n, p), and it fails when
    // |X/n − p| exceeds the narrowed half-width, so its rate is a sum of binomial terms.
    const hw = hoeffdingHalfWidth(1, n, 0.05) / Math.sqrt(20);
    let rate = 0;
    for (let x = 0; x <= n; x++) if (Math.abs(x / n - p) > hw) rate += binomialPmf(x, n, p);
    claim(ctx, "monte-carlo", { facts: { failures: bad, exactFailureRate: rate } });
    expectRateRejected(ctx, bad, designRate(reps, 0.05, "at-most", { label: "narrow.failures" }), rate, {
      label: "narrow.failures",
    });
  });
});

describe("rate designs: exact binomial tails, stated power", () => {
  it("a hand case: 10 runs at p0 = 1/2, α = 0.01 pass on ≥ 1 success; p1 = 1 − (1 − β)^(1/10)", () => {
    // P(X = 0) = 1/1024 ≤ 0.01 < P(X ≤ 1) = 11/1024, so the test fails only on 0 successes, and it
    // passes with probability 1 − (1 − p)^10, which equals β at p = 1 − (1 − β)^(1/10).
    const d = rateDesign(10, 0.5, "at-least", 0.01, 1e-3);
    expect(d.critical).toBe(1);
    expect(d.falseFailure).toBeCloseTo(1 / 1024, 15);
    expect(Math.abs(d.p1 - (1 - (1 - 1e-3) ** 0.1)) / d.p1).toBeLessThan(1e-9);
    // at most: 10 runs at p0 = 1/2 fail only on 10 of 10 (P = 1/1024); the pass probability at p is 1 − p^10
    const u = rateDesign(10, 0.5, "at-most", 0.01, 1e-3);
    expect(u.critical).toBe(9);
    expect(Math.abs(u.p1 - (1 - 1e-3) ** 0.1) / u.p1).toBeLessThan(1e-9);
  });

  it("every design keeps its false-failure rate ≤ α at p0, its pass rate ≤ β at p1, and is the most powerful such test", () => {
    for (const [n, p0, dir] of [
      [20, 0.9, "at-least"],
      [200, 0.9, "at-least"],
      [1000, 0.9, "at-least"],
      [500, 0.03, "at-most"],
      [333, 0.2, "at-least"],
    ] as const) {
      const d = rateDesign(n, p0, dir, 1e-9, 1e-3);
      expect(d.falseFailure).toBeLessThanOrEqual(1e-9);
      expect(d.falseFailure).toBeCloseTo(1 - ratePassProbability(d, p0), 12);
      expect(ratePassProbability(d, d.p1)).toBeLessThanOrEqual(1e-3 * (1 + 1e-9));
      // p1 is the boundary: a rate slightly closer to p0 passes more often than β
      expect(ratePassProbability(d, dir === "at-least" ? d.p1 + 1e-6 : d.p1 - 1e-6)).toBeGreaterThan(1e-3);
      // the most powerful at level α: one count stricter would break α
      const stricter = { ...d, critical: dir === "at-least" ? d.critical + 1 : d.critical - 1 };
      expect(1 - ratePassProbability(stricter, p0)).toBeGreaterThan(1e-9);
    }
  });

  it("the old thresholds: 7 of 20 and 151 of 200 at p0 = 0.9; about 1000 runs for p0 − p1 ≤ 0.1", () => {
    // the old tests accepted these counts; the design now says what they were worth
    expect(rateDesign(20, 0.9, "at-least", 1e-9, 1e-3).critical).toBe(7);
    expect(rateDesign(200, 0.9, "at-least", 1e-9, 1e-3).critical).toBe(151);
    const n = runsForRateGap(0.9, 0.1, "at-least", 1e-9, 1e-3);
    expect(0.9 - rateDesign(n, 0.9, "at-least", 1e-9, 1e-3).p1).toBeLessThanOrEqual(0.1);
    expect(0.9 - rateDesign(n - 1, 0.9, "at-least", 1e-9, 1e-3).p1).toBeGreaterThan(0.1);
    expect(n).toBeGreaterThan(900);
    expect(n).toBeLessThan(1100);
    expect(() => rateDesign(0, 0.9, "at-least", 1e-9, 1e-3)).toThrow(/runs/);
    expect(() => rateDesign(2.5, 0.9, "at-least", 1e-9, 1e-3)).toThrow(/runs/);
    expect(rateDesign(1, 0.5, "at-least", 0.6, 0.5).critical).toBe(1);
    for (const p0 of [0, 1]) expect(() => rateDesign(10, p0, "at-least", 1e-9, 1e-3)).toThrow(/p0/);
    for (const [a, b] of [
      [0, 1e-3],
      [1, 1e-3],
      [1e-9, 0],
      [1e-9, 1],
    ])
      expect(() => rateDesign(10, 0.5, "at-least", a, b)).toThrow(/α and β/);
    // three runs can never contradict a rate of 1/2 at α = 1e-9: the test always passes and has no power
    expect(rateDesign(3, 0.5, "at-least", 1e-9, 1e-3)).toMatchObject({ critical: 0, falseFailure: 0, p1: 0 });
    expect(rateDesign(3, 0.5, "at-most", 1e-9, 1e-3)).toMatchObject({ critical: 3, falseFailure: 0, p1: 1 });
    expect(() => runsForRateGap(0.9, 1e-4, "at-least", 1e-9, 1e-3, 1000)).toThrow(/more than 1000/);
  });

  it("binomial tails agree with the term-by-term pmf sums at large n (the one-pass recursion)", () => {
    for (const [k, m, q] of [
      [839, 1000, 0.9],
      [43, 500, 0.03],
      [0, 50, 0.2],
      [50, 50, 0.2],
    ] as const) {
      let cdf = 0;
      for (let i = 0; i <= k; i++) cdf += binomialPmf(i, m, q);
      expect(Math.abs(binomialCdf(k, m, q) - cdf)).toBeLessThan(1e-10 * Math.max(cdf, 1e-300) + 1e-300);
      let sf = 0;
      for (let i = k; i <= m; i++) sf += binomialPmf(i, m, q);
      expect(Math.abs(binomialSf(k, m, q) - sf)).toBeLessThan(1e-10 * Math.max(sf, 1e-300) + 1e-300);
    }
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(-1, 10, 0)).toBe(0);
    expect(binomialSf(11, 10, 1)).toBe(0);
    expect(binomialSf(11, 10, 0.5)).toBe(0);
    expect(binomialCdf(3, 10, 0)).toBe(1);
    expect(binomialCdf(3, 10, 1)).toBe(0);
    expect(binomialCdf(10, 10, 1)).toBe(1);
    expect(binomialSf(0, 10, 0)).toBe(1);
    expect(binomialSf(1, 10, 0)).toBe(0);
    expect(binomialSf(3, 10, 1)).toBe(1);
  });
});

describe("expectMean and expectRejected", () => {
  it("accept a correct mean and reject a biased one, with messages naming the seed", (ctx) => {
    const rng = testRng(ctx);
    const xs = Float64Array.from({ length: 20000 }, () => bernoulli(rng, 0.5));
    const fair = expectMean(ctx, xs, 0.5, { width: 1, label: "fair" });
    expect(() => expectMean(ctx, xs, 0.56, { width: 1, label: "biased" })).toThrow(/seed: .*\n.*replay: .*vitest run/);
    // that failure was a demonstration: this test's own |error| / half-width (read by calibration) is the fair one's
    claim(ctx, "monte-carlo", { facts: { maxErrorRatio: Math.abs(fair.error) / fair.halfWidth } });
    expectRejected(ctx, xs, 0.56, -0.06, { width: 1, label: "control" });
    // an underpowered control is itself an error of design
    expect(() => expectRejected(ctx, xs, 0.5, 0.001, { width: 1 })).toThrow(/underpowered/);
    expect(() => measureMean([1, NaN], 0, { width: 1 })).toThrow(/finite/);
  });
});

describe("binomial tails", () => {
  it("pmf sums to 1; cdf + sf(k+1) = 1; hand values", () => {
    let s = 0;
    for (let k = 0; k <= 30; k++) s += binomialPmf(k, 30, 0.37);
    expect(s).toBeCloseTo(1, 12);
    expect(binomialCdf(11, 30, 0.37) + binomialSf(12, 30, 0.37)).toBeCloseTo(1, 12);
    // P(X = 2), X ~ Bin(4, 1/2) = 6/16
    expect(binomialPmf(2, 4, 0.5)).toBeCloseTo(0.375, 12);
    expect(binomialPmf(0, 5, 0)).toBe(1);
    expect(binomialPmf(5, 5, 1)).toBe(1);
    expect(binomialPmf(6, 5, 0.5)).toBe(0);
    expect(logChoose(10, 3)).toBeCloseTo(Math.log(120), 12);
    expect(logChoose(3, 4)).toBe(-Infinity);
  });
  it("critical counts: P(X ≥ k*) ≤ α < P(X ≥ k* − 1)", () => {
    const k = binomialUpperCritical(100, 0.05, 1e-6);
    expect(binomialSf(k, 100, 0.05)).toBeLessThanOrEqual(1e-6);
    expect(binomialSf(k - 1, 100, 0.05)).toBeGreaterThan(1e-6);
    const j = binomialLowerCritical(100, 0.9, 1e-6);
    expect(binomialCdf(j, 100, 0.9)).toBeLessThanOrEqual(1e-6);
    expect(binomialCdf(j + 1, 100, 0.9)).toBeGreaterThan(1e-6);
    expect(binomialUpperCritical(3, 0.5, 1e-6)).toBe(4);
    expect(binomialLowerCritical(3, 0.5, 1e-6)).toBe(-1);
  });
});

describe("finite differences", () => {
  const f = (x: Float64Array) => Math.sin(x[0]) * Math.exp(x[1]) + x[0] * x[0] * x[1];
  const grad = (x: Float64Array) =>
    Float64Array.of(Math.cos(x[0]) * Math.exp(x[1]) + 2 * x[0] * x[1], Math.sin(x[0]) * Math.exp(x[1]) + x[0] * x[0]);
  const x = Float64Array.of(0.7, -0.3);

  it("numericGradient agrees with the analytic gradient within 1e-7 + 1e-5|g|", () => {
    expect(gradientMismatch(numericGradient(f, x), grad(x))).toBe(0);
    expect(closeTo(1.0, 1.0 + 5e-8)).toBe(true);
  });
  it("a wrong gradient is caught (the check can fail)", () => {
    const wrong = grad(x);
    wrong[1] *= 1.001;
    expect(gradientMismatch(numericGradient(f, x), wrong)).toBeGreaterThan(0);
    expect(gradientMismatch([1, 2], [1])).toBe(Infinity);
    expect(gradientMismatch([NaN], [1])).toBe(Infinity);
  });
  it("the error of central differences shrinks like h²: ratio ≈ 4 for h = 1e-2 against 5e-3", () => {
    const v = Float64Array.of(0.6, 0.8);
    const g = grad(x);
    const analytic = g[0] * v[0] + g[1] * v[1];
    const r = errorRatio(f, x, v, analytic);
    expect(r).toBeGreaterThan(3.9);
    expect(r).toBeLessThan(4.1);
    // with a wrong analytic value the error stops shrinking: the ratio collapses toward 1
    expect(errorRatio(f, x, v, analytic + 1e-3)).toBeLessThan(1.5);
  });
});
