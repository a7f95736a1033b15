/**
 * The distributions of src/core/distributions.ts that every chapter uses: the softmax at logits far
 * beyond exp's range, and the inverse-CDF convention of sampleIndex at its boundaries. Expected values
 * are derived in the comments (exact binary fractions where a boundary is tested).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logSoftmaxAt, sampleIndex, softmaxInto, softmaxWeights } from "../../src/core/distributions.ts";

const softmax = (z: number[]) => softmaxInto(z, new Float64Array(z.length));
/** The largest double below 1. */
const BELOW_ONE = 1 - 2 ** -53;

describe("softmaxInto(z, out)", () => {
  it("is finite and sums to 1 at logits whose exponentials overflow or underflow", () => {
    // e^710 overflows to ∞ and e^-746 underflows to 0: without the shift by max z these give NaN or 0/0
    for (const z of [
      [710, 709],
      [1000, -1000, 0],
      [-1000, -1001],
      [1e308, -1e308],
      [-745.2, -746.1, -800],
    ]) {
      const p = softmax(z);
      expect(p.every(Number.isFinite), String(z)).toBe(true);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(4e-16);
    }
    // [710, 709]: the same as [1, 0], i.e. (1, e⁻¹)/(1 + e⁻¹) = (0.7310585786300049, 0.2689414213699951)
    const p = softmax([710, 709]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(p[1]).toBeCloseTo(Math.exp(-1) / (1 + Math.exp(-1)), 15);
    // a gap of 2000 leaves the smaller weight e^-2000 = 0 exactly; equal logits share evenly at any magnitude
    expect(Array.from(softmax([1000, -1000]))).toEqual([1, 0]);
    expect(Array.from(softmax([-1000, -1000]))).toEqual([0.5, 0.5]);
    expect(Array.from(softmax([-Infinity, 3]))).toEqual([0, 1]);
  });

  it("writes in place when out is z, and softmaxWeights returns the unnormalized exp(z − max z) and their sum", () => {
    const z = new Float64Array([0, Math.log(3)]);
    expect(softmaxInto(z, z)).toBe(z);
    expect(z[0]).toBeCloseTo(0.25, 15);
    expect(z[1]).toBeCloseTo(0.75, 15);
    const w = new Float64Array(3);
    // max is 2: weights e^-2, 1, e^-1
    const s = softmaxWeights([0, 2, 1], w);
    expect(w[1]).toBe(1);
    expect(w[0]).toBeCloseTo(Math.exp(-2), 16);
    expect(s).toBeCloseTo(1 + Math.exp(-1) + Math.exp(-2), 15);
  });

  it("writes only out[0 … n − 1] when out is a longer scratch buffer", () => {
    // a caller may pass one buffer sized for its largest row; the entries past z's length are its own
    const out = new Float64Array([7, 7, 7, 7]);
    softmaxInto([0, Math.log(3)], out);
    expect(Array.from(out.subarray(2))).toEqual([7, 7]);
    expect(out[1]).toBeCloseTo(0.75, 15);
    softmaxWeights([1, 1], out);
    expect(Array.from(out)).toEqual([1, 1, 7, 7]);
  });
});

describe("logSoftmaxAt(z, i)", () => {
  it("is ln softmax(z)_i where that is representable, and stays finite where softmax underflows to 0", () => {
    const z = [0.3, -1.2, 2.5];
    for (let i = 0; i < z.length; i++) expect(logSoftmaxAt(z, i)).toBeCloseTo(Math.log(softmax(z)[i]), 14);
    // [0, 2000]: softmax(z)_0 = e^-2000 underflows to 0 (ln 0 = −∞), but ln of it is −2000 − ln(1 + e^-2000) = −2000
    expect(Math.log(softmax([0, 2000])[0])).toBe(-Infinity);
    expect(logSoftmaxAt([0, 2000], 0)).toBe(-2000);
    expect(logSoftmaxAt([0, 2000], 1)).toBe(0);
  });
});

describe("sampleIndex(p, u): index i for u ∈ [c_i, c_{i+1}), c the partial sums", () => {
  it("at u = 0 draws the first index of positive weight", () => {
    expect(sampleIndex([0.25, 0.75], 0)).toBe(0);
    expect(sampleIndex([0, 1], 0)).toBe(1);
    expect(sampleIndex([0, 0, 0.5, 0.5], 0)).toBe(2);
  });

  it("puts each boundary c_i in the interval to its right (half-open intervals)", () => {
    // c = 0, 0.25, 0.5, 1 (exact binary fractions, so the boundaries are exact)
    const p = [0.25, 0.25, 0.5];
    const cases: [number, number][] = [
      [0.25 - 2 ** -40, 0],
      [0.25, 1],
      [0.5 - 2 ** -40, 1],
      [0.5, 2],
    ];
    for (const [u, i] of cases) expect(sampleIndex(p, u), `u = ${u}`).toBe(i);
  });

  it("just below 1 draws the last index", () => {
    expect(sampleIndex([0.5, 0.5], BELOW_ONE)).toBe(1);
    expect(sampleIndex([0.2, 0.3, 0.5], BELOW_ONE)).toBe(2);
    expect(sampleIndex([1], BELOW_ONE)).toBe(0);
  });

  it("never draws an index of weight 0, on a grid of every u = k/1024", () => {
    // weights 0, ¼, 0, ¾, 0: index 1 for u < ¼, index 3 for u ≥ ¼
    const p = [0, 0.25, 0, 0.75, 0];
    for (let k = 0; k < 1024; k++) expect(sampleIndex(p, k / 1024), `u = ${k}/1024`).toBe(k < 256 ? 1 : 3);
  });

  it("lets the last index of positive weight absorb rounding, never a trailing index of weight 0", () => {
    // 0.5 + (0.5 − 1e-15) = 1 − 1e-15 < u: past every interval; the rest of the mass is rounding
    expect(sampleIndex([0.5, 0.5 - 1e-15], BELOW_ONE)).toBe(1);
    expect(sampleIndex([0.5, 0.5 - 1e-15, 0], BELOW_ONE)).toBe(1);
    expect(sampleIndex([0.3, 0.7 - 1e-12, 0, 0], 1 - 1e-13)).toBe(1);
    expect(sampleIndex([1 - 1e-15, 0, 0], BELOW_ONE)).toBe(0);
  });

  it("reads the window p[offset … offset + n − 1], and unnormalized weights with u scaled by their total", () => {
    const table = [0.9, 0.1, 0.25, 0.75];
    expect(sampleIndex(table, 0.2, 2, 2)).toBe(0);
    expect(sampleIndex(table, 0.25, 2, 2)).toBe(1);
    expect(sampleIndex(table, 0.95, 0, 2)).toBe(1);
    // weights 1, 3 (total 4): u·4 against the partial sums 1, 4
    expect(sampleIndex([1, 3], 0.25 * 4)).toBe(1);
    expect(sampleIndex([1, 3], (0.25 - 2 ** -40) * 4)).toBe(0);
    expect(sampleIndex([], 0.5)).toBe(-1);
    // without n the window runs to the end of p: weights 0.25, 0.75 past offset 2; u = 1.5 is past both,
    // so the last index of the window absorbs it
    expect(sampleIndex(table, 1.5, 2)).toBe(1);
    expect(sampleIndex(table, 0.25, 2)).toBe(1);
  });

  it("returns an index of the window, 0 … n − 1, even when every weight is 0", () => {
    // the contract's range holds for any n ≥ 1; with no positive weight there is nothing else to draw
    expect(sampleIndex([0, 0, 0], 0)).toBe(0);
    expect(sampleIndex([0, 0, 0], 0.7)).toBe(0);
    expect(sampleIndex([0.5, 0, 0], 0.7, 1)).toBe(0);
    expect(sampleIndex([0.5, 0, 0, 0.5], 0.2, 1, 2)).toBe(0);
  });

  it("equals the count of partial sums c_1 … c_{n−1} at or below u, for positive weights", () => {
    // the same convention stated another way: i = #{j ≥ 1 : c_j ≤ u}, capped at n − 1
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (w, k) => {
          const total = w.reduce((a, b) => a + b, 0);
          const p = w.map((x) => x / total);
          const u = k / 2 ** 32;
          let c = 0;
          let below = 0;
          for (let j = 0; j < p.length - 1; j++) {
            c += p[j];
            if (c <= u) below++;
          }
          expect(sampleIndex(p, u)).toBe(below);
        },
      ),
      { seed: 20251117, numRuns: 500 },
    );
  });
});
