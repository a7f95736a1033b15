/**
 * Measuring tools of chapter 3's specs, written independently of the reference in src/total-return: a
 * literal softmax over logits, the score, exact enumeration (measure/total-return/enumerate.ts, which takes the
 * policy table from here) and exact moments. Random problems are in measure/arbitraries/episodic.ts.
 * At the end, what the spec files share: their tolerances, and the exact variances of the estimators under
 * test (reached through the seam).
 */
import { enumerateEpisodes, exactMoments, type WeightedEpisode } from "../../measure/total-return/enumerate.ts";
import { layeredProblem as layered } from "../../measure/total-return/layered.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import type { Episode, EpisodicProblem } from "../../src/total-return/types.ts";
import type { Contract } from "../../src/contract/index.ts";
import { norm } from "../support/vectors.ts";

export type { Episode, EpisodicProblem, WeightedEpisode };

const dims = (p: EpisodicProblem) => {
  const S = p.mdp.P.length;
  const A = p.mdp.P[0].length;
  return { S, A, d: p.features ? p.features[0][0].length : S * A };
};

/** φ(s, a): the problem's features, or the one-hot vector of (s, a) for a tabular policy. */
export function phi(p: EpisodicProblem, s: number, a: number): number[] {
  if (p.features) return p.features[s][a];
  const { S, A } = dims(p);
  const v = new Array<number>(S * A).fill(0);
  v[s * A + a] = 1;
  return v;
}

/** π(·|s) = e^{θ·φ(s,a)} / Σ_b e^{θ·φ(s,b)} computed literally (safe for the |θ·φ| ≤ 20 used here). */
export function gibbs(p: EpisodicProblem, theta: ArrayLike<number>, s: number): number[] {
  const { A } = dims(p);
  const e = Array.from({ length: A }, (_, a) => Math.exp(phi(p, s, a).reduce((acc, f, i) => acc + f * theta[i], 0)));
  const z = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / z);
}

/** The policy table π[s][a]. */
export function gibbsTable(p: EpisodicProblem, theta: ArrayLike<number>): number[][] {
  return p.mdp.P.map((_, s) => gibbs(p, theta, s));
}

/** ∇θ ln π(a|s) = φ(s, a) − Σ_b π(b|s) φ(s, b). */
export function score(p: EpisodicProblem, theta: ArrayLike<number>, s: number, a: number): number[] {
  const pi = gibbs(p, theta, s);
  const out = [...phi(p, s, a)];
  pi.forEach((pb, b) => phi(p, s, b).forEach((f, i) => (out[i] -= pb * f)));
  return out;
}

/** Σ_t c_t ∇θ ln π(A_t|S_t): how every estimator of the chapter (and every wrong one) is assembled. */
export function scoreSum(
  p: EpisodicProblem,
  theta: ArrayLike<number>,
  ep: Episode,
  c: (t: number) => number,
): Float64Array {
  const g = new Float64Array(dims(p).d);
  for (let t = 0; t < ep.actions.length; t++) {
    const sc = score(p, theta, ep.states[t], ep.actions[t]);
    const ct = c(t);
    for (let i = 0; i < g.length; i++) g[i] += ct * sc[i];
  }
  return g;
}

/** Every episode with its probability under the literal softmax policy. */
export function enumerate(p: EpisodicProblem, theta: ArrayLike<number>): WeightedEpisode[] {
  return enumerateEpisodes(p, gibbsTable(p, theta));
}

/** Σ_{k ≥ from} R_{k+1} of an episode (the reward-to-go when from = t). */
export function returnFrom(ep: Episode, from: number, to = ep.rewards.length): number {
  let acc = 0;
  for (let k = from; k < to; k++) acc += ep.rewards[k];
  return acc;
}

export { norm };

/**
 * A layered problem too large to enumerate (measure/total-return/layered.ts: T layers of K states, A actions,
 * then an absorbing end). Rewards are scaled so every reward-to-go lies in [0, 1]: layer 0 pays a random
 * permutation of {0, ¼, ½, …}·(½/max) and later layers pay at most ½/(T − 1). Each state is visited at
 * most once, so every component of a tabular reward-to-go estimate lies in [−1, 1].
 */
