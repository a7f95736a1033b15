/**
 * The generators of Chapter 4's network checks (measure/arbitraries/network.ts) draw at the magnitudes they
 * promise, in the style of arbitraries-domains.test.ts: draws under fixed seeds, shares and sizes measured.
 *
 * Sizes are measured as a block's RMS pooled over every draw, in units of its nominal scale (1 for an
 * embedding, 1/√cols for a matrix, 0.1 for a bias). Expected values, from the factors of the module comment:
 * "initialized" has factor 1 for embeddings and matrices and 0.5 for biases; "trained" draws the factor f once
 * per block, uniform on [lo, hi], so the pooled RMS is √E[f²] = √((hi³ − lo³)/(3(hi − lo))):
 *   embeddings [0.8, 1]: √0.8133 = 0.902;  matrices [0.8, 1.4]: √1.24 = 1.114;  biases [0.5, 2]: √1.75 = 1.323.
 * The chapter's pretrained network measured 0.88–0.90 (embeddings), 0.8–1.45 times the fan-in scale
 * (matrices) and 0.08–0.18 (biases, nominal 0.1): the "trained" pools sit inside those ranges.
 * Each pool's mean square must lie within six standard errors (measured across instances) of its design, and
 * six errors must be under 15% of it for embeddings and matrices (a scale 7% off is seen) and 30% for biases
 * (14% off). What limits them: "trained" draws one factor per block, spreading f² over [0.64, 1.96] for a matrix
 * and [0.25, 4] for a bias, and a bias block has only 2–5 entries; a layer-1 pool has about 1000 instances.
 * Shares use Hoeffding's width at false-failure rate 1e-9, √(ln(2·10⁹)/(2n)).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockDirections,
  blockKind,
  NET_SHAPE_RANGES,
  netInstance,
  netShape,
  nominalScale,
  standardNormal,
  type NetInstance,
  type NetRegime,
} from "../../measure/arbitraries/network.ts";
import { documentedBlocks } from "../../measure/language-models/network-documented.ts";
import { netParamCount } from "../../src/language-models/network/shape.ts";

const draw = <T>(arb: fc.Arbitrary<T>, seed: number, n: number): T[] => fc.sample(arb, { seed, numRuns: n });
const share = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length / xs.length;
const TOL = (n: number) => Math.sqrt(Math.log(2e9) / (2 * n));

/**
 * Each block's pooled mean square over the instances, in units of its nominal scale (ms = Σᵢ aᵢ / Σᵢ kᵢ for an
 * instance's sum of squares aᵢ over its kᵢ entries), with the standard error of that ratio across instances,
 * √(Σᵢ (aᵢ − ms·kᵢ)²) / Σᵢ kᵢ.
 */
function pooled(xs: NetInstance[]): Map<string, { ms: number; se: number; instances: number; kind: string }> {
  const acc = new Map<string, { a: number[]; k: number[]; kind: string }>();
  for (const x of xs)
    for (const b of documentedBlocks(x.shape)) {
      const p = acc.get(b.name) ?? { a: [], k: [], kind: blockKind(b) };
      const s = nominalScale(b);
      let sq = 0;
      for (let i = 0; i < b.rows * b.cols; i++) sq += (x.theta[b.offset + i] / s) ** 2;
      p.a.push(sq);
      p.k.push(b.rows * b.cols);
      acc.set(b.name, p);
    }
  return new Map(
    [...acc].map(([name, p]) => {
      const K = p.k.reduce((s, k) => s + k, 0);
      const ms = p.a.reduce((s, a) => s + a, 0) / K;
      const se = Math.sqrt(p.a.reduce((s, a, i) => s + (a - ms * p.k[i]) ** 2, 0)) / K;
      return [name, { ms, se, instances: p.a.length, kind: p.kind }];
    }),
  );
}

/** Six standard errors must stay under this share of the mean square: the scale error each pool can see. */
const POWER: Record<string, number> = { embedding: 0.15, matrix: 0.15, bias: 0.3 };

/** The expected pooled RMS per kind of block (derivation in the module comment). */
const EXPECTED: Record<NetRegime, Record<string, number>> = {
  initialized: { embedding: 1, matrix: 1, bias: 0.5 },
  trained: { embedding: Math.sqrt(0.488 / 0.6), matrix: Math.sqrt(2.232 / 1.8), bias: Math.sqrt(7.875 / 4.5) },
};

