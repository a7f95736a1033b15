// Mistake: policyGradient drops the stationary state distribution of eq. (21): Σ_s Σ_a π(a|s) Q(s, a) ∇ ln π(a|s), every state weighted 1 instead of d(s) (μ(s, a) = d(s) π(a|s)).
import type { Chapter2 } from "pgbook/contract";
import { policyProbs, policyScore, relativeValues } from "./correct.ts";

export * from "./correct.ts";

export const policyGradient: Chapter2["policyGradient"] = (mdp, policy, theta) => {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const pi = policyProbs(mdp, policy, theta);
  const { Q } = relativeValues(mdp, pi, "bias");
  const g = new Float64Array(theta.length);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const sc = policyScore(mdp, policy, theta, s, a);
      for (let i = 0; i < g.length; i++) g[i] += pi[s * A + a] * Q[s * A + a] * sc[i];
    }
  return g;
};