export function layeredProblem(rng: () => number, K: number, A: number, T: number): EpisodicProblem {
  return layered(rng, K, A, T, (layer) => {
    if (layer > 0) return Array.from({ length: A }, () => (0.5 * rng()) / (T - 1));
    const vals = Array.from({ length: A }, (_, a) => (0.5 * a) / (A - 1));
    for (let i = A - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [vals[i], vals[j]] = [vals[j], vals[i]];
    }
    return vals;
  });
}

/** P(S_t = s) for t = 0, …, T by a literal forward pass (terminal states keep their mass). */
export function forwardMarginals(p: EpisodicProblem, theta: ArrayLike<number>): number[][] {
  const pi = gibbsTable(p, theta);
  const term = new Set(p.terminal ?? []);
  const out = [[...p.initial]];
  for (let t = 0; t < p.horizon; t++) {
    const next = new Array<number>(p.initial.length).fill(0);
    out[t].forEach((m, s) => {
      if (term.has(s)) next[s] += m;
      else pi[s].forEach((pa, a) => p.mdp.P[s][a].forEach((q, s2) => (next[s2] += m * pa * q)));
    });
    out.push(next);
  }
  return out;
}

/**
 * E[Σ_t r(S_t, A_t) ∇ln π(A_t|S_t)] = Σ_t Σ_s P(S_t = s) Σ_a π(a|s) r(s, a) ∇ln π(a|s): what a reward-to-go
 * loses when it starts one step late, and what a baseline peeking at R_{t+1} subtracts.
 */
export function immediateRewardTerm(p: EpisodicProblem, theta: ArrayLike<number>): Float64Array {
  const ds = forwardMarginals(p, theta);
  const pi = gibbsTable(p, theta);
  const term = new Set(p.terminal ?? []);
  const out = new Float64Array(dims(p).d);
  for (let t = 0; t < p.horizon; t++)
    p.mdp.P.forEach((_, s) => {
      if (term.has(s) || ds[t][s] === 0) return;
      pi[s].forEach((pa, a) => score(p, theta, s, a).forEach((x, i) => (out[i] += ds[t][s] * pa * p.mdp.r[s][a] * x)));
    });
  return out;
}

export interface SecondMoments {
  /** E‖ĝ‖² of the full-return, reward-to-go and V_t-baseline estimators. */
  full: number;
  rtg: number;
  vbase: number;
}

/**
 * Exact E‖ĝ‖² of three estimators for a TABULAR policy on a problem where no state can be visited
 * twice in one episode (a layered problem), without enumerating episodes. Then ‖ĝ‖² = Σ_t c_t² ‖1_{A_t} − π(S_t)‖²
 * (the steps touch disjoint coordinates), and with C_t = R₁ + … + R_t the reward so far and Ĝ_t the reward-to-go,
 * which are independent given (S_t, A_t):
 *   E[Ĝ_t² | s, a] = M_t(s, a) = r² + 2r Σ P V_{t+1} + Σ P W_{t+1},  W_t(s) = Σ_a π M_t(s, a)   (backward),
 *   m_k,t(s) = E[C_t^k; S_t = s] for k = 0, 1, 2                                                 (forward),
 *   full:  Ĝ₀ = C_t + Ĝ_t, so E[Ĝ₀²; s, a] = π(a|s)(m₂ + 2 m₁ Q_t + m₀ M_t).
 */
