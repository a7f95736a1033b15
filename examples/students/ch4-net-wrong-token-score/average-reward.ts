/**
 * Chapter 2 (average reward, eqs. (20)–(27)), written for the contract of src/contract/chapter2.ts.
 * State–action arrays are flat, index s·A + a. Every function returns fresh arrays.
 */
import type { Chapter2, Rng } from "pgbook/contract";

// The data types, read off the contract's signatures ("pgbook/contract" exports the interfaces only).
type Mdp = Parameters<Chapter2["gain"]>[0];
type PolicySpec = Parameters<Chapter2["policyProbs"]>[1];
type CriticSpec = Parameters<Chapter2["criticStep"]>[1];
type Transition = Parameters<Chapter2["criticStep"]>[4];
type RelativeValues = ReturnType<Chapter2["relativeValues"]>;
import { inverseCdf, softmax, solveDense } from "./linear.ts";

const shape = (mdp: Mdp) => ({ S: mdp.P.length, A: mdp.P[0].length });

// ---------- input ----------

const fail = (path: string, problem: string): never => {
  throw new Error(`${path}: ${problem}`);
};
const what = (x: unknown) => (x === null ? "null" : Array.isArray(x) ? `an array of ${x.length}` : typeof x === "string" ? `a string` : typeof x === "object" ? "an object" : String(x));
function list(x: unknown, path: string, n?: number): unknown[] {
  if (!Array.isArray(x)) return fail(path, `expected an array, got ${what(x)}`);
  if (n !== undefined && x.length !== n) fail(path, `expected ${n} entries, got ${x.length}`);
  return x;
}
function num(x: unknown, path: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) return fail(path, `expected a finite number, got ${what(x)}`);
  return x;
}

/** Input check: shapes, numbers, probability rows, and one closed class under a policy trying every action. */
export const validateMdp: Chapter2["validateMdp"] = (input) => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("$", `expected an object with fields "P" and "r", got ${what(input)}`);
  const o = input as Record<string, unknown>;
  if (!("P" in o)) fail("$", 'missing field "P"');
  if (!("r" in o)) fail("$", 'missing field "r"');
  const rows = list(o.P, "$.P");
  const S = rows.length;
  if (S === 0) fail("$.P", "no states");
  const A = list(rows[0], "$.P[0]").length;
  if (A === 0) fail("$.P[0]", "no actions");
  const P = rows.map((row, s) =>
    list(row, `$.P[${s}]`, A).map((dist, a) => {
      const where = `$.P[${s}][${a}]`;
      const p = list(dist, where, S).map((v, t) => {
        const x = num(v, `${where}[${t}]`);
        if (x < 0) fail(`${where}[${t}]`, `negative probability ${x}`);
        return x;
      });
      const tot = p.reduce((acc, x) => acc + x, 0);
      if (Math.abs(tot - 1) > 1e-9) fail(where, `probabilities sum to ${tot}, not 1`);
      return p;
    }),
  );
  const r = list(o.r, "$.r", S).map((row, s) => list(row, `$.r[${s}]`, A).map((v, a) => num(v, `$.r[${s}][${a}]`)));
  // reach[s][t]: t can be reached from s (any action with positive probability)
  const reach = P.map((_, s) => {
    const seen = new Array<boolean>(S).fill(false);
    const todo = [s];
    seen[s] = true;
    while (todo.length) {
      const u = todo.pop()!;
      for (let a = 0; a < A; a++)
        for (let t = 0; t < S; t++)
          if (P[u][a][t] > 0 && !seen[t]) {
            seen[t] = true;
            todo.push(t);
          }
    }
    return seen;
  });
  // a closed class is the reach set of a state that every state it reaches can get back from
  const closed = new Set<string>();
  for (let s = 0; s < S; s++) if (reach[s].every((ok, t) => !ok || reach[t][s])) closed.add(reach[s].map((ok, t) => (ok ? t : "")).filter((x) => x !== "").join(","));
  if (closed.size > 1) fail("$.P", `not unichain: ${[...closed].map((c) => `{${c}}`).join(" and ")} are separate closed classes`);
  return { P, r };
};

// ---------- policies ----------

/** Preferences h(s, ·) of one state. */
function prefs(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>, s: number): Float64Array {
  const { A } = shape(mdp);
  const h = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    if (policy.kind === "tabular") h[a] = theta[s * A + a];
    else for (let i = 0; i < theta.length; i++) h[a] += policy.features[s][a][i] * theta[i];
  }
  return h;
}

