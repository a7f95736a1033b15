/** Seeded streams: reproducible, independent by label, with the right distributions. */
import { describe, expect, it } from "vitest";
import {
  bernoulli,
  categorical,
  derive,
  fastStream,
  fromState,
  gaussian,
  seed32,
  stream,
  substream,
  uniform,
  type RngState,
} from "../../src/contract/random.ts";
import { testRng } from "../support/claim.ts";
import { expectMean, expectRejected } from "../support/stat.ts";

describe("streams", () => {
  it("the same seed gives the same draws; different labels give different draws", () => {
    const a = stream("s");
    const b = stream("s");
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(substream("s", "x")()).not.toBe(substream("s", "y")());
    expect(derive(7, "a", 3)).toBe("7/a/3");
    expect(seed32("s", 1)).toBe(seed32("s", 1));
    expect(seed32("s", 1)).not.toBe(seed32("s", 2));
    const f1 = fastStream(stream("q"));
    const f2 = fastStream(stream("q"));
    expect(f1()).toBe(f2());
  });

  it("a stream's state round-trips through JSON and continues the same sequence", () => {
    for (const make of [() => stream("st"), () => fastStream(stream("st"))]) {
      const a = make();
      a();
      const copy = fromState(JSON.parse(JSON.stringify(a.state!())) as RngState);
      const next = [a(), a(), a()];
      expect([copy(), copy(), copy()]).toEqual(next);
      const b = make();
      b.restore!(copy.state!());
      expect(b()).toBe(a());
    }
    expect(() => stream("x").restore!({ kind: "sfc32", s: [1, 2, 3, 4] })).toThrow(/alea/);
    expect(() => fastStream(stream("x")).restore!({ kind: "alea", s: {} })).toThrow(/sfc32/);
  });

  it("draws lie in their ranges", () => {
    const rng = stream("ranges");
    const f = fastStream(rng);
    for (let i = 0; i < 1000; i++) {
      const u = f();
      expect(u >= 0 && u < 1).toBe(true);
      const v = uniform(rng, -2, 3);
      expect(v >= -2 && v < 3).toBe(true);
      expect([0, 1]).toContain(bernoulli(rng, 0.3));
      expect([0, 1, 2]).toContain(categorical(rng, [0.2, 0.5, 0.3]));
    }
  });
});

describe("distributions (Monte Carlo, α = 1e-9 each)", () => {
  const n = 100_000;
  it("uniform and fastStream have mean 1/2", (ctx) => {
    const rng = testRng(ctx);
    const f = fastStream(rng);
    expectMean(
      ctx,
      Float64Array.from({ length: n }, () => rng()),
      0.5,
      { width: 1, label: "alea" },
    );
    expectMean(
      ctx,
      Float64Array.from({ length: n }, () => f()),
      0.5,
      { width: 1, label: "sfc32" },
    );
  });
  it("categorical hits each index with its probability", (ctx) => {
    const rng = testRng(ctx);
    const p = [0.1, 0.6, 0.3];
    const draws = Array.from({ length: n }, () => categorical(rng, p));
    for (let k = 0; k < 3; k++)
      expectMean(
        ctx,
        Float64Array.from(draws, (d) => (d === k ? 1 : 0)),
        p[k],
        { width: 1, label: `p${k}` },
      );
  });
  it("negative control: an off-by-one categorical is rejected", (ctx) => {
    const rng = testRng(ctx);
    const p = [0.1, 0.6, 0.3];
    // the shifted sampler returns (index + 1) mod 3, so it hits 0 with probability p[2] = 0.3 instead of 0.1
    const draws = Array.from({ length: n }, () => (categorical(rng, p) + 1) % 3);
    expectRejected(
      ctx,
      Float64Array.from(draws, (d) => (d === 0 ? 1 : 0)),
      p[0],
      0.3 - 0.1,
      { width: 1, label: "shifted" },
    );
  });
  it("gaussian has mean μ and variance σ² (checked on a clipped, bounded transform)", (ctx) => {
    const rng = testRng(ctx);
    // P(Z ≤ 1) = Φ(1) = 0.841344746: an indicator is bounded, so Hoeffding/Bernstein apply
    const z = Float64Array.from({ length: n }, () => gaussian(rng, 2, 3));
    expectMean(
      ctx,
      Float64Array.from(z, (x) => ((x - 2) / 3 <= 1 ? 1 : 0)),
      0.841344746,
      { width: 1, label: "Phi(1)" },
    );
    expectMean(
      ctx,
      Float64Array.from(z, (x) => ((x - 2) / 3 <= 0 ? 1 : 0)),
      0.5,
      { width: 1, label: "Phi(0)" },
    );
  });
});