export function secondMoments(p: EpisodicProblem, theta: ArrayLike<number>): SecondMoments {
  if (p.features) throw new Error("secondMoments: tabular policies only");
  const { S, A } = dims(p);
  const T = p.horizon;
  const pi = gibbsTable(p, theta);
  const term = new Set(p.terminal ?? []);
  const zeros = () => new Array<number>(S).fill(0);
  const V: number[][] = Array.from({ length: T + 1 }, zeros);
  const W: number[][] = Array.from({ length: T + 1 }, zeros);
  const Q: number[][][] = [];
  const M: number[][][] = [];
  for (let t = T - 1; t >= 0; t--) {
    Q[t] = [];
    M[t] = [];
    for (let s = 0; s < S; s++) {
      Q[t][s] = new Array<number>(A).fill(0);
      M[t][s] = new Array<number>(A).fill(0);
      if (term.has(s)) continue;
      for (let a = 0; a < A; a++) {
        const r = p.mdp.r[s][a];
        let ev = 0;
        let ew = 0;
        p.mdp.P[s][a].forEach((q, s2) => {
          ev += q * V[t + 1][s2];
          ew += q * W[t + 1][s2];
        });
        Q[t][s][a] = r + ev;
        M[t][s][a] = r * r + 2 * r * ev + ew;
        V[t][s] += pi[s][a] * Q[t][s][a];
        W[t][s] += pi[s][a] * M[t][s][a];
      }
    }
  }
  let m0 = [...p.initial];
  let m1 = zeros();
  let m2 = zeros();
  const out = { full: 0, rtg: 0, vbase: 0 };
  for (let t = 0; t < T; t++) {
    const n0 = zeros();
    const n1 = zeros();
    const n2 = zeros();
    for (let s = 0; s < S; s++) {
      if (term.has(s)) continue; // ended episodes make no more decisions (their mass no longer matters)
      const sq = pi[s].reduce((acc, x) => acc + x * x, 0);
      for (let a = 0; a < A; a++) {
        const pa = pi[s][a];
        const w = 1 - 2 * pa + sq; // ‖1_a − π(s)‖²
        const q = Q[t][s][a];
        const m = M[t][s][a];
        const v = V[t][s];
        out.rtg += m0[s] * pa * w * m;
        out.vbase += m0[s] * pa * w * (m - 2 * v * q + v * v);
        out.full += pa * w * (m2[s] + 2 * m1[s] * q + m0[s] * m);
        const r = p.mdp.r[s][a];
        p.mdp.P[s][a].forEach((qq, s2) => {
          const k = pa * qq;
          n0[s2] += k * m0[s];
          n1[s2] += k * (m1[s] + r * m0[s]);
          n2[s2] += k * (m2[s] + 2 * r * m1[s] + r * r * m0[s]);
        });
      }
    }
    [m0, m1, m2] = [n0, n1, n2];
  }
  return out;
}

/**
 * Tolerances. A result of the implementation against an exact value (enumeration, a hand derivation, the
 * book's literal formulas): the contract's ACCURACY. Two results of the implementation that must agree
 * (an estimator's enumerated mean against expectedUpdate): each may be off by ACCURACY, so twice that.
 * Finite differences against an analytic gradient: the book's FD tolerance 1e-7 + 1e-5·|analytic|.
 */
export const BOTH = { rel: 2 * ACCURACY.rel, abs: 2 * ACCURACY.abs } as const;
export const FD = { rel: 1e-5, abs: 1e-7 } as const;

/** The length of θ: the number of features, or S·A for a tabular policy. */
export const dim = (p: EpisodicProblem) => dims(p).d;

/** The single-episode estimators of an implementation, by short name. */
const estimators = (impl: Contract) => ({
  full: impl.reinforceFullReturn,
  rtg: impl.reinforceRewardToGo,
  vbase: impl.reinforceValueBaseline,
  u28: impl.update28,
  u30: impl.update30,
});
type EstimatorName = keyof ReturnType<typeof estimators>;

/** The contract's names of the estimators `variances` measures (for a check's `implements`). */
export const ESTIMATOR_NAMES = [
  "reinforceFullReturn",
  "reinforceRewardToGo",
  "reinforceValueBaseline",
  "update28",
  "update30",
];

/** Exact total variances E‖ĝ − E ĝ‖² of an implementation's estimators, by enumerating every episode. */
export function variances(
  impl: Contract,
  problem: EpisodicProblem,
  theta: Float64Array,
): Record<EstimatorName, number> {
  const list = enumerate(problem, theta);
  return Object.fromEntries(
    Object.entries(estimators(impl)).map(([k, f]) => [
      k,
      exactMoments(list, (ep) => f(problem, theta, ep)).totalVariance,
    ]),
  ) as Record<EstimatorName, number>;
}
