/**
 * Exact answers for an average-reward MDP (Chapter 2) with rational P, r and a rational policy table
 * π[s][a]: the stationary distribution, the gain (20), the relative values in the book's two
 * normalizations and the policy gradient (21), every one a fraction. Written independently of
 * src/average-return/exact.ts (other linear systems, exact arithmetic) so that it can judge it.
 *
 * What is exact: for a given rational π every quantity below is rational. A tabular Gibbs policy's
 * probabilities e^θ/Σe^θ are irrational in general, so the policy enters as probabilities; the
 * gradient is the one of the Gibbs parameterization at any θ with π_θ = π (θ = ln π up to a constant
 * per state), whose score 1_(s,a) − π(·|s) is rational in π, so (21) is rational too.
 */
import type { Mdp } from "../../src/average-return/types.ts";
import { inverseExact, solveExact, SingularError, type RationalMatrix } from "./linear.ts";
import { exactDecimal, ONE, ZERO, type Rational } from "./rational.ts";

/** An MDP with exact entries: P[s][a][s'] and r[s][a]. */
export interface RationalMdp {
  P: Rational[][][];
  r: Rational[][];
}

/** A policy table π[s][a] of exact probabilities. */
export type RationalPolicy = Rational[][];

/**
 * An MDP of doubles read exactly, each entry as the decimal it prints as (0.2 is 1/5): for the book's
 * examples, whose entries are short decimals. Throws naming the entry when one is not (exactDecimal).
 */
export function mdpFromDecimals(mdp: Pick<Mdp, "P" | "r">): RationalMdp {
  const read = (x: number, where: string): Rational => {
    const e = exactDecimal(x);
    if ("problem" in e) throw new RangeError(`${where}: ${e.problem}`);
    return e.value;
  };
  return {
    P: mdp.P.map((Ps, s) => Ps.map((row, a) => row.map((p, t) => read(p, `P[${s}][${a}][${t}]`)))),
    r: mdp.r.map((rs, s) => rs.map((x, a) => read(x, `r[${s}][${a}]`))),
  };
}

/** The uniform policy, π(a|s) = 1/|A| (the Gibbs policy at θ = 0). */
export function uniformPolicy(mdp: RationalMdp): RationalPolicy {
  return mdp.r.map((rs) => rs.map(() => ONE.div(rs.length)));
}

/** The deterministic policy choosing action choice[s] in state s. */
export function deterministicPolicy(mdp: RationalMdp, choice: readonly number[]): RationalPolicy {
  return mdp.r.map((rs, s) => rs.map((_, a) => (a === choice[s] ? ONE : ZERO)));
}

/** The state chain P_π(s, s') = Σ_a π(a|s) P[s][a][s']. */
export function chainExact(mdp: RationalMdp, pi: RationalPolicy): RationalMatrix {
  const S = mdp.P.length;
  return mdp.P.map((Ps, s) =>
    Array.from({ length: S }, (_, t) => Ps.reduce((acc, row, a) => acc.add(pi[s][a].mul(row[t])), ZERO)),
  );
}

/** r_π(s) = Σ_a π(a|s) r(s, a). */
export function stateRewardsExact(mdp: RationalMdp, pi: RationalPolicy): Rational[] {
  return mdp.r.map((rs, s) => rs.reduce((acc, x, a) => acc.add(pi[s][a].mul(x)), ZERO));
}

/** Thrown when the chain of π has more than one closed class (no unique stationary distribution). */
export class NotUnichainError extends Error {
  override name = "NotUnichainError";
}

/**
 * The stationary distribution: dᵀ(I − P_π + 11ᵀ) = 1ᵀ, which says dᵀ(I − P_π) = c1ᵀ with c = 1 − Σd,
 * and summing over states gives c = 0; the matrix is invertible exactly when the chain is unichain.
 */
export function stationaryExact(mdp: RationalMdp, pi: RationalPolicy): Rational[] {
  const P = chainExact(mdp, pi);
  const S = P.length;
  // row t of the transposed system: Σ_s (δ_st − P(s, t) + 1) d(s) = 1
  const M = Array.from({ length: S }, (_, t) =>
    Array.from({ length: S }, (_, s) => (s === t ? ONE : ZERO).sub(P[s][t]).add(ONE)),
  );
  try {
    return solveExact(M, new Array<Rational>(S).fill(ONE));
  } catch (e) {
    if (e instanceof SingularError)
      throw new NotUnichainError("the chain of this policy is not unichain: its stationary distribution is not unique");
    throw e;
  }
}

