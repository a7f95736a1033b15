/**
 * Seeded randomness for the whole book.
 *
 * Every random quantity flows from an explicit seed: a `Rng` is a function returning
 * uniform draws in [0, 1), created by `stream(seed)`. Sub-streams are derived by label
 * (`derive(seed, "fig1/run7")`), so each test, experiment and run has its own stream and
 * adding a draw in one place never shifts the numbers of another. Nothing here is global.
 */
import seedrandom from "seedrandom";
import { sampleIndex } from "../core/distributions.ts";
import { sfc32Next, sfc32State } from "../core/sfc32.ts";

/**
 * A stream of uniform draws in [0, 1). Student code receives one of these, never Math.random.
 * Streams made here also expose their state, so that a stream can cross a process boundary (the
 * grader's sandbox) and come back advanced exactly as if the draws had been made locally.
 */
export type Rng = (() => number) & { state?: () => RngState; restore?: (s: RngState) => void };

/** The serializable state of a stream (plain JSON data). */
export type RngState = { kind: "alea"; s: unknown } | { kind: "sfc32"; s: number[] };

/** A seed: a number or a string. Labels derived from it are strings. */
export type Seed = number | string;

/** Create a reproducible uniform stream from a seed (seedrandom's Alea generator). */
export function stream(seed: Seed): Rng {
  return aleaStream(seedrandom.alea(String(seed), { state: true }));
}

/** A stream over an Alea generator that keeps its state (made from a seed, or restored from a state). */
function aleaStream(first: ReturnType<typeof seedrandom.alea>): Rng {
  let g = first;
  const rng: Rng = () => g();
  rng.state = () => ({ kind: "alea", s: g.state() });
  rng.restore = (st) => {
    if (st.kind !== "alea") throw new TypeError(`cannot restore an alea stream from a ${st.kind} state`);
    g = seedrandom.alea("", { state: st.s as seedrandom.State.Alea });
  };
  return rng;
}

/** Rebuild a stream from a state exported by `rng.state()` (an Alea state restores its generator at once). */
export function fromState(st: RngState): Rng {
  if (st.kind === "alea") return aleaStream(seedrandom.alea("", { state: st.s as seedrandom.State.Alea }));
  const rng = fastStream(stream(""));
  rng.restore!(st);
  return rng;
}

/** Derive the seed of a sub-stream by label: deterministic, collision-free for distinct labels. */
export function derive(seed: Seed, ...labels: (string | number)[]): string {
  return [String(seed), ...labels.map(String)].join("/");
}

/** The stream of a labelled sub-experiment: `stream(derive(seed, ...labels))`. */
export function substream(seed: Seed, ...labels: (string | number)[]): Rng {
  return stream(derive(seed, ...labels));
}

/** A 32-bit unsigned integer seed derived from a seed and labels (FNV-1a over the label string). */
export function seed32(seed: Seed, ...labels: (string | number)[]): number {
  const s = derive(seed, ...labels);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A fast stream for hot loops (sfc32, 32-bit state words), seeded from a seeded stream so it
 * stays inside the book's seed tree. Draws are multiples of 2^-32 in [0, 1).
 */
export function fastStream(from: Rng): Rng {
  const s = sfc32State(from() * 4294967296, from() * 4294967296, from() * 4294967296);
  const g: Rng = () => sfc32Next(s);
  // the words as this stream has always exported them: a signed (it is b ^ (b >>> 9)), b, c, d unsigned
  g.state = () => ({ kind: "sfc32", s: [s[0], s[1] >>> 0, s[2] >>> 0, s[3] >>> 0] });
  g.restore = (st) => {
    if (st.kind !== "sfc32") throw new TypeError(`cannot restore an sfc32 stream from a ${st.kind} state`);
    s.set(st.s);
  };
  return g;
}

/** A uniform draw in [lo, hi). */
export function uniform(rng: Rng, lo = 0, hi = 1): number {
  return lo + (hi - lo) * rng();
}

/** A Bernoulli draw: 1 with probability p, else 0. */
export function bernoulli(rng: Rng, p: number): number {
  return rng() < p ? 1 : 0;
}

/** A Gaussian draw N(mean, sd²) by the Box–Muller transform (one value per call; no hidden state). */
export function gaussian(rng: Rng, mean = 0, sd = 1): number {
  let u = rng();
  while (u <= 0) u = rng();
  const v = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A categorical draw: index i with probability probs[i], by inverting the cumulative distribution at
 * one uniform draw. The probabilities must be non-negative and sum to 1 (up to rounding); index i
 * takes the half-open interval [Σ_{j<i} p_j, Σ_{j≤i} p_j), and the last index of positive probability
 * absorbs rounding (`sampleIndex` of src/core/distributions.ts).
 */
export function categorical(rng: Rng, probs: ArrayLike<number>): number {
  return sampleIndex(probs, rng());
}
