/**
 * Seeded randomness for the whole book.
 *
 * Every random quantity flows from an explicit seed: a `Rng` is a function returning
 * uniform draws in [0, 1), created by `stream(seed)`. Sub-streams are derived by label
 * (`derive(seed, "fig1/run7")`), so each test, experiment and run has its own stream and
 * adding a draw in one place never shifts the numbers of another. Nothing here is global.
 */
import seedrandom from "seedrandom";

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
  let g = seedrandom.alea(String(seed), { state: true });
  const rng: Rng = () => g();
  rng.state = () => ({ kind: "alea", s: g.state() });
  rng.restore = (st) => {
    if (st.kind !== "alea") throw new TypeError(`cannot restore an alea stream from a ${st.kind} state`);
    g = seedrandom.alea("", { state: st.s as seedrandom.State.Alea });
  };
  return rng;
}

/** Rebuild a stream from a state exported by `rng.state()`. */
export function fromState(st: RngState): Rng {
  const rng = st.kind === "alea" ? stream("") : fastStream(stream(""));
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
  let a = (from() * 4294967296) >>> 0;
  let b = (from() * 4294967296) >>> 0;
  let c = (from() * 4294967296) >>> 0;
  let d = 1;
  const g: Rng = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) g(); // discard the warm-up outputs
  g.state = () => ({ kind: "sfc32", s: [a, b, c, d] });
  g.restore = (st) => {
    if (st.kind !== "sfc32") throw new TypeError(`cannot restore an sfc32 stream from a ${st.kind} state`);
    [a, b, c, d] = st.s;
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
 * A categorical draw: index i with probability probs[i]. The probabilities must be
 * non-negative and sum to 1 (up to rounding); the last index absorbs rounding.
 */
export function categorical(rng: Rng, probs: ArrayLike<number>): number {
  const u = rng();
  let acc = 0;
  const last = probs.length - 1;
  for (let i = 0; i < last; i++) {
    acc += probs[i];
    if (u < acc) return i;
  }
  return last;
}
