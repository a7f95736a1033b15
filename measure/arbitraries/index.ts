/**
 * The book's random instances. fast-check's `fc.double({ min, max })` spreads its draws over the
 * floating-point exponents (two thirds of draws in [−2, 2] are below 1e-100), so a claim checked on
 * it is checked near zero. These generators draw at the magnitudes the claims are about: `real` is
 * uniform on its interval (a grid of 2^32 points or more), and the book's quantities (scores,
 * rewards, step sizes, probability vectors) are built on it. Extremes have their own generators,
 * used only by the checks that are about extremes. test/measure/arbitraries.test.ts measures the
 * share of draws in each magnitude band.
 */
import fc from "fast-check";

/** Grid points per unit of an interval's length at least: 2^32 over the interval, a power of two. */
function gridScale(min: number, max: number): number {
  return 2 ** Math.ceil(Math.log2(2 ** 32 / (max - min)));
}

/**
 * A real uniform on [min, max] (on a dyadic grid fine enough that every draw is distinct in
 * practice). It shrinks towards the point of the interval nearest 0, so a counterexample is
 * reported at the simplest magnitude that still fails.
 */
export function real(min: number, max: number): fc.Arbitrary<number> {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max))
    throw new RangeError(`real(${min}, ${max}): need finite min < max`);
  const s = gridScale(min, max);
  const lo = Math.ceil(min * s);
  const hi = Math.floor(max * s);
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))
    throw new RangeError(`real(${min}, ${max}): interval too far from 0 for a grid of 2^32 points`);
  // noBias: fast-check otherwise draws about one value in eight from small ranges near 0 and the ends
  return fc.noBias(fc.integer({ min: lo, max: hi })).map((k) => k / s);
}

/** A real whose logarithm is uniform on [ln min, ln max] (0 < min < max): every decade equally often. */
export function logUniform(min: number, max: number): fc.Arbitrary<number> {
  if (!(min > 0 && max > min)) throw new RangeError(`logUniform(${min}, ${max}): need 0 < min < max`);
  return real(Math.log(min), Math.log(max)).map((l) => Math.min(max, Math.max(min, Math.exp(l))));
}

/** A vector of `n` (or between minLength and maxLength) values drawn from `arb`, as a Float64Array. */
export function vector(
  arb: fc.Arbitrary<number>,
  len: number | { minLength: number; maxLength: number },
): fc.Arbitrary<Float64Array> {
  const c = typeof len === "number" ? { minLength: len, maxLength: len } : len;
  return fc.array(arb, c).map((xs) => Float64Array.from(xs));
}

/** One Gibbs score θₐ: uniform on [−4, 4], so probabilities range from about e^{-8} of the largest to equal. */
export const score = (): fc.Arbitrary<number> => real(-4, 4);

/** A score vector θ with 2 to 6 actions (or exactly `k`). */
export function scores(k?: number): fc.Arbitrary<Float64Array> {
  return vector(score(), k ?? { minLength: 2, maxLength: 6 });
}

/** A reward of order one: uniform on [−3, 3]. */
export const reward = (): fc.Arbitrary<number> => real(-3, 3);

/** A vector of `k` rewards of order one. */
export const rewards = (k: number): fc.Arbitrary<Float64Array> => vector(reward(), k);

/** A step size α, log-uniform on [1e-3, 1]: each decade of the steps people use equally often. */
export const stepSize = (): fc.Arbitrary<number> => logUniform(1e-3, 1);

/**
 * A probability vector of length `k` with every entry at least `floor`/k·(something) above zero:
 * weights uniform on [floor, 1], normalized. `floor` = 0.05 keeps every entry ≥ 0.05/k.
 */
export function probabilities(k: number, floor = 0.05): fc.Arbitrary<Float64Array> {
  return vector(real(floor, 1), k).map((w) => {
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  });
}

/** A uniform draw u ∈ [0, 1) as a sampler receives it. */
export const unitInterval = (): fc.Arbitrary<number> => real(0, 1).filter((u) => u < 1);

/**
 * Edge cases, for the checks about extremes only: scores far apart (|θ| up to 700, where a literal
 * e^θ overflows), nearly equal scores, and probability vectors with entries down to 1e-12.
 */
export const extreme = {
  score: (): fc.Arbitrary<number> => fc.oneof(real(-700, 700), real(-1e-6, 1e-6), fc.constantFrom(-700, 0, 700)),
  scores: (k?: number): fc.Arbitrary<Float64Array> => vector(extreme.score(), k ?? { minLength: 2, maxLength: 6 }),
  probabilities: (k: number): fc.Arbitrary<Float64Array> =>
    vector(fc.oneof(logUniform(1e-12, 1e-6), real(0.05, 1)), k).map((w) => {
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / s);
    }),
};
