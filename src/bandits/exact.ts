/** Exact quantities of a bandit under the Gibbs policy (notes §1.3): the average reward (7) and its gradient (8)–(11). */
import { gibbsPolicy } from "./gibbs.ts";

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
