/**
 * Random instances of Chapter 4's neural policy for its property checks: small shapes, θ drawn block by block
 * at the sizes of a real network, a window of valid token ids and a short response.
 *
 * Two regimes of θ, after what the chapter's own network (V 11, N 8, d 16, m 32, 2 layers) measures block by
 * block, as RMS at initialization → after pretraining (largest |entry| after):
 *   tokenEmbed 0.92 → 0.90 (3.2), posEmbed 0.98 → 0.88 (2.9), query 0.24 → 0.20 (0.56), key 0.25 → 0.22 (0.64),
 *   value 0.25 → 0.30 (0.92), out 0.26 → 0.30 (1.08), mlpIn 0.25 → 0.31 (1.1), mlpOut 0.18 → 0.20–0.26 (0.76),
 *   unembed 0.26 → 0.36 (1.5); biases 0 → mlpInBias 0.13–0.18 (0.38), mlpOutBias 0.08 (0.18), unembedBias 0.18 (0.5).
 * With fan-in scale 1/√cols (0.25 at width 16, 0.18 for mlpOut's 32 inputs), trained matrices sit at 0.8–1.45
 * times it. So:
 *   "initialized": matrices N(0, 1/cols), embeddings N(0, 1), biases N(0, 0.05²) (small, but not 0: a zero bias
 *                  would hide a bias that is read from the wrong place);
 *   "trained":     each block's own scale, drawn once per instance: matrices (0.8 … 1.4)/√cols, embeddings
 *                  0.8 … 1.0, biases 0.05 … 0.2; entries Gaussian at that scale.
 * (The trained network's largest entries reach 3–4 RMS, a little beyond a Gaussian's for blocks this size.)
 *
 * Entries are drawn by Box–Muller from two uniform grid draws (`unitInterval`, `real`), not by
 * `fc.double({ min, max })`, which puts most of its draws below 1e-100. They do not shrink: a network near θ = 0
 * is a degenerate one, and shrinking a few hundred entries one at a time, each try a finite-difference check,
 * takes minutes. A failing instance shrinks through its shape, regime, window and response (and the block
 * scales of "trained"). test/measure/network-arbitraries.test.ts measures the blocks' sizes.
 */
import fc from "fast-check";
import type { NetShape } from "../../src/contract/chapter4.ts";
import { documentedBlocks, type DocumentedBlock } from "../language-models/network-documented.ts";
import { real, unitInterval } from "./index.ts";
import { direction } from "./lm.ts";

/** The two magnitudes of θ the checks use (see the module comment). */
export const NET_REGIMES = ["initialized", "trained"] as const;
export type NetRegime = (typeof NET_REGIMES)[number];

/** The sizes the checks draw from: [min, max] of each field of the shape (the contract promises widths ≤ 8). */
export const NET_SHAPE_RANGES = {
  vocab: [2, 5],
  window: [1, 4],
  width: [2, 4],
  hidden: [2, 5],
  layers: [1, 2],
} as const satisfies Record<keyof NetShape, readonly [number, number]>;

/** What a block holds, which sets its scale: an embedding table, a weight matrix (fan-in = cols), or a bias. */
export type BlockKind = "embedding" | "matrix" | "bias";

export function blockKind(b: DocumentedBlock): BlockKind {
  if (b.name === "tokenEmbed" || b.name === "posEmbed") return "embedding";
  return b.cols === 1 ? "bias" : "matrix";
}

/**
 * The nominal size of a block's entries: 1 for an embedding, 1/√cols for a matrix (its fan-in scale), 0.1 for
 * a bias. A regime's entries have RMS `factor × nominal`, with the factors of `REGIME_FACTORS`.
 */
export function nominalScale(b: DocumentedBlock): number {
  const kind = blockKind(b);
  return kind === "embedding" ? 1 : kind === "matrix" ? 1 / Math.sqrt(b.cols) : 0.1;
}

/** The range [min, max] of the factor on the nominal scale, per regime and kind (min = max: a fixed factor). */
export const REGIME_FACTORS: Record<NetRegime, Record<BlockKind, readonly [number, number]>> = {
  initialized: { embedding: [1, 1], matrix: [1, 1], bias: [0.5, 0.5] },
  trained: { embedding: [0.8, 1], matrix: [0.8, 1.4], bias: [0.5, 2] },
};

