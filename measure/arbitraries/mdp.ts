/**
 * The book's random MDPs (Chapter 2), built on the book arbitraries (./index.ts). Every MDP is unichain
 * under every full-support policy; the kinds differ in what the chain does, so that each claim can be
 * run on the chains its hypotheses allow:
 * - "mixing": irreducible and aperiodic under every policy (every action may move along a cycle through
 *   every state, and one state has a self-loop), other moves sparse and random;
 * - "periodic": the states split into c ≥ 2 cyclic classes (c divides |S|), every move goes from a class
 *   to the next, so M^k does not converge;
 * - "transient": a recurrent core that never leads out, and 1 or more states outside it that lead
 *   into it (d = 0 there);
 * - "slow": slowly mixing, spectral gap of order ε ∈ [1e-4, 1e-2]: either two clusters joined by
 *   moves of probability ≤ ε, or a cycle followed with probability 1 − ε (nearly periodic).
 * States are relabeled by a random permutation, so no kind is tied to state 0. Rewards are of order one
 * (uniform on [−3, 3]); transition weights that are kept are uniform on [0.05, 1] before normalizing.
 */
import fc from "fast-check";
import type { Mdp } from "../../src/average-return/types.ts";
import { real, logUniform, reward, vector } from "./index.ts";

export type ChainKind = "mixing" | "periodic" | "transient" | "slow";
export const CHAIN_KINDS: readonly ChainKind[] = ["mixing", "periodic", "transient", "slow"];
/** The chains whose k-step matrices converge (aperiodic): the claims about limits use these. */
export const APERIODIC_KINDS: readonly ChainKind[] = ["mixing", "transient", "slow"];

export interface MdpInstance {
  mdp: Mdp;
  S: number;
  A: number;
  kind: ChainKind;
  /** transient[s]: state s is outside the closed class under every full-support policy. */
  transient: boolean[];
  /** The slow kind's ε (0 otherwise). */
  epsilon: number;
  label: string;
}

export interface MdpOptions {
  kinds?: readonly ChainKind[];
  S?: { min: number; max: number };
  A?: { min: number; max: number };
}

/** A probability of a transition weight being kept (where the structure allows it). */
const DENSITY = 0.7;

interface Draws {
  S: number;
  A: number;
  kind: ChainKind;
  /** per (s, a, t): uniform on [0, 1]; entry kept if ≥ 1 − DENSITY, weight rescaled to [0.05, 1] */
  u: number[][][];
  /** per (s, a): uniform on [0, 1], the share of the slow kind's ε a row uses */
  v: number[][];
  rewards: number[][];
  order: number[];
  split: number;
  periodChoice: number;
  epsilon: number;
  nearlyPeriodic: boolean;
}

function divisorsAbove1(S: number): number[] {
  return Array.from({ length: S }, (_, i) => i + 1).filter((c) => c > 1 && S % c === 0);
}

function weight(u: number, forced: boolean): number {
  const kept = u >= 1 - DENSITY;
  if (!kept && !forced) return 0;
  return 0.05 + 0.95 * (kept ? (u - (1 - DENSITY)) / DENSITY : u);
}

function normalize(row: number[]): number[] {
  const z = row.reduce((a, b) => a + b, 0);
  return row.map((x) => x / z);
}

/** Rows over the canonical labels; `allowed(s, t)` the structure, `forced(s, a)` entries that must be kept. */
function rowsFrom(
  d: Draws,
  allowed: (s: number, t: number) => boolean,
  forced: (s: number, a: number) => number[],
): number[][][] {
  return Array.from({ length: d.S }, (_, s) =>
    Array.from({ length: d.A }, (_, a) => {
      const must = forced(s, a);
      const row = Array.from({ length: d.S }, (_, t) => (allowed(s, t) ? weight(d.u[s][a][t], must.includes(t)) : 0));
      // a row whose every allowed entry was dropped keeps them all
      return normalize(
        row.some((x) => x > 0)
          ? row
          : Array.from({ length: d.S }, (_, t) => (allowed(s, t) ? weight(d.u[s][a][t], true) : 0)),
      );
    }),
  );
}