/** μ(s, a) = d(s) π(a|s), nested [S][A]. */
export function stateActionExact(d: readonly Rational[], pi: RationalPolicy): Rational[][] {
  return pi.map((row, s) => row.map((p) => d[s].mul(p)));
}

/** Eq. (20): λ = Σ_{s,a} μ(s, a) r(s, a). */
export function gainExact(mdp: RationalMdp, pi: RationalPolicy): Rational {
  const mu = stateActionExact(stationaryExact(mdp, pi), pi);
  let g = ZERO;
  mu.forEach((row, s) => row.forEach((m, a) => (g = g.add(m.mul(mdp.r[s][a])))));
  return g;
}

/** The two normalizations of the relative values (src/average-return/exact.ts names them the same). */
export type Normalization = "reference" | "bias";

export interface ExactValues {
  gain: Rational;
  /** V(s) = Σ_a π(a|s) Q(s, a). */
  V: Rational[];
  /** Q(s, a), nested [S][A]. */
  Q: Rational[][];
}

/**
 * The square system of the evaluation equation in the unknowns (Q flat, index s·A + a; then λ):
 *   rows s·A + a: Q(s, a) − Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') Q(s', a') + λ = r(s, a),
 *   last row, the normalization: Σ_a π(a|0) Q(0, a) = 0 ("reference", V(0) = 0) or
 *   Σ_{s,a} μ(s, a) Q(s, a) = 0 ("bias", Σ_s d(s) V(s) = 0).
 * Returns the matrix and right-hand side; its inverse also bounds how far a solution with a small
 * residual can be from the exact one (evaluationDistanceBound).
 */
export function evaluationSystem(
  mdp: RationalMdp,
  pi: RationalPolicy,
  normalization: Normalization,
): { B: RationalMatrix; rhs: Rational[] } {
  const S = mdp.P.length;
  const A = mdp.r[0].length;
  const n = S * A;
  const B: RationalMatrix = [];
  const rhs: Rational[] = [];
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++) {
      const row = new Array<Rational>(n + 1).fill(ZERO);
      row[s * A + a] = ONE;
      for (let t = 0; t < S; t++)
        for (let b = 0; b < A; b++) row[t * A + b] = row[t * A + b].sub(mdp.P[s][a][t].mul(pi[t][b]));
      row[n] = ONE;
      B.push(row);
      rhs.push(mdp.r[s][a]);
    }
  const norm = new Array<Rational>(n + 1).fill(ZERO);
  if (normalization === "reference") for (let a = 0; a < A; a++) norm[a] = pi[0][a];
  else {
    const mu = stateActionExact(stationaryExact(mdp, pi), pi);
    for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) norm[s * A + a] = mu[s][a];
  }
  B.push(norm);
  rhs.push(ZERO);
  return { B, rhs };
}

/** The policy's relative values from its own evaluation equation, in either normalization, exactly. */
export function relativeValuesExact(mdp: RationalMdp, pi: RationalPolicy, normalization: Normalization): ExactValues {
  const A = mdp.r[0].length;
  const { B, rhs } = evaluationSystem(mdp, pi, normalization);
  let x: Rational[];
  try {
    x = solveExact(B, rhs);
  } catch (e) {
    if (e instanceof SingularError)
      throw new NotUnichainError(
        "the chain of this policy is not unichain: its evaluation equation has no unique solution",
      );
    throw e;
  }
  const Q = mdp.r.map((rs, s) => rs.map((_, a) => x[s * A + a]));
  const V = Q.map((q, s) => q.reduce((acc, v, a) => acc.add(pi[s][a].mul(v)), ZERO));
  return { gain: x[x.length - 1], V, Q };
}

/**
 * How far (in ‖·‖∞, over Q and λ together) a solution whose equations of evaluationSystem each hold to
 * within `residual` can be from the exact one: ‖B⁻¹‖∞·residual, with B⁻¹ computed exactly.
 */
export function evaluationDistanceBound(
  mdp: RationalMdp,
  pi: RationalPolicy,
  normalization: Normalization,
  residual: number,
): number {
  const Binv = inverseExact(evaluationSystem(mdp, pi, normalization).B);
  const norm = Binv.reduce(
    (m, row) =>
      Math.max(
        m,
        row.reduce((acc, x) => acc + Math.abs(x.valueOf()), 0),
      ),
    0,
  );
  return norm * residual;
}

