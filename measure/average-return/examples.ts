/** Example MDPs for Chapter 2 and its checks, plus random unichain MDPs from a seeded stream. */
import type { Rng } from "../../src/contract/random.ts";
import type { Mdp } from "../../src/average-return/types.ts";

/**
 * Home and work: two states, two actions, with a known optimum. At home, "stay" earns 0.5 and
 * stays; "go" earns 0 and reaches work with probability 1/2. At work, "work" earns 1 and is sent
 * home with probability 0.2; "leave" earns 0 and goes home. Of the four deterministic policies,
 * (go, work) is best: its chain has d = (2/7, 5/7) (balance d₀·½ = d₁·0.2), so λ* = 5/7; staying
 * home earns 1/2 and (go, leave) earns 0.
 */
export const homeWork: Mdp = {
  P: [
    [
      [1, 0],
      [0.5, 0.5],
    ],
    [
      [0.2, 0.8],
      [1, 0],
    ],
  ],
  r: [
    [0.5, 0],
    [1, 0],
  ],
  stateNames: ["home", "work"],
  actionNames: ["stay/work", "go/leave"],
};

/** The optimal gain of `homeWork`, derived by hand above. */
export const HOME_WORK_OPTIMAL_GAIN = 5 / 7;

/**
 * Three states of which state 2 ("start") is transient: both of its actions lead into {0, 1} and
 * nothing leads back, so d(2) = 0 and μ(2, ·) = 0 under every policy.
 */
export const withTransient: Mdp = {
  P: [
    [
      [0.3, 0.7, 0],
      [0.9, 0.1, 0],
    ],
    [
      [0.6, 0.4, 0],
      [0.1, 0.9, 0],
    ],
    [
      [0.5, 0.5, 0],
      [0, 1, 0],
    ],
  ],
  r: [
    [1, 0],
    [0, 2],
    [5, -5],
  ],
  stateNames: ["left", "right", "start"],
};

/**
 * A periodic chain: the state alternates 0, 1, 0, 1, … whatever the action; in state 0 action 0
 * earns 1 and action 1 earns 0, in state 1 nothing is earned. Period 2, so M^k does not converge.
 */
export const periodic: Mdp = {
  P: [
    [
      [0, 1],
      [0, 1],
    ],
    [
      [1, 0],
      [1, 0],
    ],
  ],
  r: [
    [1, 0],
    [0, 0],
  ],
};

/**
 * A random MDP that is unichain and aperiodic under every policy: each row P[s][a] gives state 0
 * probability at least `floor`, the rest spread by uniform weights (some zeroed with probability
 * `sparsity`); rewards uniform in [0, 1).
 */
export function randomUnichainMdp(rng: Rng, S: number, A: number, floor = 0.05, sparsity = 0.3): Mdp {
  const P: number[][][] = [];
  const r: number[][] = [];
  for (let s = 0; s < S; s++) {
    const Ps: number[][] = [];
    const rs: number[] = [];
    for (let a = 0; a < A; a++) {
      const w = Array.from({ length: S }, () => (rng() < sparsity ? 0 : rng()));
      const z = w.reduce((x, y) => x + y, 0);
      const row = w.map((x) => (z > 0 ? ((1 - floor) * x) / z : 0));
      row[0] += z > 0 ? floor : 1 - floor + floor;
      Ps.push(row);
      rs.push(rng());
    }
    P.push(Ps);
    r.push(rs);
  }
  return { P, r };
}

/** Random features φ(s, a) ∈ [−1, 1)ⁿ for log-linear policies and linear critics. */
export function randomFeatures(rng: Rng, S: number, A: number, n: number): number[][][] {
  return Array.from({ length: S }, () =>
    Array.from({ length: A }, () => Array.from({ length: n }, () => 2 * rng() - 1)),
  );
}
