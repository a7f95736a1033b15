/**
 * Internals of Chapter 4's transformer that its claims do not reach (the contract shows only the newest position's
 * policy): the causal mask seen in the forward trace, the attention rows, the layout of θ, and the refusal of bad
 * inputs. Expected values are worked out in the comments.
 */
import { describe, expect, it } from "vitest";
import { derive, stream } from "../../src/contract/random.ts";
import { netForward, netPolicy, type NetTrace } from "../../src/language-models/network/forward.ts";
import { initNetwork } from "../../src/language-models/network/init.ts";
import { netSequenceLogProb, netSequenceScore, netTokenScore } from "../../src/language-models/network/score.ts";
import { LAYER_BLOCKS, netLayout, netParamCount, type NetShape } from "../../src/language-models/network/shape.ts";

const shape: NetShape = { vocab: 5, window: 4, width: 3, hidden: 4, layers: 2 };

/** θ at initialization, with biases made non-zero so that every block takes part. */
function theta(seed: string, s: NetShape = shape): Float64Array {
  const th = initNetwork(s, stream(seed));
  const rng = stream(derive(seed, "biases"));
  for (const b of netLayout(s).blocks)
    if (b.cols === 1) for (let i = 0; i < b.rows; i++) th[b.offset + i] = rng() - 0.5;
  return th;
}

/** Rows 0 … i of an N-row row-major array of `cols` columns. */
const rowsUpTo = (x: Float64Array, cols: number, i: number) => Array.from(x.subarray(0, (i + 1) * cols));

/** Every per-position array of a layer's trace, with its number of columns. */
function perPosition(t: NetTrace, l: number): [string, Float64Array, number][] {
  const { width: d, hidden: m, window: N } = t.shape;
  const x = t.layers[l];
  return [
    ["input", x.input, d],
    ["query", x.query, d],
    ["key", x.key, d],
    ["value", x.value, d],
    ["attention", x.attention, N],
    ["mixed", x.mixed, d],
    ["residual", x.residual, d],
    ["activation", x.activation, m],
  ];
}

describe("netForward(shape, θ, window): the causal mask", () => {
  it("position i's states, in every layer, are exactly the same whatever the tokens after i", () => {
    const th = theta("mask");
    const base = [1, 4, 0, 2];
    const t0 = netForward(shape, th, base);
    for (let i = 0; i < shape.window - 1; i++) {
      // change every token after i (each to another id), keep 0 … i
      const other = base.map((s, j) => (j > i ? (s + 1 + j) % shape.vocab : s));
      expect(other.slice(i + 1).every((s, k) => s !== base[i + 1 + k])).toBe(true);
      const t1 = netForward(shape, th, other);
      for (let l = 0; l < shape.layers; l++) {
        for (const [name, x, cols] of perPosition(t0, l)) {
          const y = perPosition(t1, l).find(([n]) => n === name)![1];
          expect(rowsUpTo(y, cols, i), `layer ${l} ${name}, rows 0 … ${i}`).toEqual(rowsUpTo(x, cols, i));
        }
      }
      expect(rowsUpTo(t1.output, shape.width, i), `output rows 0 … ${i}`).toEqual(rowsUpTo(t0.output, shape.width, i));
      // not vacuous: the first changed position's input (its token embedding) and the newest output do change
      const d = shape.width;
      expect(Array.from(t1.layers[0].input.subarray((i + 1) * d, (i + 2) * d))).not.toEqual(
        Array.from(t0.layers[0].input.subarray((i + 1) * d, (i + 2) * d)),
      );
      expect(Array.from(t1.policy)).not.toEqual(Array.from(t0.policy));
    }
  });

  it("each attention row is a distribution over j ≤ i: exact zeros above the diagonal, positive weights summing to 1", () => {
    const N = shape.window;
    for (const seed of ["rows-a", "rows-b", "rows-c"]) {
      const t = netForward(shape, theta(seed), [3, 3, 1, 0]);
      for (let l = 0; l < shape.layers; l++) {
        const A = t.layers[l].attention;
        for (let i = 0; i < N; i++) {
          const row = Array.from(A.subarray(i * N, (i + 1) * N));
          expect(row.slice(i + 1), `layer ${l} row ${i} above the diagonal`).toEqual(new Array(N - i - 1).fill(0));
          expect(row.slice(0, i + 1).every((a) => a > 0 && a <= 1)).toBe(true);
          // Σⱼ eⱼ/Z with Z the rounded sum of the i + 1 exponentials (off by ≤ i·ε/2), each quotient and each
          // addition here rounded once (ε/2 each): the sum is 1 to within about 1.5·(i + 1)·ε
          expect(Math.abs(row.reduce((s, a) => s + a, 0) - 1)).toBeLessThanOrEqual(2 * (i + 1) * Number.EPSILON);
        }
        // position 0 sees only itself
        expect(A[0]).toBe(1);
      }
    }
  });
});

