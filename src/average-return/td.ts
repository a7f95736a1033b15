/**
 * Section 2.4: an actor-critic. The critic Q̃_ψ (an approximator of Q_θ — the notes call it a
 * "parameterized policy", which it is not) learns by temporal differences (25)–(27); the actor
 * follows (24), which uses the critic in place of Q and Σ_a π(a|S_t) Q̃(S_t, a) as baseline.
 */
import type { Rng } from "../contract/random.ts";
import { gain, stateActionDistribution } from "./exact.ts";
import { sampleIndex, softmaxInto } from "../core/distributions.ts";
import { solve } from "../core/linalg.ts";
import { policyDim, policyProbs, type PolicySpec } from "./policy.ts";
import { sampleNextState } from "./simulate.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** The critic's form: a table Q̃(s, a) = ψ[s·A + a], or linear Q̃(s, a) = φ(s, a)·ψ. */
export type CriticSpec = { kind: "tabular" } | { kind: "linear"; features: number[][][] };

/** Number of critic parameters. */
export function criticDim(mdp: Mdp, critic: CriticSpec): number {
  const { S, A } = mdpShape(mdp);
  return critic.kind === "tabular" ? S * A : critic.features[0][0].length;
}

/** Q̃_ψ(s, a). */
export function criticValue(mdp: Mdp, critic: CriticSpec, psi: ArrayLike<number>, s: number, a: number): number {
  if (critic.kind === "tabular") return psi[s * mdpShape(mdp).A + a];
  const f = critic.features[s][a];
  let q = 0;
  for (let i = 0; i < f.length; i++) q += f[i] * psi[i];
  return q;
}

/** Eq. (25): d_{t+1} = R_{t+1} − λ_t + Q̃(S_{t+1}, A_{t+1}) − Q̃(S_t, A_t). */
export function tdError(reward: number, lambda: number, qNext: number, q: number): number {
  return reward - lambda + qNext - q;
}

/** One observed transition (S_t, A_t, R_{t+1}, S_{t+1}, A_{t+1}). */
export interface Transition {
  s: number;
  a: number;
  r: number;
  s2: number;
  a2: number;
}

/**
 * Eqs. (25)–(27): d = R − λ + Q̃_ψ(S', A') − Q̃_ψ(S, A); ψ' = ψ + β d ∇ψ Q̃_ψ(S, A); λ' = λ + β d.
 * Returns new arrays; the inputs are not changed.
 */
export function criticStep(
  mdp: Mdp,
  critic: CriticSpec,
  psi: ArrayLike<number>,
  lambda: number,
  tr: Transition,
  beta: number,
): { psi: Float64Array; lambda: number; d: number } {
  const d = tdError(
    tr.r,
    lambda,
    criticValue(mdp, critic, psi, tr.s2, tr.a2),
    criticValue(mdp, critic, psi, tr.s, tr.a),
  );
  const out = Float64Array.from(psi);
  if (critic.kind === "tabular") out[tr.s * mdpShape(mdp).A + tr.a] += beta * d;
  else {
    const f = critic.features[tr.s][tr.a];
    for (let i = 0; i < f.length; i++) out[i] += beta * d * f[i];
  }
  return { psi: out, lambda: lambda + beta * d, d };
}

/**
 * Eq. (24): θ' = θ + α (Q̃_ψ(S, A) − Σ_b π_θ(b|S) Q̃_ψ(S, b)) ∇θ ln π_θ(A|S).
 */
export function actorStep(
  mdp: Mdp,
  policy: PolicySpec,
  theta: ArrayLike<number>,
  critic: CriticSpec,
  psi: ArrayLike<number>,
  s: number,
  a: number,
  alpha: number,
): Float64Array {
  const { A } = mdpShape(mdp);
  const out = Float64Array.from(theta);
  const p = new Float64Array(A);
  rowProbs(policy, theta, s, A, p);
  actorUpdateInPlace(mdp, policy, out, p, critic, psi, s, a, alpha);
  return out;
}

/** π_θ(·|s) into `out` (length A). */
function rowProbs(policy: PolicySpec, theta: ArrayLike<number>, s: number, A: number, out: Float64Array): void {
  for (let b = 0; b < A; b++) {
    if (policy.kind === "tabular") out[b] = theta[s * A + b];
    else {
      const f = policy.features[s][b];
      let h = 0;
      for (let i = 0; i < f.length; i++) h += f[i] * theta[i];
      out[b] = h;
    }
  }
  softmaxInto(out, out);
}

function actorUpdateInPlace(
  mdp: Mdp,
  policy: PolicySpec,
  theta: Float64Array,
  p: Float64Array,
  critic: CriticSpec,
  psi: ArrayLike<number>,
  s: number,
  a: number,
  alpha: number,
): void {
  const A = p.length;
  let baseline = 0;
  for (let b = 0; b < A; b++) baseline += p[b] * criticValue(mdp, critic, psi, s, b);
  const c = alpha * (criticValue(mdp, critic, psi, s, a) - baseline);
  if (c === 0) return;
  if (policy.kind === "tabular") {
    for (let b = 0; b < A; b++) theta[s * A + b] -= c * p[b];
    theta[s * A + a] += c;
    return;
  }
  const F = policy.features[s];
  for (let i = 0; i < theta.length; i++) {
    let mean = 0;
    for (let b = 0; b < A; b++) mean += p[b] * F[b][i];
    theta[i] += c * (F[a][i] - mean);
  }
}

