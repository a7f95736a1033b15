/**
 * The reinforce-style updates of Section 2.2 and their exact expectations when (S_t, A_t) ~ μ_θ.
 */
import { relativeValues, stateActionDistribution, weightedScoreSum } from "./exact.ts";
import { policyProbs, scoreFromProbs, type PolicySpec } from "./policy.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** Eq. (22): θ' = θ + α Q(S_t, A_t) ∇θ ln π_θ(A_t|S_t), with q = Q(S_t, A_t) supplied. */
export function gainReinforceStep(
  mdp: Mdp,
  policy: PolicySpec,
  theta: ArrayLike<number>,
  s: number,
  a: number,
  q: number,
  alpha: number,
): Float64Array {
  return baselinedGainStep(mdp, policy, theta, s, a, q, 0, alpha);
}

/** Eq. (23): θ' = θ + α (Q(S_t, A_t) − V(S_t)) ∇θ ln π_θ(A_t|S_t), with q and v = V(S_t) supplied. */
export function baselinedGainStep(
  mdp: Mdp,
  policy: PolicySpec,
  theta: ArrayLike<number>,
  s: number,
  a: number,
  q: number,
  v: number,
  alpha: number,
): Float64Array {
  const pi = policyProbs(mdp, policy, theta);
  const g = scoreFromProbs(mdp, policy, pi, s, a);
  const out = Float64Array.from(theta);
  for (let i = 0; i < out.length; i++) out[i] += alpha * (q - v) * g[i];
  return out;
}

/**
 * The exact expected increment E[θ' − θ]/α of (22) ("q") or (23) ("advantage") when
 * (S_t, A_t) ~ μ_θ and Q, V are the policy's own relative values. Both equal ∇λ_θ by (21).
 */
export function expectedGainUpdate(
  mdp: Mdp,
  policy: PolicySpec,
  theta: ArrayLike<number>,
  kind: "q" | "advantage",
): Float64Array {
  const { S, A } = mdpShape(mdp);
  const pi = policyProbs(mdp, policy, theta);
  const mu = stateActionDistribution(mdp, pi);
  const { Q, V } = relativeValues(mdp, pi, "bias");
  return weightedScoreSum(
    mdp,
    policy,
    pi,
    (s, a) => mu[s * A + a] * (Q[s * A + a] - (kind === "advantage" ? V[s] : 0)),
    S,
    A,
  );
}
