/**
 * Exact quantities of a bandit under the Gibbs policy (notes §1.3): the average reward (7), its
 * gradient (8)–(11), and the exact expectation of any sampled update by enumerating outcomes.
 */
import { gibbsPolicy, gibbsScore } from "../gibbs.ts";
import { meanRewards, outcomes, type Bandit } from "./bandit.ts";

/** Eq. (7): λθ = Σₐ πθ(a) r(a). */
export function averageReward(theta: Float64Array, r: Float64Array): number {
  const p = gibbsPolicy(theta);
  let s = 0;
  for (let a = 0; a < p.length; a++) s += p[a] * r[a];
  return s;
}

/** Eq. (11): ∇θ λθ = Σₐ πθ(a) r(a) ∇θ ln πθ(a); for the Gibbs policy, component i is πθ(i)(r(i) − λθ). */
export function exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array {
  const p = gibbsPolicy(theta);
  let lambda = 0;
  for (let a = 0; a < p.length; a++) lambda += p[a] * r[a];
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) g[i] = p[i] * (r[i] - lambda);
  return g;
}

/**
 * E[f(A, R)] under A ~ πθ and R ~ the bandit's reward law of A, by enumerating every
 * (action, reward) outcome with its probability (the bandit's rewards must be discrete).
 */
export function expectOverOutcomes(
  theta: Float64Array,
  bandit: Bandit,
  f: (a: number, reward: number) => ArrayLike<number>,
): Float64Array {
  const p = gibbsPolicy(theta);
  let out: Float64Array | undefined;
  for (let a = 0; a < p.length; a++) {
    for (const { reward, prob } of outcomes(bandit, a)) {
      const v = f(a, reward);
      out ??= new Float64Array(v.length);
      const w = p[a] * prob;
      for (let i = 0; i < v.length; i++) out[i] += w * v[i];
    }
  }
  return out ?? new Float64Array(0);
}

/** The exact second moment E[‖(R − B)∇θ ln πθ(A)‖² component i] for a fixed baseline B: Σₐ πθ(a) E[(R − B)² | a] score_i(a)². */
export function updateSecondMoment(theta: Float64Array, bandit: Bandit, baseline: number, i: number): number {
  return expectOverOutcomes(theta, bandit, (a, reward) => {
    const s = gibbsScore(theta, a)[i] * (reward - baseline);
    return [s * s];
  })[0];
}

/** λθ for a bandit (its mean rewards), for convenience. */
export function banditAverageReward(theta: Float64Array, bandit: Bandit): number {
  return averageReward(theta, meanRewards(bandit));
}
