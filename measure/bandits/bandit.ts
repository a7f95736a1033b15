/** Bandit environments: for each action a fixed reward law (notes §1). */
import { bernoulli, gaussian, type Rng } from "../../src/contract/random.ts";

/** Bernoulli arms with success probabilities p[a]; Gaussian arms N(mean[a], sd[a]²); or finite reward laws. */
export type Bandit =
  | { kind: "bernoulli"; p: number[] }
  | { kind: "gaussian"; mean: number[]; sd: number[] }
  | { kind: "discrete"; values: number[][]; probs: number[][] };

/** Validate a bandit at the edge; the message names the offending arm. */
export function checkBandit(b: Bandit): Bandit {
  const k = numActions(b);
  if (k < 1) throw new RangeError("a bandit needs at least one action");
  for (let a = 0; a < k; a++) {
    if (b.kind === "bernoulli" && !(b.p[a] >= 0 && b.p[a] <= 1))
      throw new RangeError(`arm ${a}: success probability ${b.p[a]} is not in [0, 1]`);
    if (b.kind === "gaussian" && !(b.sd[a] >= 0 && Number.isFinite(b.mean[a])))
      throw new RangeError(`arm ${a}: needs a finite mean and sd ≥ 0`);
    if (b.kind === "discrete") {
      const s = b.probs[a].reduce((x, y) => x + y, 0);
      if (b.values[a].length !== b.probs[a].length || Math.abs(s - 1) > 1e-12 || b.probs[a].some((q) => q < 0))
        throw new RangeError(`arm ${a}: reward probabilities must be non-negative, match the values and sum to 1`);
    }
  }
  return b;
}

/** The number of actions. */
export function numActions(b: Bandit): number {
  return b.kind === "bernoulli" ? b.p.length : b.kind === "gaussian" ? b.mean.length : b.values.length;
}

/** r(a) = E[R | A = a] for every action. */
export function meanRewards(b: Bandit): Float64Array {
  if (b.kind === "bernoulli") return Float64Array.from(b.p);
  if (b.kind === "gaussian") return Float64Array.from(b.mean);
  return Float64Array.from(b.values, (v, a) => v.reduce((s, x, j) => s + x * b.probs[a][j], 0));
}

/** The index of a best action (the first, on ties). */
export function optimalAction(b: Bandit): number {
  const r = meanRewards(b);
  let best = 0;
  for (let a = 1; a < r.length; a++) if (r[a] > r[best]) best = a;
  return best;
}

/** Draw a reward of action a. */
export function drawReward(b: Bandit, a: number, rng: Rng): number {
  if (b.kind === "bernoulli") return bernoulli(rng, b.p[a]);
  if (b.kind === "gaussian") return gaussian(rng, b.mean[a], b.sd[a]);
  const u = rng();
  const { values, probs } = b;
  let acc = 0;
  for (let j = 0; j < values[a].length - 1; j++) {
    acc += probs[a][j];
    if (u < acc) return values[a][j];
  }
  return values[a][values[a].length - 1];
}

/** Every reward of action a with its probability (finite reward laws only). */
export function outcomes(b: Bandit, a: number): { reward: number; prob: number }[] {
  if (b.kind === "bernoulli")
    return [
      { reward: 1, prob: b.p[a] },
      { reward: 0, prob: 1 - b.p[a] },
    ];
  if (b.kind === "discrete") return b.values[a].map((reward, j) => ({ reward, prob: b.probs[a][j] }));
  throw new RangeError(
    "Gaussian rewards cannot be enumerated; use a Bernoulli or discrete bandit for exact expectations",
  );
}