/** A step size: a constant, or a schedule of the step index t = 0, 1, … */
export type StepSize = number | ((t: number) => number);

export interface ActorCriticOptions {
  steps: number;
  /** Actor step α_t (0 keeps the policy fixed: then only the critic learns). */
  alpha: StepSize;
  /** Critic step β_t. */
  beta: StepSize;
  theta0?: ArrayLike<number>;
  psi0?: ArrayLike<number>;
  lambda0?: number;
  s0?: number;
  /** Record the exact gain λ_θ and the estimate λ_t every this many steps (0: never). */
  traceEvery?: number;
  /** Flip the sign of the critic's step (a deliberately wrong TD, for negative controls). */
  wrongSign?: boolean;
}

export interface ActorCriticResult {
  theta: Float64Array;
  psi: Float64Array;
  lambda: number;
  /** Samples of (t, exact λ_θt, estimate λ_t). */
  trace: { t: number; gain: number; lambdaEstimate: number }[];
}

const at = (x: StepSize, t: number) => (typeof x === "number" ? x : x(t));

/**
 * Run the actor-critic (24)–(27) along one trajectory: A_t ~ π_θt(·|S_t), R_{t+1} = r(S_t, A_t),
 * S_{t+1} ~ P, A_{t+1} ~ π_θt(·|S_{t+1}); the critic steps with (25)–(27), the actor with (24)
 * using the critic before its step. In-place updates: no allocation per step.
 */
export function runActorCritic(
  mdp: Mdp,
  policy: PolicySpec,
  critic: CriticSpec,
  o: ActorCriticOptions,
  rng: Rng,
): ActorCriticResult {
  const { A } = mdpShape(mdp);
  const theta = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(policyDim(mdp, policy));
  const psi = o.psi0 ? Float64Array.from(o.psi0) : new Float64Array(criticDim(mdp, critic));
  let lambda = o.lambda0 ?? 0;
  const trace: ActorCriticResult["trace"] = [];
  const p = new Float64Array(A);
  const p2 = new Float64Array(A);
  const sign = o.wrongSign ? -1 : 1;
  let s = o.s0 ?? 0;
  rowProbs(policy, theta, s, A, p);
  let a = sampleIndex(p, rng());
  for (let t = 0; t < o.steps; t++) {
    if (o.traceEvery && t % o.traceEvery === 0)
      trace.push({ t, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
    const r = mdp.r[s][a];
    const s2 = sampleNextState(mdp, s, a, rng());
    rowProbs(policy, theta, s2, A, p2);
    const a2 = sampleIndex(p2, rng());
    const q = criticValue(mdp, critic, psi, s, a);
    const d = tdError(r, lambda, criticValue(mdp, critic, psi, s2, a2), q);
    const alpha = at(o.alpha, t);
    if (alpha !== 0) {
      rowProbs(policy, theta, s, A, p);
      actorUpdateInPlace(mdp, policy, theta, p, critic, psi, s, a, alpha);
    }
    const bd = sign * at(o.beta, t) * d;
    if (critic.kind === "tabular") psi[s * A + a] += bd;
    else {
      const f = critic.features[s][a];
      for (let i = 0; i < f.length; i++) psi[i] += bd * f[i];
    }
    lambda += bd;
    s = s2;
    a = a2;
  }
  if (o.traceEvery)
    trace.push({ t: o.steps, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
  return { theta, psi, lambda, trace };
}

/**
 * The fixed point of linear TD (25)–(27) for a fixed policy π: the pair (ψ, λ) with
 *   E_μ[d ∇ψ Q̃] = Φᵀ D_μ (r − λ1 + (M − I) Φ ψ) = 0  and  E_μ[d] = 0.
 * Since μᵀ M = μᵀ, the second equation reads λ_π − λ = 0, so λ = λ_π whatever the features; ψ then
 * solves Φᵀ D_μ (I − M) Φ ψ = Φᵀ D_μ (r − λ_π 1), which is nonsingular when no nonzero Φψ is
 * constant on the recurrent pairs.
 */
export function linearTdFixedPoint(
  mdp: Mdp,
  pi: ArrayLike<number>,
  features: number[][][],
): { psi: Float64Array; lambda: number } {
  const { S, A } = mdpShape(mdp);
  const n = features[0][0].length;
  const mu = stateActionDistribution(mdp, pi);
  const lambda = gain(mdp, pi);
  // Φ_next(s, a) = Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') φ(s', a')
  const mean = new Float64Array(S * n);
  for (let t = 0; t < S; t++)
    for (let b = 0; b < A; b++) for (let i = 0; i < n; i++) mean[t * n + i] += pi[t * A + b] * features[t][b][i];
  const Mat = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  const next = new Float64Array(n);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const w = mu[s * A + a];
      if (w === 0) continue;
      next.fill(0);
      for (let t = 0; t < S; t++) {
        const pr = mdp.P[s][a][t];
        if (pr) for (let i = 0; i < n; i++) next[i] += pr * mean[t * n + i];
      }
      const f = features[s][a];
      for (let i = 0; i < n; i++) {
        rhs[i] += w * f[i] * (mdp.r[s][a] - lambda);
        for (let j = 0; j < n; j++) Mat[i * n + j] += w * f[i] * (f[j] - next[j]);
      }
    }
  return { psi: solve(Mat, rhs, n), lambda };
}
