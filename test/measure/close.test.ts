/**
 * measure/close.ts, the comparison every exact check uses: |actual − expected| ≤ abs + rel·|expected| per
 * component, the worst component reported, and a message that names the place, both values, both errors and
 * the tolerance. Boundaries use binary fractions, so each error and allowance below is exact.
 */
import { describe, expect, it } from "vitest";
import { describeMismatch, expectClose, mismatch } from "../../measure/close.ts";

const TOL = { rel: 0.25, abs: 0.5 };

describe("mismatch(actual, expected, tol)", () => {
  it("accepts an error equal to the allowance and rejects the next double above it", () => {
    // expected 2: allowed = 0.5 + 0.25·2 = 1, so actual 3 (error 1) is inside and 3 + 2⁻⁵⁰ is not
    expect(mismatch(3, 2, TOL)).toBeNull();
    expect(mismatch(1, 2, TOL)).toBeNull();
    const m = mismatch(3 + 2 ** -50, 2, TOL);
    expect(m).toEqual({
      index: 0,
      actual: 3 + 2 ** -50,
      expected: 2,
      error: 1 + 2 ** -50,
      relError: 0.5 + 2 ** -51,
      allowed: 1,
    });
    // the relative part scales with |expected|, also for a negative expected value: −8 allows 0.5 + 2 = 2.5
    expect(mismatch(-10.5, -8, TOL)).toBeNull();
    expect(mismatch(-10.75, -8, TOL)?.allowed).toBe(2.5);
  });

  it("reports the component with the largest error relative to its allowance, not the largest error", () => {
    // component 0: error 3 of allowed 0.5 + 0.25·16 = 4.5 (inside); component 1: error 1.5 of 0.5 (ratio 3);
    // component 2: error 2 of 0.5 + 0.25·2 = 1 (ratio 2)
    const m = mismatch([19, 1.5, 4], [16, 0, 2], TOL);
    expect(m?.index).toBe(1);
    expect(m?.error).toBe(1.5);
    expect(m?.allowed).toBe(0.5);
    // relative error against expected 0 is infinite, and stated so
    expect(m?.relError).toBe(Infinity);
    // typed arrays and plain arrays alike; all inside gives null
    expect(mismatch(new Float64Array([16.25, 0.25]), [16, 0], TOL)).toBeNull();
  });

  it("treats NaN as the worst possible component, the first one when there are several", () => {
    expect(mismatch(NaN, 1, TOL)?.index).toBe(0);
    const m = mismatch([1.9, NaN, NaN], [1, 1, 1], TOL);
    // 1.9 is outside (error 0.9 > 0.75) but NaN outranks it; of the two NaNs the first is named
    expect(m?.index).toBe(1);
    expect(Number.isNaN(m?.actual)).toBe(true);
    expect(mismatch([1, NaN], [1, 1], TOL)?.index).toBe(1);
  });

  it("reports a length mismatch with both lengths", () => {
    const m = mismatch([1, 2, 3], [1, 2], TOL);
    expect(m).toEqual({ index: -1, actual: 3, expected: 2, error: Infinity, relError: Infinity, allowed: 0 });
  });
});

describe("describeMismatch and expectClose", () => {
  it("name the quantity, the index, both values, both errors and the tolerance", () => {
    const m = mismatch([0, 3.5], [0, 2], TOL)!;
    // error 1.5, relative 0.75, allowed 1
    expect(describeMismatch("gain", m, TOL)).toBe(
      "gain[1] = 3.5, expected 2: error 1.50e+0 (relative 7.50e-1) > allowed 1.00e+0 (tolerance 5e-1 + 3e-1·|expected|)",
    );
    expect(describeMismatch("d", mismatch([1], [1, 2], TOL)!, TOL)).toBe("d: length 1, expected length 2");
    // values print with up to 17 significant digits, trailing zeros dropped, non-finite values by name
    expect(describeMismatch("v", mismatch(0.1 + 0.2, 10, TOL)!, TOL)).toContain(
      "v[0] = 0.30000000000000004, expected 10:",
    );
    expect(describeMismatch("v", mismatch(Infinity, 1e20, TOL)!, TOL)).toContain("v[0] = Infinity, expected 1e+20:");
  });

  it("expectClose throws that message, and returns quietly inside the tolerance", () => {
    expect(() => expectClose([2, 3.5], [2, 2], TOL, "Q")).toThrow(/^Q\[1\] = 3\.5, expected 2: error 1\.50e\+0/);
    expect(() => expectClose(3.5, 2, TOL)).toThrow(/^value\[0\]/);
    expect(() => expectClose([2, 3], [2, 2], TOL, "Q")).not.toThrow();
  });
});