/** A standard normal draw, √(−2 ln(1 − u))·cos(2πw) with u, w uniform (shrinking u moves it towards 0). */
export function standardNormal(): fc.Arbitrary<number> {
  return fc
    .tuple(unitInterval(), real(0, 1))
    .map(([u, w]) => Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w));
}

/** One block's entries: Gaussian at `factor × nominalScale`, the factor drawn once for the block. */
function blockEntries(b: DocumentedBlock, regime: NetRegime): fc.Arbitrary<number[]> {
  const [lo, hi] = REGIME_FACTORS[regime][blockKind(b)];
  const factor = lo === hi ? fc.constant(lo) : real(lo, hi);
  const n = b.rows * b.cols;
  return fc
    .tuple(factor, fc.noShrink(fc.array(standardNormal(), { minLength: n, maxLength: n })))
    .map(([f, zs]) => zs.map((z) => z * f * nominalScale(b)));
}

/** θ for a shape in a regime, block by block in the contract's layout. */
export function netTheta(shape: NetShape, regime: NetRegime): fc.Arbitrary<Float64Array> {
  const blocks = documentedBlocks(shape);
  return fc.tuple(...blocks.map((b) => blockEntries(b, regime))).map((parts) => Float64Array.from(parts.flat()));
}

/**
 * A shape with every field uniform over NET_SHAPE_RANGES (or over the narrower ranges given): uniform rather
 * than fast-check's default lean towards small values, so that two layers and the longest window come up as
 * often as one layer and window 1.
 */
export function netShape(
  ranges: Partial<Record<keyof NetShape, readonly [number, number]>> = {},
): fc.Arbitrary<NetShape> {
  const field = (k: keyof NetShape) => {
    const [min, max] = ranges[k] ?? NET_SHAPE_RANGES[k];
    return fc.noBias(fc.integer({ min, max }));
  };
  return fc.record({
    vocab: field("vocab"),
    window: field("window"),
    width: field("width"),
    hidden: field("hidden"),
    layers: field("layers"),
  });
}

/** One instance: a shape, θ in a regime, a window S_0 (the prompt) and a response A_0 … A_{T−1}. */
export interface NetInstance {
  shape: NetShape;
  regime: NetRegime;
  theta: Float64Array;
  window: number[];
  tokens: number[];
}

export interface NetInstanceOptions {
  /** Narrower ranges for fields of the shape (e.g. `{ layers: [2, 2], window: [2, 4] }`). */
  ranges?: Partial<Record<keyof NetShape, readonly [number, number]>>;
  /** One regime only (default: either, about equally often). */
  regime?: NetRegime;
  /** The response's length T, [min, max] (default [1, 3]). */
  tokens?: readonly [number, number];
}

/** A shape, a regime, θ, a window and a response, each token a valid id 0 … V−1. */
export function netInstance(o: NetInstanceOptions = {}): fc.Arbitrary<NetInstance> {
  const [tMin, tMax] = o.tokens ?? [1, 3];
  const regime = o.regime === undefined ? fc.constantFrom(...NET_REGIMES) : fc.constant(o.regime);
  return fc.tuple(netShape(o.ranges), regime, fc.integer({ min: tMin, max: tMax })).chain(([shape, reg, T]) => {
    const token = fc.integer({ min: 0, max: shape.vocab - 1 });
    return fc.record({
      shape: fc.constant(shape),
      regime: fc.constant(reg),
      theta: netTheta(shape, reg),
      window: fc.array(token, { minLength: shape.window, maxLength: shape.window }),
      tokens: fc.array(token, { minLength: T, maxLength: T }),
    });
  });
}

/**
 * One direction per block of the shape, each zero outside its block and ±(0.5 … 1.5) inside it (lm.ts's
 * `direction`), for directional derivatives that move one block at a time.
 */
export function blockDirections(shape: NetShape): fc.Arbitrary<{ block: DocumentedBlock; v: Float64Array }[]> {
  const blocks = documentedBlocks(shape);
  const size = blocks.reduce((s, b) => s + b.rows * b.cols, 0);
  return fc.tuple(...blocks.map((b) => direction(b.rows * b.cols))).map((parts) =>
    parts.map((part, k) => {
      const v = new Float64Array(size);
      v.set(part, blocks[k].offset);
      return { block: blocks[k], v };
    }),
  );
}