describe("network.ts: instances of the transformer for Chapter 4", () => {
  for (const [regime, seed] of [
    ["initialized", 41],
    ["trained", 42],
  ] as const) {
    it(`netInstance({ regime: "${regime}" }): every block's pooled mean square within six standard errors of its design, every block of both layers present`, () => {
      const xs = draw(netInstance({ regime }), seed, 2000);
      expect(xs.every((x) => x.regime === regime)).toBe(true);
      const pools = pooled(xs);
      // every block of the layout is met, those of layer 1 in the draws with two layers
      expect(pools.size).toBe(2 + 2 * 8 + 2);
      for (const [name, p] of pools) {
        const want = EXPECTED[regime][p.kind] ** 2;
        const rms = Math.sqrt(p.ms);
        const what = `${name} (${p.kind}, ${p.instances} instances): RMS ${rms}, expected ${Math.sqrt(want)}`;
        expect(Math.abs(p.ms - want), what).toBeLessThanOrEqual(6 * p.se);
        expect(6 * p.se, `${what}: standard error ${p.se}`).toBeLessThan(POWER[p.kind] * want);
        expect(p.instances).toBeGreaterThan(name.startsWith("layer1.") ? 800 : 1999);
      }
    });
  }

  it("the entries are Gaussian at their block's scale: shares beyond 1 and 2 standard deviations, almost none near 0, where fc.double puts most of its draws (the control)", () => {
    const xs = draw(netInstance({ regime: "initialized" }), 43, 1000);
    // at "initialized" every factor is fixed, so θ/(factor·nominal) is a standard normal draw
    const z = xs.flatMap((x) =>
      documentedBlocks(x.shape).flatMap((b) => {
        const sd = nominalScale(b) * (blockKind(b) === "bias" ? 0.5 : 1);
        return Array.from(x.theta.subarray(b.offset, b.offset + b.rows * b.cols), (t) => t / sd);
      }),
    );
    // P(|Z| > 1) = 0.3173, P(|Z| > 2) = 0.0455, P(|Z| < 1e-3) = 2·1e-3·φ(0) = 8.0e-4
    expect(Math.abs(share(z, (v) => Math.abs(v) > 1) - 0.3173)).toBeLessThan(TOL(z.length));
    expect(Math.abs(share(z, (v) => Math.abs(v) > 2) - 0.0455)).toBeLessThan(TOL(z.length));
    expect(share(z, (v) => Math.abs(v) < 1e-3)).toBeLessThan(8e-4 + TOL(z.length));
    // u on a grid of 2³² points: |Z| ≤ √(−2 ln 2⁻³²) = 6.66
    expect(z.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(6.67);
    const old = draw(fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), 44, 10_000);
    expect(share(old, (v) => Math.abs(v) < 1e-100)).toBeGreaterThan(0.5);
    // standardNormal alone: mean 0 and variance 1 (sd of the mean of n draws 1/√n, of the variance √(2/n))
    const n = 10_000;
    const s = draw(standardNormal(), 45, n);
    const mean = s.reduce((a, b) => a + b, 0) / n;
    const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(6 * Math.sqrt(2 / n));
  });

  it("netInstance: θ of the layout's length, a window of N valid token ids, a response of 1–3 valid tokens; both layer counts and window 1 about as often as the others", () => {
    const n = 2000;
    const xs = draw(netInstance(), 46, n);
    const valid = (t: number, V: number) => Number.isInteger(t) && t >= 0 && t < V;
    const bad = xs.find(
      (x) =>
        x.theta.length !== netParamCount(x.shape) ||
        x.window.length !== x.shape.window ||
        x.tokens.length < 1 ||
        x.tokens.length > 3 ||
        ![...x.window, ...x.tokens].every((t) => valid(t, x.shape.vocab)),
    );
    expect(bad, "an instance whose θ, window or response does not fit its shape").toBeUndefined();
    // every value of every field of the shape gets between 0.6/k and 1.4/k of the draws (uniform, noBias)
    for (const [field, [lo, hi]] of Object.entries(NET_SHAPE_RANGES) as [
      keyof typeof NET_SHAPE_RANGES,
      [number, number],
    ][]) {
      const k = hi - lo + 1;
      for (let v = lo; v <= hi; v++) {
        const s = share(xs, (x) => x.shape[field] === v);
        expect(s, `share of ${field} = ${v}`).toBeGreaterThan(0.6 / k);
        expect(s, `share of ${field} = ${v}`).toBeLessThan(1.4 / k);
      }
      expect(xs.every((x) => x.shape[field] >= lo && x.shape[field] <= hi)).toBe(true);
    }
    expect(Math.abs(share(xs, (x) => x.regime === "trained") - 0.5)).toBeLessThan(TOL(n));
    // every token value is drawn, the last one too
    const last = xs.filter((x) => x.shape.vocab === 5).flatMap((x) => x.window);
    expect(share(last, (t) => t === 4)).toBeGreaterThan(0.2 - TOL(last.length));
  });

  it("netInstance(options) and netShape(ranges) keep to the ranges asked for", () => {
    const xs = draw(netInstance({ ranges: { layers: [2, 2], window: [2, 4] }, tokens: [2, 2] }), 47, 300);
    expect(xs.every((x) => x.shape.layers === 2 && x.shape.window >= 2 && x.tokens.length === 2)).toBe(true);
    expect(draw(netShape({ width: [8, 8] }), 48, 100).every((s) => s.width === 8)).toBe(true);
  });

  it("blockDirections: one direction per block, zero outside it and ±(0.5 … 1.5) inside", () => {
    for (const shape of draw(netShape(), 49, 50)) {
      const [dirs] = draw(blockDirections(shape), 50, 1);
      const blocks = documentedBlocks(shape);
      expect(dirs.map((d) => d.block.name)).toEqual(blocks.map((b) => b.name));
      for (const { block, v } of dirs) {
        const end = block.offset + block.rows * block.cols;
        const bad = Array.from(v).findIndex((x, i) =>
          i < block.offset || i >= end ? x !== 0 : !(Math.abs(x) >= 0.5 && Math.abs(x) <= 1.5),
        );
        expect(bad, `${block.name}: entry ${bad} of the direction is out of place`).toBe(-1);
      }
    }
  });
});
