/**
 * The one sfc32 step of src/core/sfc32.ts (the fast stream's and the testbed's generator) against the
 * definition written out in unbounded integers, reduced mod 2^32 at each step (as scripts/tools/bench/testbed.c
 * does with uint32_t).
 */
import { describe, expect, it } from "vitest";
import { sfc32Next, sfc32State } from "../../src/core/sfc32.ts";

/** sfc32 in BigInt: t = a + b + d; d += 1; a = b ^ (b >> 9); b = c + (c << 3); c = rotl(c, 21) + t (all mod 2^32). */
function reference(words: [number, number, number], n: number, discard = 12): number[] {
  const M = (1n << 32n) - 1n;
  let [a, b, c] = words.map((w) => BigInt(w >>> 0));
  let d = 1n;
  const out: number[] = [];
  for (let i = 0; i < discard + n; i++) {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = ((((c << 21n) | (c >> 11n)) & M) + t) & M;
    if (i >= discard) out.push(Number(t) / 2 ** 32);
  }
  return out;
}

describe("sfc32State(a, b, c) and sfc32Next(state)", () => {
  it("draw the outputs of the definition after 12 discarded ones, for seed words at the edges of 32 bits", () => {
    const seeds: [number, number, number][] = [
      [0, 0, 0],
      [123456789, 362436069, 521288629],
      [0xffffffff, 0x80000000, 0x7fffffff],
    ];
    for (const w of seeds) {
      const s = sfc32State(...w);
      expect(
        Array.from({ length: 50 }, () => sfc32Next(s)),
        w.join(","),
      ).toEqual(reference(w, 50));
    }
  });

  it("take seed words mod 2^32 (a draw u·2^32 of a parent stream), and never leave [0, 1)", () => {
    const a = sfc32State(2 ** 32 + 5, -1, 0.5 * 2 ** 32);
    const b = sfc32State(5, 0xffffffff, 0x80000000);
    const xs = Array.from({ length: 1000 }, () => sfc32Next(a));
    expect(xs).toEqual(Array.from({ length: 1000 }, () => sfc32Next(b)));
    expect(xs.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 2 ** 32))).toBe(true);
  });
});
