/**
 * expNonPositive (src/core/exp.ts) against Math.exp over the range a softmax's weights take, [−745.2, 0]:
 * within 2 ulp everywhere, measured on a dense grid, at random points of every magnitude, near the ends and at
 * the reduction's boundaries (x ≈ (k + ½)·ln 2), never flushed to 0 where e^x rounds to a subnormal, and
 * exactly 1 at 0, 0 below the range, NaN for NaN. A
 * negative control: exp with its second Cody–Waite term dropped is caught by the same measure.
 */
import { describe, expect, it } from "vitest";
import { expNonPositive } from "../../src/core/exp.ts";
import { stream } from "../../src/contract/random.ts";

const bits = new BigInt64Array(1);
const asF = new Float64Array(bits.buffer);
/** The number of doubles between a and b (both finite and ≥ 0): the distance in units of the last place. */
function ulps(a: number, b: number): number {
  asF[0] = a;
  const ia = bits[0];
  asF[0] = b;
  return Math.abs(Number(ia - bits[0]));
}

/** The points checked: a grid of step 1e-3, 10⁵ random points of every magnitude, and the boundaries. */
function points(): number[] {
  const xs: number[] = [];
  for (let x = 0; x >= -745.2; x -= 1e-3) xs.push(x);
  const rng = stream("exp-test");
  for (let i = 0; i < 100_000; i++) xs.push(-Math.pow(10, 7 * rng() - 5) * (rng() < 0.999 ? 1 : 745.2 / 1e2));
  for (let k = 0; k <= 1075; k++)
    for (const d of [-1e-12, 0, 1e-12]) {
      const x = -(k + 0.5) * Math.LN2 + d;
      if (x >= -745.2) xs.push(x);
    }
  xs.push(-745.2, -745.13, -744.44, -708.4, -708.39, -5e-324, -1e-300, -1e-17);
  return xs.filter((x) => x <= 0 && x >= -745.2);
}

/** The largest distance in ulp from Math.exp over `xs`, and where. */
function worst(f: (x: number) => number, xs: number[]): { ulps: number; at: number } {
  let w = { ulps: 0, at: 0 };
  for (const x of xs) {
    const d = ulps(f(x), Math.exp(x));
    if (d > w.ulps) w = { ulps: d, at: x };
  }
  return w;
}

describe("expNonPositive", () => {
  const xs = points();

  it("is within 2 ulp of Math.exp over [−745.2, 0]", () => {
    expect(xs.length).toBeGreaterThan(800_000);
    // measured 2026-12-02 on Node 20: at most 1 ulp (and equal on most points: the same method as V8's)
    expect(worst(expNonPositive, xs).ulps).toBeLessThanOrEqual(2);
  });

  it("rounds once in the subnormal range: positive wherever Math.exp is, down to the smallest subnormal", () => {
    // e^x for x ∈ (−745.13, −708.4) is subnormal; the port scales by 2^−60 twice rather than by one
    // power that underflows to 0 (2^−1075), so no value that rounds to a subnormal is flushed to 0
    const flushed = xs.filter((x) => Math.exp(x) > 0 && !(expNonPositive(x) > 0));
    expect(flushed).toEqual([]);
    // e^−744.8 = 2^−1074.52: nearer 2^−1074 than 0
    expect(expNonPositive(-744.8)).toBe(2 ** -1074);
  });

  it("gives 1 at 0, 0 below the range and NaN for NaN; a positive x is Math.exp's", () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(expNonPositive(3)).toBe(Math.exp(3));
  });

  it("negative control: without the low part of ln 2 the same measure finds errors far beyond 2 ulp", () => {
    const sloppy = (x: number) => {
      const k = Math.floor(x * Math.LOG2E + 0.5);
      return expNonPositive(x - k * 6.9314718036912381649e-1) * Math.pow(2, k);
    };
    expect(worst(sloppy, xs).ulps).toBeGreaterThan(100);
  });
});