/** Eq. (2) per state: π(a|s) = softmax_a h(s, a). */
export const policyProbs: Chapter2["policyProbs"] = (mdp, policy, theta) => {
  const { S, A } = shape(mdp);
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) pi.set(softmax(prefs(mdp, policy, theta, s)), s * A);
  return pi;
};

/** ∇θ ln πθ(a|s) = ∇h(s, a) − Σ_b π(b|s) ∇h(s, b). */
function scoreWith(mdp: Mdp, policy: PolicySpec, pi: ArrayLike<number>, s: number, a: number, dim: number): Float64Array {
  const { A } = shape(mdp);
  const g = new Float64Array(dim);
  if (policy.kind === "tabular") {
    for (let b = 0; b < A; b++) g[s * A + b] = (b === a ? 1 : 0) - pi[s * A + b];
    return g;
  }
  for (let b = 0; b < A; b++) {
    const w = (b === a ? 1 : 0) - pi[s * A + b];
    const f = policy.features[s][b];
    for (let i = 0; i < dim; i++) g[i] += w * f[i];
  }
  return g;
}

export const policyScore: Chapter2["policyScore"] = (mdp, policy, theta, s, a) => scoreWith(mdp, policy, policyProbs(mdp, policy, theta), s, a, theta.length);

// ---------- exact quantities of a fixed policy ----------

/** P_π(s, t) row-major and r_π(s). */
function chainOf(mdp: Mdp, pi: ArrayLike<number>) {
  const { S, A } = shape(mdp);
  const P = new Float64Array(S * S);
  const r = new Float64Array(S);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const p = pi[s * A + a];
      r[s] += p * mdp.r[s][a];
      for (let t = 0; t < S; t++) P[s * S + t] += p * mdp.P[s][a][t];
    }
  return { P, r, S, A };
}

/** dᵀ (I − P_π + 11ᵀ) = 1ᵀ: the stationary distribution of a unichain chain in one solve. */
export const stationaryDistribution: Chapter2["stationaryDistribution"] = (mdp, pi) => {
  const { P, S } = chainOf(mdp, pi);
  // transposed system: (I − P_π + 11ᵀ)ᵀ d = 1
  const M = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) M[i * S + j] = (i === j ? 1 : 0) - P[j * S + i] + 1;
  const d = solveDense(M, new Float64Array(S).fill(1), S);
  return d.map((x) => (x < 0 ? 0 : x));
};

export const stateActionDistribution: Chapter2["stateActionDistribution"] = (mdp, pi) => {
  const { S, A } = shape(mdp);
  const d = stationaryDistribution(mdp, pi);
  return Float64Array.from({ length: S * A }, (_, i) => d[Math.floor(i / A)] * pi[i]);
};

/** Eq. (20): λ = Σ μ(s, a) r(s, a). */
export const gain: Chapter2["gain"] = (mdp, pi) => {
  const { A } = shape(mdp);
  return stateActionDistribution(mdp, pi).reduce((acc, m, i) => acc + m * mdp.r[Math.floor(i / A)][i % A], 0);
};

/**
 * The evaluation equation averaged over π's next action. V solves (I − P_π + 1dᵀ) V = r_π − λ1, whose
 * solution has dᵀV = 0 (the bias normalization); the reference one is shifted so V(0) = 0.
 */
export const relativeValues: Chapter2["relativeValues"] = (mdp, pi, normalization) => {
  const { P, r, S, A } = chainOf(mdp, pi);
  const d = stationaryDistribution(mdp, pi);
  const lambda = d.reduce((acc, x, s) => acc + x * r[s], 0);
  const M = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) M[i * S + j] = (i === j ? 1 : 0) - P[i * S + j] + d[j];
  const V = solveDense(M, r.map((x) => x - lambda), S);
  if (normalization === "reference") {
    const v0 = V[0];
    for (let s = 0; s < S; s++) V[s] -= v0;
  }
  const Q = new Float64Array(S * A);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      let next = 0;
      for (let t = 0; t < S; t++) next += mdp.P[s][a][t] * V[t];
      Q[s * A + a] = mdp.r[s][a] - lambda + next;
    }
  const out: RelativeValues = { gain: lambda, V, Q, normalization };
  return out;
};

/** Σ_{s,a} w(s, a) ∇θ ln πθ(a|s). */
function scoreSum(mdp: Mdp, policy: PolicySpec, theta: ArrayLike<number>, w: (i: number) => number): Float64Array {
  const { S, A } = shape(mdp);
  const pi = policyProbs(mdp, policy, theta);
  const g = new Float64Array(theta.length);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const c = w(s * A + a);
      if (c === 0) continue;
      const sc = scoreWith(mdp, policy, pi, s, a, theta.length);
      for (let i = 0; i < g.length; i++) g[i] += c * sc[i];
    }
  return g;
}