function build(d: Draws): MdpInstance {
  const { S, A, kind } = d;
  let P: number[][][];
  const transient = new Array<boolean>(S).fill(false);
  let detail = "";
  if (kind === "mixing") {
    P = rowsFrom(
      d,
      () => true,
      (s) => (s === 0 ? [0, 1 % S] : [(s + 1) % S]),
    );
  } else if (kind === "periodic") {
    const cs = divisorsAbove1(S);
    const c = cs[d.periodChoice % cs.length];
    detail = ` classes=${c}`;
    P = rowsFrom(
      d,
      (s, t) => t % c === (s + 1) % c,
      (s) => [(s + 1) % S],
    );
  } else if (kind === "transient") {
    const k = d.split; // core 0..k−1, transient k..S−1
    detail = ` core=${k}`;
    for (let s = k; s < S; s++) transient[s] = true;
    P = rowsFrom(
      d,
      (s, t) => s >= k || t < k,
      (s) => (s < k ? (s === 0 ? [0, 1 % k] : [(s + 1) % k]) : [(s + 1) % S]),
    );
  } else {
    const eps = d.epsilon;
    if (d.nearlyPeriodic) {
      detail = ` nearly periodic ε=${eps.toExponential(2)}`;
      const noise = rowsFrom(
        d,
        () => true,
        (s) => [s],
      );
      P = noise.map((Ps, s) =>
        Ps.map((row, a) => {
          const e = eps * (0.5 + 0.5 * d.v[s][a]);
          return row.map((x, t) => e * x + (t === (s + 1) % S ? 1 - e : 0));
        }),
      );
    } else {
      const m = d.split; // clusters 0..m−1 and m..S−1
      detail = ` clusters=${m}+${S - m} ε=${eps.toExponential(2)}`;
      const cluster = (s: number) => (s < m ? 0 : 1);
      const first = [0, m];
      const size = [m, S - m];
      const within = rowsFrom(
        d,
        (s, t) => cluster(s) === cluster(t),
        (s) => {
          const c = cluster(s);
          const next = first[c] + ((s - first[c] + 1) % size[c]);
          return s === first[c] ? [s, next] : [next];
        },
      );
      P = within.map((Ps, s) =>
        Ps.map((row, a) => {
          // every action crosses with probability between ε/2 and ε, so no policy mixes slower than that
          const e = eps * (0.5 + 0.5 * d.v[s][a]);
          const target = first[1 - cluster(s)];
          return row.map((x, t) => (1 - e) * x + (t === target ? e : 0));
        }),
      );
    }
  }
  // relabel: canonical state s becomes order[s]
  const Pp: number[][][] = Array.from({ length: S }, () => []);
  const rp = new Array<number[]>(S);
  const tp = new Array<boolean>(S);
  for (let s = 0; s < S; s++) {
    Pp[d.order[s]] = P[s].map((row) => {
      const out = new Array<number>(S).fill(0);
      row.forEach((p, t) => (out[d.order[t]] = p));
      return out;
    });
    rp[d.order[s]] = d.rewards[s];
    tp[d.order[s]] = transient[s];
  }
  return {
    mdp: { P: Pp, r: rp },
    S,
    A,
    kind,
    transient: tp,
    epsilon: kind === "slow" ? d.epsilon : 0,
    label: `${kind} S=${S} A=${A}${detail}`,
  };
}

/** A permutation of 0..n−1 from n uniform keys (their ranks). */
function permutation(n: number): fc.Arbitrary<number[]> {
  return vector(real(0, 1), n).map((keys) => {
    const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => keys[i] - keys[j] || i - j);
    const out = new Array<number>(n);
    idx.forEach((s, rank) => (out[s] = rank));
    return out;
  });
}

/**
 * A random unichain MDP of one of `kinds` (default all four), |S| in 2–6 and |A| in 2–4 unless given.
 * The periodic kind needs |S| ≥ 2 (it has a divisor c ≥ 2); the transient and slow kinds need |S| ≥ 2.
 */
export function unichainMdp(o: MdpOptions = {}): fc.Arbitrary<MdpInstance> {
  const kinds = o.kinds ?? CHAIN_KINDS;
  const Sr = o.S ?? { min: 2, max: 6 };
  const Ar = o.A ?? { min: 2, max: 4 };
  if (Sr.min < 2) throw new RangeError("unichainMdp: every kind needs at least 2 states");
  return fc.record({ S: fc.integer(Sr), A: fc.integer(Ar), kind: fc.constantFrom(...kinds) }).chain(({ S, A, kind }) =>
    fc
      .record({
        u: fc.array(fc.array(fc.array(real(0, 1), { minLength: S, maxLength: S }), { minLength: A, maxLength: A }), {
          minLength: S,
          maxLength: S,
        }),
        v: fc.array(fc.array(real(0, 1), { minLength: A, maxLength: A }), { minLength: S, maxLength: S }),
        rewards: fc.array(fc.array(reward(), { minLength: A, maxLength: A }), { minLength: S, maxLength: S }),
        order: permutation(S),
        split: fc.integer({ min: 1, max: S - 1 }),
        periodChoice: fc.nat({ max: 5 }),
        epsilon: logUniform(1e-4, 1e-2),
        nearlyPeriodic: fc.boolean(),
      })
      .map((rest) => build({ S, A, kind, ...rest })),
  );
}

/** Features φ(s, a) ∈ [−1, 1]ⁿ, for log-linear policies and linear critics. */
export function features(S: number, A: number, n: number): fc.Arbitrary<number[][][]> {
  const one = fc.array(real(-1, 1), { minLength: n, maxLength: n });
  return fc.array(fc.array(one, { minLength: A, maxLength: A }), { minLength: S, maxLength: S });
}
