// Mistake: the critic steps against the temporal difference, ψ' = ψ − β d ∇ψQ̃ and λ' = λ − β d (eqs. (25)–(27) add β d), as if descending on d; runActorCritic uses this criticStep.
import type { Chapter2 } from "pgbook/contract";
import { actorStep, gain, policyProbs, tdError } from "./correct.ts";

export * from "./correct.ts";

type Mdp = Parameters<Chapter2["gain"]>[0];
type CriticSpec = Parameters<Chapter2["criticStep"]>[1];

const criticQ = (mdp: Mdp, critic: CriticSpec, psi: ArrayLike<number>, s: number, a: number) =>
  critic.kind === "tabular" ? psi[s * mdp.P[0].length + a] : critic.features[s][a].reduce((acc: number, f: number, i: number) => acc + f * psi[i], 0);

export const criticStep: Chapter2["criticStep"] = (mdp, critic, psi, lambda, tr, beta) => {
  const d = tdError(tr.r, lambda, criticQ(mdp, critic, psi, tr.s2, tr.a2), criticQ(mdp, critic, psi, tr.s, tr.a));
  const out = Float64Array.from(psi);
  if (critic.kind === "tabular") out[tr.s * mdp.P[0].length + tr.a] -= beta * d;
  else critic.features[tr.s][tr.a].forEach((f: number, i: number) => (out[i] -= beta * d * f));
  return { psi: out, lambda: lambda - beta * d, d };
};

const draw = (p: ArrayLike<number>, u: number, from = 0, n = p.length - from) => {
  let acc = 0;
  for (let i = 0; i < n - 1; i++) if (u < (acc += p[from + i])) return i;
  return n - 1;
};

/** The actor-critic (24)–(27), built on the criticStep above. */
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
    if (alpha !== 0) theta = actorStep(mdp, policy, theta, critic, psi, s, a, alpha);
    const out = criticStep(mdp, critic, psi, lambda, { s, a, r: mdp.r[s][a], s2, a2 }, (o.wrongSign ? -1 : 1) * at(o.beta, t));
    psi = out.psi;
    lambda = out.lambda;
    s = s2;
    a = a2;
  }
  if (o.traceEvery) trace.push({ t: o.steps, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
  return { theta, psi, lambda, trace };
};
