// Mistake: inside runActorCritic the actor steps by 0.6·α instead of α (eq. (24) takes the step α_t); actorStep itself is right.
import type { Chapter2 } from "pgbook/contract";
import { actorStep, criticStep, gain, policyProbs } from "./correct.ts";

export * from "./correct.ts";

const draw = (p: ArrayLike<number>, u: number, from = 0, n = p.length - from) => {
  let acc = 0;
  for (let i = 0; i < n - 1; i++) if (u < (acc += p[from + i])) return i;
  return n - 1;
};

/** The actor-critic (24)–(27), with the actor's step scaled by 0.6. */
export const runActorCritic: Chapter2["runActorCritic"] = (mdp, policy, critic, o, rng) => {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const at = (x: number | ((t: number) => number), t: number) => (typeof x === "number" ? x : x(t));
  let theta: Float64Array = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(policy.kind === "tabular" ? S * A : policy.features[0][0].length);
  let psi: Float64Array = o.psi0 ? Float64Array.from(o.psi0) : new Float64Array(critic.kind === "tabular" ? S * A : critic.features[0][0].length);
  let lambda = o.lambda0 ?? 0;
  const trace: { t: number; gain: number; lambdaEstimate: number }[] = [];
  let s = o.s0 ?? 0;
  let a = draw(policyProbs(mdp, policy, theta), rng(), s * A, A);
  for (let t = 0; t < o.steps; t++) {
    if (o.traceEvery && t % o.traceEvery === 0) trace.push({ t, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
    const s2 = draw(mdp.P[s][a], rng());
    const a2 = draw(policyProbs(mdp, policy, theta), rng(), s2 * A, A);
    const alpha = at(o.alpha, t);
    if (alpha !== 0) theta = actorStep(mdp, policy, theta, critic, psi, s, a, 0.6 * alpha);
    const out = criticStep(mdp, critic, psi, lambda, { s, a, r: mdp.r[s][a], s2, a2 }, (o.wrongSign ? -1 : 1) * at(o.beta, t));
    psi = out.psi;
    lambda = out.lambda;
    s = s2;
    a = a2;
  }
  if (o.traceEvery) trace.push({ t: o.steps, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
  return { theta, psi, lambda, trace };
};
