/**
 * Measuring tools of chapter 1's specs, written independently of src/ so the reference is never
 * checked against itself: a direct softmax, the average reward, random instances, and exact
 * expectations of a sampled update by enumerating every (action, reward) outcome.
 */
import fc from "fast-check";

/** πθ(a) = e^{θₐ} / Σ e^{θ_{a'}} computed literally (safe for the |θ| ≤ 10 of the instances below). */
export function softmax(theta: ArrayLike<number>): number[] {
  const e = Array.from(theta, (x) => Math.exp(x));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
}

/** λθ = Σₐ πθ(a) r(a) by the literal softmax. */
export function lambda(theta: ArrayLike<number>, r: ArrayLike<number>): number {
  const p = softmax(theta);
  return p.reduce((s, pa, a) => s + pa * r[a], 0);
}

/** A finite reward law for each arm: values[a][j] with probability probs[a][j]. */
export interface DiscreteBandit {
  values: number[][];
  probs: number[][];
}

export function means(b: DiscreteBandit): number[] {
  return b.values.map((v, a) => v.reduce((s, x, j) => s + x * b.probs[a][j], 0));
}

/** Bernoulli arms as a discrete bandit. */
export function bernoulliArms(p: number[]): DiscreteBandit {
  return { values: p.map(() => [1, 0]), probs: p.map((q) => [q, 1 - q]) };
}

/**
 * E[update(a, R)] under A ~ πθ (literal softmax) and R ~ the arm's law, by enumeration:
 * Σₐ Σⱼ πθ(a) probs[a][j] · update(a, values[a][j]).
 */
export function enumerate(theta: ArrayLike<number>, b: DiscreteBandit, update: (a: number, reward: number) => ArrayLike<number>): number[] {
  const p = softmax(theta);
  const out = new Array<number>(theta.length).fill(0);
  for (let a = 0; a < p.length; a++) {
    for (let j = 0; j < b.values[a].length; j++) {
      const u = update(a, b.values[a][j]);
      const w = p[a] * b.probs[a][j];
      for (let i = 0; i < out.length; i++) out[i] += w * u[i];
    }
  }
  return out;
}

/** The largest absolute componentwise difference. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return Number.isNaN(m) ? Infinity : m;
}

const score = fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true });

/** A random score vector with 2 to 6 actions. */
export const thetaArb = fc.array(score, { minLength: 2, maxLength: 6 }).map((xs) => Float64Array.from(xs));

/** θ together with an action index and a mean-reward vector of the same length. */
export const thetaActionRewards = thetaArb.chain((theta) =>
  fc.record({
    theta: fc.constant(theta),
    a: fc.integer({ min: 0, max: theta.length - 1 }),
    r: fc.array(fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }), { minLength: theta.length, maxLength: theta.length }).map((xs) => Float64Array.from(xs)),
  }),
);

/** A random discrete bandit for θ: each arm has 1 to 3 reward values in [−2, 2] with random probabilities. */
export function banditArb(k: number): fc.Arbitrary<DiscreteBandit> {
  const arm = fc
    .array(fc.tuple(fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), fc.double({ min: 0.05, max: 1, noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 3 })
    .map((pairs) => {
      const s = pairs.reduce((t, [, w]) => t + w, 0);
      return { values: pairs.map(([v]) => v), probs: pairs.map(([, w]) => w / s) };
    });
  return fc.array(arm, { minLength: k, maxLength: k }).map((arms) => ({ values: arms.map((x) => x.values), probs: arms.map((x) => x.probs) }));
}

export const stepSizeArb = fc.double({ min: 1e-3, max: 1, noNaN: true, noDefaultInfinity: true });
