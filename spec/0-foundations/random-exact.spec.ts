/**
 * Seeded streams, checked exactly: the generators against independent reference definitions and
 * the samplers on chosen uniform draws (edge cases a sampled test would almost never hit).
 */
import { describe, expect, it } from "vitest";
import {
  bernoulli,
  categorical,
  fastStream,
  gaussian,
  seed32,
  stream,
  uniform,
  type Rng,
} from "../../src/contract/random.ts";
import { claim } from "../support/claim.ts";

/** A stream that returns the given uniform draws in order (then fails loudly). */
function draws(...us: number[]): Rng {
  let i = 0;
  return () => {
    if (i >= us.length) throw new Error("stub stream exhausted");
    return us[i++];
  };
}

/**
 * sfc32 as defined in PractRand (Chris Doty-Humphrey), written with BigInt arithmetic mod 2³², so it
 * shares no 32-bit tricks with src/contract/random.ts: t = a + b + d; d += 1; a = b ⊕ (b >> 9); b = c + (c << 3);
 * c = rotl(c, 21) + t; output t / 2³².
 */
function sfc32Reference(state: [number, number, number, number], count: number): number[] {
  const M = 0xffffffffn;
  let [a, b, c, d] = state.map(BigInt);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    const rot = ((c << 21n) & M) | (c >> 11n);
    c = (rot + t) & M;
    out.push(Number(t) / 2 ** 32);
  }
  return out;
}

describe("generators against their reference definitions", () => {
  it("fastStream is sfc32: from a given state its draws are those of the reference definition", (ctx) => {
    claim(ctx, "exact", { facts: { generator: "sfc32" } });
    const states: [number, number, number, number][] = [
      [0, 0, 0, 1],
      [0xdeadbeef, 0x01234567, 0x89abcdef, 1],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    ];
    for (const s of states) {
      const g = fastStream(stream("any"));
      g.restore!({ kind: "sfc32", s: [...s] });
      expect(Array.from({ length: 40 }, () => g())).toEqual(sfc32Reference(s, 40));
    }
  });

  it("fastStream seeds sfc32 with three 32-bit words drawn from its parent stream, counter 1, and discards 12 outputs", (ctx) => {
    claim(ctx, "exact");
    for (const seed of ["a", "b", "20251117"]) {
      const parent = stream(seed);
      const words = [parent(), parent(), parent()].map((u) => Math.floor(u * 2 ** 32)) as [number, number, number];
      const expected = sfc32Reference([...words, 1], 12 + 20).slice(12);
      const g = fastStream(stream(seed));
      expect(Array.from({ length: 20 }, () => g())).toEqual(expected);
    }
  });

  it("seed32 is 32-bit FNV-1a of the derived label (published test vectors)", (ctx) => {
    claim(ctx, "exact");
    // FNV-1a, 32 bits: offset basis 0x811c9dc5, prime 0x01000193 (test vectors of the FNV reference)
    expect(seed32("")).toBe(0x811c9dc5);
    expect(seed32("a")).toBe(0xe40c292c);
    expect(seed32("foobar")).toBe(0xbf9cf968);
    // labels are joined with "/" before hashing
    expect(seed32("foo", "bar")).toBe(seed32("foo/bar"));
  });
});

describe("samplers on chosen uniform draws", () => {
  it("uniform(lo, hi) maps u to lo + (hi − lo)·u", (ctx) => {
    claim(ctx, "exact");
    expect(uniform(draws(0), 2, 5)).toBe(2);
    expect(uniform(draws(0.5), 2, 5)).toBe(3.5);
    expect(uniform(draws(0.25), -4, -2)).toBe(-3.5);
  });

  it("bernoulli(p) is 1 exactly when u < p: p = 0 never fires, p = 1 always does", (ctx) => {
    claim(ctx, "exact");
    expect(bernoulli(draws(0), 0)).toBe(0);
    expect(bernoulli(draws(0.3), 0.3)).toBe(0);
    expect(bernoulli(draws(0.2999), 0.3)).toBe(1);
    expect(bernoulli(draws(1 - 2 ** -53), 1)).toBe(1);
  });

  it("categorical never draws an index of probability 0, and its last index absorbs rounding", (ctx) => {
    claim(ctx, "exact");
    // u = 0 lies in no interval of length 0: the first index of positive probability is drawn
    expect(categorical(draws(0), [0, 1])).toBe(1);
    expect(categorical(draws(0), [0, 0, 0.5, 0.5])).toBe(2);
    // u = 0.2 is the boundary of [0, 0.2) and [0.2, 1): it belongs to the second interval
    expect(categorical(draws(0.2), [0.2, 0.8])).toBe(1);
    // probabilities that sum to 1 − 1e-15 (rounding) and u just below 1: the last index, never past it
    expect(categorical(draws(1 - 2 ** -53), [0.5, 0.5 - 1e-15])).toBe(1);
  });

  it("gaussian is the Box–Muller transform μ + σ√(−2 ln u)·cos 2πv, redrawing u = 0", (ctx) => {
    claim(ctx, "exact");
    // u = 0 would give ln 0 = −∞: it is redrawn (sfc32 can return exactly 0)
    const x = gaussian(draws(0, 0.25, 0.5), 2, 3);
    // √(−2 ln 0.25) = √(4 ln 2) = 1.6651092; cos π = −1: 2 − 3·1.6651092 = −2.9953276
    expect(x).toBeCloseTo(2 - 3 * Math.sqrt(4 * Math.LN2), 12);
    expect(x).toBeCloseTo(-2.9953276, 6);
    expect(gaussian(draws(Math.exp(-0.5), 0), 0, 1)).toBeCloseTo(1, 12);
  });
});
