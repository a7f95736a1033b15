/**
 * The measuring tools at the edges of their definitions: invalid designs, tiny samples, boundary
 * cases of the critical counts and of the finite-difference acceptance rule, steps relative to |x|.
 */
import { describe, expect, it } from "vitest";
import {
  bernsteinHalfWidth,
  binomialLowerCritical,
  binomialPmf,
  binomialUpperCritical,
  closeTo,
  detectableDeviation,
  gradientMismatch,
  hoeffdingHalfWidth,
  logChoose,
  mean,
  meanAndVariance,
  numericGradient,
  partial,
} from "../../measure/stats/index.ts";
import { claim } from "../support/claim.ts";

describe("bounds: the design is checked before anything is computed", () => {
  it("α must lie strictly inside (0, 1), β too, and the range width must be positive", (ctx) => {
    claim(ctx, "exact");
    expect(() => hoeffdingHalfWidth(1, 10, 0)).toThrow(/alpha/);
    expect(() => hoeffdingHalfWidth(1, 10, -0.1)).toThrow(/alpha/);
    expect(() => hoeffdingHalfWidth(0, 10, 0.1)).toThrow(/width/);
    expect(() => hoeffdingHalfWidth(Infinity, 10, 0.1)).toThrow(/width/);
    expect(() => hoeffdingHalfWidth(1, 2.5, 0.1)).toThrow(/sample size/);
    expect(() => bernsteinHalfWidth(0.1, 1, 10, 1)).toThrow(/alpha/);
    expect(() => detectableDeviation(1, 10, 0.1, 1)).toThrow(/beta/);
    expect(() => detectableDeviation(1, 10, 0.1, 1.5)).toThrow(/beta/);
  });

  it("empirical Bernstein: infinite for one sample, finite from two on, and its range term grows linearly in w", (ctx) => {
    claim(ctx, "exact");
    expect(bernsteinHalfWidth(0, 1, 1, 0.1)).toBe(Infinity);
    // n = 2, V = 0, w = 1, α = 0.04: 7·ln(100)/3 = 10.745 (the variance term vanishes)
    expect(bernsteinHalfWidth(0, 1, 2, 0.04)).toBeCloseTo((7 * Math.log(100)) / 3, 10);
    // with V = 0 only the range term remains, 7w·ln(4/α)/(3(n−1)): doubling w doubles it
    expect(bernsteinHalfWidth(0, 2, 101, 0.04)).toBeCloseTo((7 * 2 * Math.log(100)) / 300, 12);
  });
});

describe("moments and binomial tails at the edges", () => {
  it("a single sample has mean itself and variance 0 by convention; mean() is the sample mean", (ctx) => {
    claim(ctx, "exact");
    expect(meanAndVariance([5])).toEqual({ n: 1, mean: 5, variance: 0 });
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(mean(Float64Array.of(-1, 1))).toBe(0);
  });

  it("ln C(n, k) is −∞ outside 0 ≤ k ≤ n; the pmf of a degenerate binomial puts all mass on 0 or m", (ctx) => {
    claim(ctx, "exact");
    expect(logChoose(3, -1)).toBe(-Infinity);
    expect(logChoose(5, 0)).toBe(0);
    expect(binomialPmf(3, 5, 0)).toBe(0);
    expect(binomialPmf(0, 5, 0)).toBe(1);
    expect(binomialPmf(2, 5, 1)).toBe(0);
    expect(binomialPmf(5, 5, 1)).toBe(1);
  });

  it("critical counts include a tail of probability exactly α ('at most α'), down to k = m and k = 0", (ctx) => {
    claim(ctx, "exact");
    // one fair coin: P(X ≥ 1) = 1/2 and P(X ≤ 0) = 1/2, both exactly α = 1/2
    expect(binomialUpperCritical(1, 0.5, 0.5)).toBe(1);
    expect(binomialLowerCritical(1, 0.5, 0.5)).toBe(0);
    // three coins: P(X ≥ 3) = P(X ≤ 0) = 1/8
    expect(binomialUpperCritical(3, 0.5, 0.2)).toBe(3);
    expect(binomialLowerCritical(3, 0.5, 0.2)).toBe(0);
  });
});

describe("finite differences: relative steps and the acceptance rule", () => {
  it("the step is relative to |xᵢ|: accurate at xᵢ = 0 and at |xᵢ| = 10⁴", (ctx) => {
    claim(ctx, "exact");
    // f(x) = x⁴: at x = 0 the derivative is 0 (an absolute step h = 6e-6 is used there)
    const quartic = (x: Float64Array) => x[0] ** 4;
    expect(partial(quartic, Float64Array.of(0), 0)).toBeCloseTo(0, 12);
    // at x = 10⁴, f = 10¹⁶ (ulp 2) and f' = 4·10¹²: the relative step h = 0.06 keeps the rounding error
    // near 2/0.12 ≈ 17 and the truncation error h²·f‴/6 ≈ 144, far within 1e-5·|f'| = 4·10⁷; a step that
    // shrank with |x| (6e-10) would leave a rounding error near 2/1.2e-9 ≈ 1.7·10⁹
    const g = numericGradient(quartic, Float64Array.of(1e4));
    expect(closeTo(g[0], 4e12)).toBe(true);
    expect(gradientMismatch(numericGradient(quartic, Float64Array.of(-1e4)), [-4e12])).toBe(0);
  });

  it("closeTo accepts exactly when |fd − g| ≤ atol + rtol·|g|", (ctx) => {
    claim(ctx, "exact");
    expect(closeTo(1.5, 1, 0.5, 0)).toBe(true); // on the boundary
    expect(closeTo(1.5000001, 1, 0.5, 0)).toBe(false);
    expect(closeTo(1, 1 + 2e-5)).toBe(false); // 2e-5 > 1e-7 + 1e-5·1.00002
    expect(closeTo(100.0005, 100)).toBe(true); // 5e-4 ≤ 1e-7 + 1e-5·100
    expect(closeTo(100.002, 100)).toBe(false);
  });

  it("gradientMismatch uses the relative tolerance per component and refuses vectors of different lengths", (ctx) => {
    claim(ctx, "exact");
    expect(gradientMismatch([100.0005, -200.001], [100, -200])).toBe(0);
    // excess of the first component: 0.01 − (1e-7 + 1e-3)
    expect(gradientMismatch([100.01], [100])).toBeCloseTo(0.01 - 1e-7 - 1e-3, 12);
    expect(gradientMismatch([1], [1, 2])).toBe(Infinity);
  });
});
