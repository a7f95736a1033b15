/** §1.2 The Gibbs policy: its probabilities (2), score (3)–(5) and the componentwise update (6). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorRatio, gradientMismatch, numericGradient } from "../../src/stats/finite-diff.ts";
import { claim, testRng } from "../support/claim.ts";
import { callMany, impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { maxAbsDiff, softmax, stepSizeArb, thetaActionRewards, thetaArb } from "./tools.ts";

const lnPi = (a: number) => (th: Float64Array) => Math.log(impl.gibbsPolicy(th)[a]);

describe("1.2 An example: the Gibbs policy", () => {
  it("[eq 2] gibbsPolicy is a probability vector equal to e^θa / Σ e^θa', unchanged by shifting θ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(thetaArb, fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true }), (theta, c) => {
        const p = impl.gibbsPolicy(theta);
        expect(p.length).toBe(theta.length);
        for (const x of p) expect(x).toBeGreaterThan(0);
        expect(Math.abs(p.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-12);
        expect(maxAbsDiff(p, softmax(theta))).toBeLessThan(1e-12);
        expect(maxAbsDiff(impl.gibbsPolicy(Float64Array.from(theta, (x) => x + c)), p)).toBeLessThan(1e-12);
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it("[eq 2] gibbsPolicy stays finite for scores far beyond exp's range (a stable softmax)", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsPolicy"] });
    // e^1000 overflows; the ratio π(0)/π(1) = e^{θ0−θ1} = e^{-1} must survive
    const p = impl.gibbsPolicy(Float64Array.from([1000, 1001, -1000]));
    expect(p[0]).toBeCloseTo(1 / (1 + Math.E), 12);
    expect(p[1]).toBeCloseTo(Math.E / (1 + Math.E), 12);
    expect(p[2]).toBe(0);
    const q = impl.gibbsPolicy(Float64Array.from([-1000, -1000]));
    expect(Array.from(q)).toEqual([0.5, 0.5]);
  });

  it("[eq 3] ln πθ(a) = θa − ln Σ e^θa'", (ctx) => {
    checkProperty(
      ctx,
      fc.property(thetaActionRewards, ({ theta, a }) => {
        const lse = Math.log(Array.from(theta).reduce((s, x) => s + Math.exp(x), 0));
        expect(Math.abs(lnPi(a)(theta) - (theta[a] - lse))).toBeLessThan(1e-12);
      }),
      { implements: ["gibbsPolicy"] },
    );
  });

  it("[eq 3] [eq 4] [eq 5] gibbsScore equals central finite differences of ln πθ(a)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(thetaActionRewards, ({ theta, a }) => {
        const g = impl.gibbsScore(theta, a);
        expect(gradientMismatch(numericGradient(lnPi(a), theta), g)).toBe(0);
      }),
      { implements: ["gibbsScore", "gibbsPolicy"] },
    );
  });

  it("[eq 5] finite-difference error of the score shrinks like h² (h = 1e-2 against 5e-3)", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsScore", "gibbsPolicy"] });
    // fixed instances where the third directional derivative is far from zero, so truncation dominates
    const rng = testRng(ctx);
    let checked = 0;
    for (let trial = 0; trial < 20; trial++) {
      const theta = Float64Array.from({ length: 4 }, () => 4 * rng() - 2);
      const v = Float64Array.from({ length: 4 }, () => 2 * rng() - 1);
      const a = Math.floor(rng() * 4);
      const g = impl.gibbsScore(theta, a);
      const dir = g.reduce((s, gi, i) => s + gi * v[i], 0);
      // skip directions whose truncation error is within round-off (|err(h)| < 1e-9)
      const f = lnPi(a);
      const d = (h: number) => (f(Float64Array.from(theta, (x, i) => x + h * v[i])) - f(Float64Array.from(theta, (x, i) => x - h * v[i]))) / (2 * h);
      if (Math.abs(d(1e-2) - dir) < 1e-9) continue;
      const ratio = errorRatio(f, theta, v, dir);
      expect(ratio).toBeGreaterThan(3.5);
      expect(ratio).toBeLessThan(4.5);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    claim(ctx, "exact", { facts: { instances: checked } });
  });

  it("[eq 4] gibbsScore equals 1ₐ − (1/Σ e^θa'') Σ e^θa' 1a', and its components sum to zero", (ctx) => {
    checkProperty(
      ctx,
      fc.property(thetaActionRewards, ({ theta, a }) => {
        const e = Array.from(theta, Math.exp);
        const z = e.reduce((s, x) => s + x, 0);
        const eq4 = e.map((x, i) => (i === a ? 1 : 0) - x / z);
        const g = impl.gibbsScore(theta, a);
        expect(maxAbsDiff(g, eq4)).toBeLessThan(1e-12);
        expect(Math.abs(g.reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
      }),
      { implements: ["gibbsScore"] },
    );
  });

  it("[eq 6] componentwiseStep equals reinforceStep (1) with the score (5), and leaves θ untouched", (ctx) => {
    checkProperty(
      ctx,
      fc.property(thetaActionRewards, stepSizeArb, fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), ({ theta, a }, alpha, reward) => {
        const before = Float64Array.from(theta);
        const p = softmax(theta);
        const expected = Array.from(theta, (x, b) => (b === a ? x + alpha * (1 - p[b]) * reward : x - alpha * p[b] * reward));
        const c = impl.componentwiseStep(theta, a, reward, alpha);
        expect(maxAbsDiff(c, expected)).toBeLessThan(1e-12);
        expect(maxAbsDiff(c, impl.reinforceStep(theta, a, reward, alpha))).toBeLessThan(1e-12);
        expect(Array.from(theta)).toEqual(Array.from(before));
      }),
      { implements: ["componentwiseStep", "reinforceStep"] },
    );
  });
});

describe("1.2 Sampling from the Gibbs policy (Monte Carlo, α = 1e-9 per check)", () => {
  // θ = (1, 0, −1): π = e^θ/Σ e^θ = (0.665241, 0.244728, 0.090031). Indicators lie in [0, 1] (w = 1);
  // n = 60,000 detects a deviation of √(ln(2e9)/(2n)) + √(ln(1e9)/(2n)) = 0.0265.
  const theta = Float64Array.from([1, 0, -1]);
  const n = 60_000;
  it("[eq 2] sampleAction draws each action with probability πθ(a)", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleAction"] });
    const rng = testRng(ctx);
    const draws = callMany("sampleAction", Array.from({ length: n }, () => [theta, rng]));
    expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d < 3)).toBe(true);
    const p = softmax(theta);
    for (let a = 0; a < 3; a++) expectMean(ctx, Float64Array.from(draws, (d) => (d === a ? 1 : 0)), p[a], { width: 1, label: `pi${a}` });
  });

  it("[eq 2] negative control: a sampler at temperature 2 (θ/2) is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleAction"], control: true });
    const rng = testRng(ctx);
    const half = Float64Array.from(theta, (x) => x / 2);
    const draws = callMany("sampleAction", Array.from({ length: n }, () => [half, rng]));
    // exact bias on action 0: softmax(θ/2)(0) − softmax(θ)(0) = 0.506480 − 0.665241 = −0.158761
    const bias = softmax(half)[0] - softmax(theta)[0];
    expectRejected(ctx, Float64Array.from(draws, (d) => (d === 0 ? 1 : 0)), softmax(theta)[0], bias, { width: 1, label: "tempered" });
  });
});