/** Eq. (21): ∇λ = Σ μ Q ∇ ln π. */
export const policyGradient: Chapter2["policyGradient"] = (mdp, policy, theta) => {
  const pi = policyProbs(mdp, policy, theta);
  const mu = stateActionDistribution(mdp, pi);
  const { Q } = relativeValues(mdp, pi, "bias");
  return scoreSum(mdp, policy, theta, (i) => mu[i] * Q[i]);
};

/** Eq. (22). */
export const gainReinforceStep: Chapter2["gainReinforceStep"] = (mdp, policy, theta, s, a, q, alpha) => baselinedGainStep(mdp, policy, theta, s, a, q, 0, alpha);

/** Eq. (23): θ + α (q − v) ∇ ln π(a|s). */
export const baselinedGainStep: Chapter2["baselinedGainStep"] = (mdp, policy, theta, s, a, q, v, alpha) => {
  const sc = policyScore(mdp, policy, theta, s, a);
  return Float64Array.from(theta, (x, i) => x + alpha * (q - v) * sc[i]);
};

export const expectedGainUpdate: Chapter2["expectedGainUpdate"] = (mdp, policy, theta, kind) => {
  const { A } = shape(mdp);
  const pi = policyProbs(mdp, policy, theta);
  const mu = stateActionDistribution(mdp, pi);
  const { Q, V } = relativeValues(mdp, pi, "bias");
  return scoreSum(mdp, policy, theta, (i) => mu[i] * (kind === "q" ? Q[i] : Q[i] - V[Math.floor(i / A)]));
};

// ---------- simulation ----------

const drawState = (mdp: Mdp, s: number, a: number, rng: Rng) => inverseCdf(mdp.P[s][a], rng());
const drawAction = (pi: ArrayLike<number>, s: number, A: number, rng: Rng) => inverseCdf(pi, rng(), s * A, A);

export const trajectoryAverageReward: Chapter2["trajectoryAverageReward"] = (mdp, pi, start, T, rng) => {
  const { A } = shape(mdp);
  let s = typeof start === "number" ? start : inverseCdf(start, rng());
  let total = 0;
  for (let t = 0; t < T; t++) {
    const a = drawAction(pi, s, A, rng);
    total += mdp.r[s][a];
    s = drawState(mdp, s, a, rng);
  }
  return total / T;
};

/** §2.3: Σ_{k<K} (r(S̃_k, Ã_k) − λ) from the given pair. */
export const sampleRollout: Chapter2["sampleRollout"] = (mdp, pi, s, a, K, lambda, rng) => {
  const { A } = shape(mdp);
  let total = 0;
  for (let k = 0; k < K; k++) {
    total += mdp.r[s][a] - lambda;
    if (k + 1 === K) break;
    s = drawState(mdp, s, a, rng);
    a = drawAction(pi, s, A, rng);
  }
  return total;
};

export const expectedRollout: Chapter2["expectedRollout"] = (mdp, pi, K, lambda) => {
  const { S, A } = shape(mdp);
  let g = Float64Array.from({ length: S * A }, (_, i) => mdp.r[Math.floor(i / A)][i % A] - lambda);
  const sum = new Float64Array(S * A);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < sum.length; i++) sum[i] += g[i];
    // g ← M g, M((s,a),(t,b)) = P[s][a][t] π(b|t)
    const v = new Float64Array(S);
    for (let t = 0; t < S; t++) for (let b = 0; b < A; b++) v[t] += pi[t * A + b] * g[t * A + b];
    g = Float64Array.from({ length: S * A }, (_, i) => mdp.P[Math.floor(i / A)][i % A].reduce((acc, p, t) => acc + p * v[t], 0));
  }
  return sum;
};

// ---------- temporal differences and the actor ----------

/** Eq. (25). */
export const tdError: Chapter2["tdError"] = (reward, lambda, qNext, q) => reward - lambda + qNext - q;

function criticQ(mdp: Mdp, critic: CriticSpec, psi: ArrayLike<number>, s: number, a: number): number {
  if (critic.kind === "tabular") return psi[s * shape(mdp).A + a];
  return critic.features[s][a].reduce((acc: number, f: number, i: number) => acc + f * psi[i], 0);
}

/** ψ ← ψ + c ∇ψ Q̃(s, a), in place. */
function addCriticGradient(mdp: Mdp, critic: CriticSpec, psi: Float64Array, s: number, a: number, c: number): void {
  if (critic.kind === "tabular") psi[s * shape(mdp).A + a] += c;
  else critic.features[s][a].forEach((f: number, i: number) => (psi[i] += c * f));
}