/** Eq. (21) for the tabular Gibbs policy at π: ∂λ/∂θ(s, a) = μ(s, a)Q(s, a) − π(a|s) Σ_b μ(s, b)Q(s, b), nested [S][A]. */
export function tabularGradientExact(mdp: RationalMdp, pi: RationalPolicy): Rational[][] {
  const mu = stateActionExact(stationaryExact(mdp, pi), pi);
  const { Q } = relativeValuesExact(mdp, pi, "bias");
  return weightedScoreSumExact(pi, (s, a) => mu[s][a].mul(Q[s][a]));
}

/** Σ_{s,a} w(s, a)(1_(s,a) − π(·|s)) for the tabular score: block s is w(s, ·) − π(·|s) Σ_b w(s, b). */
export function weightedScoreSumExact(pi: RationalPolicy, w: (s: number, a: number) => Rational): Rational[][] {
  return pi.map((row, s) => {
    const ws = row.map((_, a) => w(s, a));
    const tot = ws.reduce((acc, x) => acc.add(x), ZERO);
    return ws.map((x, a) => x.sub(tot.mul(row[a])));
  });
}

/**
 * Eq. (21) for a log-linear policy π(a|s) ∝ exp(φ(s, a)·θ) whose probabilities at the θ in question
 * are `pi` (e.g. θ = 0 and π uniform): Σ_{s,a} μ(s, a)Q(s, a)(φ(s, a) − Σ_b π(b|s)φ(s, b)).
 */
export function logLinearGradientExact(mdp: RationalMdp, pi: RationalPolicy, features: Rational[][][]): Rational[] {
  const mu = stateActionExact(stationaryExact(mdp, pi), pi);
  const { Q } = relativeValuesExact(mdp, pi, "bias");
  const n = features[0][0].length;
  const g = new Array<Rational>(n).fill(ZERO);
  pi.forEach((row, s) => {
    const mean = Array.from({ length: n }, (_, i) =>
      row.reduce((acc, p, b) => acc.add(p.mul(features[s][b][i])), ZERO),
    );
    row.forEach((_, a) => {
      const c = mu[s][a].mul(Q[s][a]);
      for (let i = 0; i < n; i++) g[i] = g[i].add(c.mul(features[s][a][i].sub(mean[i])));
    });
  });
  return g;
}

/** §2.3: the expected truncated rollout E[Q̂_K](s, a) = Σ_{k<K} (M^k (r − λ1))(s, a), M[(s,a),(s',a')] = P[s][a][s'] π(a'|s'). */
export function expectedRolloutExact(mdp: RationalMdp, pi: RationalPolicy, K: number, lambda: Rational): Rational[][] {
  const S = mdp.P.length;
  const A = mdp.r[0].length;
  let g = mdp.r.map((rs) => rs.map((x) => x.sub(lambda)));
  const out = mdp.r.map((rs) => rs.map(() => ZERO));
  for (let k = 0; k < K; k++) {
    for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) out[s][a] = out[s][a].add(g[s][a]);
    // next term: (M g)(s, a) = Σ_{s'} P[s][a][s'] Σ_{a'} π(a'|s') g(s', a')
    const v = g.map((gs, t) => gs.reduce((acc, x, b) => acc.add(pi[t][b].mul(x)), ZERO));
    g = mdp.P.map((Ps) => Ps.map((row) => row.reduce((acc, p, t) => acc.add(p.mul(v[t])), ZERO)));
  }
  return out;
}

/**
 * How far from the exact d (in ‖·‖∞) a vector can be whose residuals ‖dᵀP_π − dᵀ‖∞ and |Σd − 1| are at
 * most `residual`: with δ = d − d*, δᵀ(I − P_π + 1d*ᵀ) = −ρᵀ + σd*ᵀ, so ‖δ‖∞ ≤ (S + 1)·residual·max|Z|
 * with the fundamental matrix Z = (I − P_π + 1d*ᵀ)⁻¹, here computed exactly.
 */
export function stationaryDistanceBound(mdp: RationalMdp, pi: RationalPolicy, residual: number): number {
  const P = chainExact(mdp, pi);
  const d = stationaryExact(mdp, pi);
  const S = P.length;
  const Z = inverseExact(P.map((row, i) => row.map((p, j) => (i === j ? ONE : ZERO).sub(p).add(d[j]))));
  return (S + 1) * residual * Math.max(...Z.flat().map((z) => Math.abs(z.valueOf())));
}
