/**
 * The book's generators draw at the magnitudes the claims are about. Each test samples 10,000 draws
 * under a fixed seed and measures the share in each magnitude band; the bands are wide enough that a
 * uniform generator lands in them with overwhelming probability (a share of 10,000 uniform draws
 * lies within ±0.035 of its mean with probability ≥ 1 − 1e-9 by Hoeffding), and fast-check's
 * exponent-spread `fc.double`, the generator these replace, fails them (the control).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  extreme,
  logUniform,
  probabilities,
  real,
  reward,
  scores,
  stepSize,
  unitInterval,
} from "../../measure/arbitraries/index.ts";

const N = 10_000;
const draw = <T>(arb: fc.Arbitrary<T>, seed = 7): T[] => fc.sample(arb, { seed, numRuns: N });
const share = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length / xs.length;
const TOL = 0.035;

describe("real(min, max) is uniform on its interval", () => {
  it("every draw lies in [min, max] and each quarter of the interval gets a quarter of the draws", () => {
    for (const [lo, hi] of [
      [-2, 2],
      [0.05, 1],
      [-700, 700],
      [-1e-6, 1e-6],
      [3, 4],
    ] as const) {
      const xs = draw(real(lo, hi));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
      for (let q = 0; q < 4; q++) {
        const a = lo + ((hi - lo) * q) / 4;
        const b = lo + ((hi - lo) * (q + 1)) / 4;
        expect(Math.abs(share(xs, (x) => x >= a && x < b) - 0.25)).toBeLessThan(TOL);
      }
      expect(new Set(xs).size).toBeGreaterThan(N - 5);
    }
  });

  it("almost no draw of real(−2, 2) is near zero, where fc.double puts most of its draws (the control)", () => {
    const xs = draw(real(-2, 2));
    expect(share(xs, (x) => Math.abs(x) < 1e-3)).toBeLessThan(0.002);
    expect(share(xs, (x) => Math.abs(x) > 0.1)).toBeGreaterThan(0.95 - TOL);
    const old = draw(fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }));
    expect(share(old, (x) => Math.abs(x) < 1e-100)).toBeGreaterThan(0.5);
    expect(share(old, (x) => Math.abs(x) > 0.1)).toBeLessThan(0.95 - TOL);
  });

  it("a failing property shrinks towards the simplest magnitude that still fails", () => {
    const r = fc.check(
      fc.property(real(-2, 2), (x) => x < 1),
      { seed: 3, numRuns: 1000 },
    );
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toBeGreaterThanOrEqual(1);
    expect(r.counterexample![0]).toBeLessThan(1 + 1e-6);
    expect(() => real(1, 1)).toThrow(/min < max/);
    expect(() => real(0, Infinity)).toThrow(/min < max/);
    expect(() => real(1e12, 1e12 + 1)).toThrow(/too far/);
  });
});

describe("the book's quantities", () => {
  it("scores: |θₐ| ≤ 4, nine in ten components beyond 0.1 in size, 2 to 6 actions", () => {
    const th = draw(scores());
    const comps = th.flatMap((t) => Array.from(t));
    expect(Math.max(...comps.map(Math.abs))).toBeLessThanOrEqual(4);
    expect(share(comps, (x) => Math.abs(x) > 0.1)).toBeGreaterThan(0.975 - TOL);
    expect(share(comps, (x) => Math.abs(x) > 2)).toBeGreaterThan(0.5 - TOL);
    expect(Math.min(...th.map((t) => t.length))).toBe(2);
    expect(Math.max(...th.map((t) => t.length))).toBe(6);
    expect(draw(scores(3)).every((t) => t.length === 3)).toBe(true);
  });

  it("rewards are of order one: |R| ≤ 3, half of them beyond 1.5", () => {
    const rs = draw(reward());
    expect(Math.max(...rs.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(rs, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL);
  });

  it("step sizes: each decade of [1e-3, 1] gets a third of the draws", () => {
    const al = draw(stepSize());
    expect(Math.min(...al)).toBeGreaterThanOrEqual(1e-3);
    expect(Math.max(...al)).toBeLessThanOrEqual(1);
    for (const [a, b] of [
      [1e-3, 1e-2],
      [1e-2, 1e-1],
      [1e-1, 1.0000001],
    ])
      expect(Math.abs(share(al, (x) => x >= a && x < b) - 1 / 3)).toBeLessThan(TOL);
    expect(() => logUniform(0, 1)).toThrow(/0 < min/);
  });

  it("probability vectors sum to one with every entry ≥ floor/k; the extreme ones reach 1e-12", () => {
    for (const k of [2, 5]) {
      const ps = draw(probabilities(k), 11);
      for (const p of ps) {
        expect(Math.abs(p.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-15);
        expect(Math.min(...p)).toBeGreaterThanOrEqual(0.05 / k);
      }
      const ex = draw(extreme.probabilities(k), 11);
      expect(share(ex, (p) => Math.min(...p) < 1e-6)).toBeGreaterThan(0.4);
      expect(ex.every((p) => Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-15)).toBe(true);
    }
  });

  it("uniforms lie in [0, 1); extreme scores reach the overflow range of e^θ and the nearly equal", () => {
    const us = draw(unitInterval());
    expect(us.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(Math.abs(share(us, (u) => u < 0.5) - 0.5)).toBeLessThan(TOL);
    const comps = draw(extreme.scores()).flatMap((t) => Array.from(t));
    expect(share(comps, (x) => Math.abs(x) > 100)).toBeGreaterThan(0.3);
    expect(share(comps, (x) => Math.abs(x) < 1e-6)).toBeGreaterThan(0.2);
    expect(comps.every((x) => Math.abs(x) <= 700)).toBe(true);
  });
});