/** Eqs. (25)–(27). */
export const criticStep: Chapter2["criticStep"] = (mdp, critic, psi, lambda, tr: Transition, beta) => {
  const d = tdError(tr.r, lambda, criticQ(mdp, critic, psi, tr.s2, tr.a2), criticQ(mdp, critic, psi, tr.s, tr.a));
  const out = Float64Array.from(psi);
  addCriticGradient(mdp, critic, out, tr.s, tr.a, beta * d);
  return { psi: out, lambda: lambda + beta * d, d };
};

/** Eq. (24): θ + α (Q̃(s, a) − Σ_b π(b|s) Q̃(s, b)) ∇ ln π(a|s). */
export const actorStep: Chapter2["actorStep"] = (mdp, policy, theta, critic, psi, s, a, alpha) => {
  const { A } = shape(mdp);
  const p = softmax(prefs(mdp, policy, theta, s));
  let v = 0;
  for (let b = 0; b < A; b++) v += p[b] * criticQ(mdp, critic, psi, s, b);
  return baselinedGainStep(mdp, policy, theta, s, a, criticQ(mdp, critic, psi, s, a), v, alpha);
};

/** The actor-critic along one trajectory: sample, critic step (25)–(27), actor step (24) with the critic before its step. */
export const runActorCritic: Chapter2["runActorCritic"] = (mdp, policy, critic, o, rng) => {
  const { S, A } = shape(mdp);
  const step = (x: number | ((t: number) => number), t: number) => (typeof x === "number" ? x : x(t));
  let theta: Float64Array = o.theta0 ? Float64Array.from(o.theta0) : new Float64Array(policy.kind === "tabular" ? S * A : policy.features[0][0].length);
  const psi = o.psi0 ? Float64Array.from(o.psi0) : new Float64Array(critic.kind === "tabular" ? S * A : critic.features[0][0].length);
  let lambda = o.lambda0 ?? 0;
  const trace: { t: number; gain: number; lambdaEstimate: number }[] = [];
  const record = (t: number) => trace.push({ t, gain: gain(mdp, policyProbs(mdp, policy, theta)), lambdaEstimate: lambda });
  const sign = o.wrongSign ? -1 : 1;
  let s = o.s0 ?? 0;
  let a = inverseCdf(softmax(prefs(mdp, policy, theta, s)), rng());
  for (let t = 0; t < o.steps; t++) {
    if (o.traceEvery && t % o.traceEvery === 0) record(t);
    const s2 = drawState(mdp, s, a, rng);
    const a2 = inverseCdf(softmax(prefs(mdp, policy, theta, s2)), rng());
    const d = tdError(mdp.r[s][a], lambda, criticQ(mdp, critic, psi, s2, a2), criticQ(mdp, critic, psi, s, a));
    const alpha = step(o.alpha, t);
    if (alpha !== 0) theta = actorStep(mdp, policy, theta, critic, psi, s, a, alpha);
    const c = sign * step(o.beta, t) * d;
    addCriticGradient(mdp, critic, psi, s, a, c);
    lambda += c;
    s = s2;
    a = a2;
  }
  if (o.traceEvery) record(o.steps);
  return { theta, psi, lambda, trace };
};

/** Linear TD's fixed point: λ = λ_π, and Φᵀ D_μ (I − M) Φ ψ = Φᵀ D_μ (r − λ1). */
export const linearTdFixedPoint: Chapter2["linearTdFixedPoint"] = (mdp, pi, features) => {
  const { S, A } = shape(mdp);
  const n = features[0][0].length;
  const mu = stateActionDistribution(mdp, pi);
  const lambda = gain(mdp, pi);
  const M = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const w = mu[s * A + a];
      if (w === 0) continue;
      const f = features[s][a];
      // expected next feature vector Σ_t P[s][a][t] Σ_b π(b|t) φ(t, b)
      const next = new Float64Array(n);
      for (let t = 0; t < S; t++) for (let b = 0; b < A; b++) features[t][b].forEach((x, i) => (next[i] += mdp.P[s][a][t] * pi[t * A + b] * x));
      for (let i = 0; i < n; i++) {
        rhs[i] += w * f[i] * (mdp.r[s][a] - lambda);
        for (let j = 0; j < n; j++) M[i * n + j] += w * f[i] * (f[j] - next[j]);
      }
    }
  return { psi: solveDense(M, rhs, n), lambda };
};