describe("netLayout(shape): where every block of θ lives", () => {
  it("the blocks tile θ in the contract's order, without gaps or overlaps", () => {
    const layout = netLayout(shape);
    // V·d + N·d + L·(4d² + 2md + m + d) + V·d + V = 15 + 12 + 2·(36 + 24 + 4 + 3) + 15 + 5 = 181
    expect(layout.size).toBe(181);
    expect(netParamCount(shape)).toBe(181);
    const names = [
      "tokenEmbed",
      "posEmbed",
      ...[0, 1].flatMap((l) => LAYER_BLOCKS.map((b) => `layer${l}.${b}`)),
      "unembed",
      "unembedBias",
    ];
    expect(layout.blocks.map((b) => b.name)).toEqual(names);
    let at = 0;
    for (const b of layout.blocks) {
      expect(b.offset, `${b.name} starts where the previous block ends`).toBe(at);
      at += b.rows * b.cols;
    }
    expect(at).toBe(layout.size);
    // the named offsets are the blocks' own
    const offset = (name: string) => layout.blocks.find((b) => b.name === name)!.offset;
    expect([layout.tokenEmbed, layout.posEmbed, layout.unembed, layout.unembedBias]).toEqual(
      ["tokenEmbed", "posEmbed", "unembed", "unembedBias"].map(offset),
    );
    layout.layers.forEach((o, l) => {
      for (const b of LAYER_BLOCKS) expect(o[b], `layer ${l} ${b}`).toBe(offset(`layer${l}.${b}`));
    });
    // rows × cols as the contract states them: W₁ is m × d, W₂ is d × m, the biases are vectors
    const dims = (name: string) => {
      const b = layout.blocks.find((x) => x.name === name)!;
      return [b.rows, b.cols];
    };
    expect(dims("layer1.mlpIn")).toEqual([4, 3]);
    expect(dims("layer1.mlpOut")).toEqual([3, 4]);
    expect(dims("layer0.mlpInBias")).toEqual([4, 1]);
    expect(dims("unembed")).toEqual([5, 3]);
  });
});

describe("bad inputs: a RangeError naming the problem", () => {
  const th = theta("bad");
  const w = [0, 1, 2, 3];

  it("θ of the wrong length, a window of the wrong length, a token that is not an id of the vocabulary", () => {
    expect(() => netPolicy(shape, th.subarray(1), w)).toThrow(
      new RangeError("θ has 180 entries, the network needs 181"),
    );
    expect(() => netPolicy(shape, th, [0, 1, 2])).toThrow(
      new RangeError("the window has 3 tokens, the network reads 4"),
    );
    expect(() => netPolicy(shape, th, [0, 1, 5, 3])).toThrow(
      new RangeError("window[2] = 5 is not a token id in 0 … 4"),
    );
    expect(() => netPolicy(shape, th, [0, -1, 2, 3])).toThrow(/window\[1\] = -1 is not a token id/);
    expect(() => netPolicy(shape, th, [0, 1, 2, 1.5])).toThrow(/window\[3\] = 1.5 is not a token id/);
    // the scores and the sequence functions check through the same forward pass
    expect(() => netTokenScore(shape, th, [0, 1, 2], 0)).toThrow(RangeError);
    expect(() => netSequenceScore(shape, th, [0, 1, 9, 3], [0])).toThrow(/window\[2\] = 9/);
    expect(() => netSequenceLogProb(shape, th.subarray(2), w, [0])).toThrow(/θ has 179 entries/);
  });

  it("a shape field that is not a positive integer, or a vocabulary of one token", () => {
    const cases: [Partial<NetShape>, string][] = [
      [{ vocab: 1 }, "shape.vocab must be at least 2, got 1"],
      [{ width: 0 }, "shape.width must be a positive integer, got 0"],
      [{ layers: 1.5 }, "shape.layers must be a positive integer, got 1.5"],
      [{ hidden: NaN }, "shape.hidden must be a positive integer, got NaN"],
      [{ window: -2 }, "shape.window must be a positive integer, got -2"],
    ];
    for (const [patch, message] of cases) {
      const bad = { ...shape, ...patch };
      expect(() => netParamCount(bad), message).toThrow(new RangeError(message));
      expect(() => netPolicy(bad, th, w), message).toThrow(new RangeError(message));
    }
  });

  it("good inputs are left untouched", () => {
    const before = Float64Array.from(th);
    const window = w.slice();
    netTokenScore(shape, th, window, 2);
    netSequenceScore(shape, th, window, [1, 4]);
    expect(Array.from(th)).toEqual(Array.from(before));
    expect(window).toEqual(w);
  });
});
