/**
 * The domain generators of Chapters 1, 3 and 4 (measure/arbitraries/bandit.ts, episodic.ts, lm.ts)
 * draw at the magnitudes their claims are about, in the style of arbitraries.test.ts: draws under fixed
 * seeds, the share of them in each magnitude band. (The random MDPs of mdp.ts have their own check, the
 * "[sec 2] the book's random MDPs" test of spec/2-average-return/2.0-setting.spec.ts.)
 *
 * A share of n independent draws lies within √(ln(2·10⁹)/(2n)) of its mean with probability ≥ 1 − 1e-9
 * (Hoeffding): 0.033 at n = 10,000, 0.060 at n = 3,000. Two-sided bands around an exact mean use that
 * width (TOL(n)); one-sided bands sit further off. Shares over fast-check's own choices (a length, a
 * discrete size) are only roughly uniform: fc.integer leans a few points towards some values (measured:
 * 0.30–0.37 for each of three values), so those get bands of ±40% of 1/k, not ±TOL.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  action,
  discreteArm,
  discreteBandit,
  rewardHistory,
  scoresActionRewards,
  scoresWithBandit,
} from "../../measure/arbitraries/bandit.ts";
import { baselineTable, episodicProblem, feature, transitionRow } from "../../measure/arbitraries/episodic.ts";
import {
  direction,
  groupRewards,
  lmCoefficient,
  lmCoefficients,
  lmProblem,
  tinyLm,
} from "../../measure/arbitraries/lm.ts";

const N = 10_000;
const draw = <T>(arb: fc.Arbitrary<T>, seed: number, n = N): T[] => fc.sample(arb, { seed, numRuns: n });
const share = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length / xs.length;
/** Hoeffding's width for a share of n draws at false-failure rate 1e-9. */
const TOL = (n: number) => Math.sqrt(Math.log(2e9) / (2 * n));
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
/** Each value of 0 … k−1 (or of `values`) gets between 0.6/k and 1.4/k of the draws. */
function roughlyUniform(xs: number[], values: number[], what: string): void {
  for (const v of values) {
    const s = share(xs, (x) => x === v);
    expect(s, `${what}: share of ${v}`).toBeGreaterThan(0.6 / values.length);
    expect(s, `${what}: share of ${v}`).toBeLessThan(1.4 / values.length);
  }
  expect(
    xs.every((x) => values.includes(x)),
    `${what}: every draw among ${values.join(", ")}`,
  ).toBe(true);
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe("bandit.ts: θ, actions, rewards and finite reward laws for Chapter 1", () => {
  it("scoresActionRewards: θ of 2–6 actions with |θₐ| ≤ 4 and half beyond 2; the action spread over the indices; |r(a)| ≤ 3 with half beyond 1.5", () => {
    const xs = draw(scoresActionRewards(), 1);
    const th = xs.flatMap((x) => Array.from(x.theta));
    expect(Math.max(...th.map(Math.abs))).toBeLessThanOrEqual(4);
    // θ not crowded near 0: the claims (the score's −π term, the step's size) need probabilities far from uniform
    expect(share(th, (x) => Math.abs(x) < 0.1)).toBeLessThan(0.025 + TOL(th.length));
    expect(Math.abs(share(th, (x) => Math.abs(x) > 2) - 0.5)).toBeLessThan(TOL(th.length));
    roughlyUniform(
      xs.map((x) => x.theta.length),
      range(2, 6),
      "number of actions",
    );
    expect(xs.every((x) => x.r.length === x.theta.length && x.a >= 0 && x.a < x.theta.length)).toBe(true);
    const r = xs.flatMap((x) => Array.from(x.r));
    expect(Math.max(...r.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(r, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(r.length));
    expect(share(r, (x) => Math.abs(x) < 0.01)).toBeLessThan(0.01 / 3 + TOL(r.length));
    // with k fixed, every action index is drawn (the chosen action's row and the others' both exercised)
    roughlyUniform(
      draw(scoresActionRewards(3), 2).map((x) => x.a),
      range(0, 2),
      "action of 3",
    );
    roughlyUniform(draw(action(5), 3), range(0, 4), "action(5)");
  });

  it("discreteArm: 1 to 3 reward values of order one, probabilities summing to one and each at least 0.05/3", () => {
    const arms = draw(discreteArm(), 4);
    roughlyUniform(
      arms.map((a) => a.values.length),
      [1, 2, 3],
      "values per arm",
    );
    expect(arms.every((a) => a.probs.length === a.values.length && Math.abs(sum(a.probs) - 1) < 1e-12)).toBe(true);
    const ps = arms.flatMap((a) => a.probs);
    // bounded away from 0 as promised: every outcome weighs in the exact expectations
    expect(Math.min(...ps)).toBeGreaterThanOrEqual(0.05 / 3);
    // and not merely just above the floor: nine in ten of them exceed 0.1 (measured 0.96)
    expect(share(ps, (p) => p > 0.1)).toBeGreaterThan(0.9);
    const vs = arms.flatMap((a) => a.values);
    expect(Math.max(...vs.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(vs, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(vs.length));
  });

  it("discreteBandit and scoresWithBandit: one finite law per arm, as many arms as θ has actions", () => {
    expect(draw(discreteBandit(4), 5, 2000).every((b) => b.values.length === 4 && b.probs.length === 4)).toBe(true);
    const xs = draw(scoresWithBandit(), 6, 3000);
    expect(
      xs.every(([th, b]) => b.values.length === th.length && b.probs.every((p, a) => p.length === b.values[a].length)),
    ).toBe(true);
    roughlyUniform(
      xs.map(([th]) => th.length),
      range(2, 6),
      "arms",
    );
  });

  it("rewardHistory(min, max): lengths within [min, max], short histories included, rewards of order one", () => {
    for (const [lo, hi] of [
      [0, 8],
      [1, 30],
    ] as const) {
      const hs = draw(rewardHistory(lo, hi), 7);
      const lens = hs.map((h) => h.length);
      expect(Math.min(...lens)).toBe(lo);
      expect(Math.max(...lens)).toBeLessThanOrEqual(hi);
      const rs = hs.flat();
      expect(rs.reduce((m, x) => Math.max(m, Math.abs(x)), 0)).toBeLessThanOrEqual(3);
      expect(Math.abs(share(rs, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(rs.length));
    }
    // every length of [0, 8] is drawn about equally often (the [eq 13]/(14)–(19) histories of 1.4-baseline)
    roughlyUniform(
      draw(rewardHistory(0, 8), 8).map((h) => h.length),
      range(0, 8),
      "history length in [0, 8]",
    );
  });

  // fc.array caps the lengths it generates by fast-check's default size (at most 12 here) unless told
  // `size: "max"`; without it, rewardHistory(1, 30) of the [eq 13] running-average check never drew a
  // history longer than 12.
  it("rewardHistory(1, 30) reaches the long histories its caller asks for: a fifth of the draws longer than 20", () => {
    const lens = draw(rewardHistory(1, 30), 9).map((h) => h.length);
    expect(share(lens, (t) => t > 20)).toBeGreaterThan(0.2);
  });
});

describe("episodic.ts: finite-horizon problems for Chapter 3", () => {
  it("transitionRow: a distribution whose non-zero entries are at least 0.05/S, the first always positive, three in four rows of three sparse", () => {
    for (const S of [1, 3, 5]) {
      const rows = draw(transitionRow(S), 10 + S);
      expect(rows.every((r) => r.length === S && Math.abs(sum(r) - 1) < 1e-12 && r[0] > 0)).toBe(true);
      const nz = rows.flatMap((r) => r.filter((x) => x > 0));
      expect(Math.min(...nz)).toBeGreaterThanOrEqual(0.05 / S);
      // each of the S − 1 other entries dropped with probability ½: a row is sparse w.p. 1 − 2^{1−S}
      expect(Math.abs(share(rows, (r) => r.some((x) => x === 0)) - (1 - 2 ** (1 - S)))).toBeLessThan(TOL(N));
    }
  });

  it("episodicProblem: sizes over their whole ranges, θ of a few units (half beyond 2), rewards of order one, an initial distribution bounded away from 0, features in [−1, 1], terminal states and features each in about half the draws", () => {
    const n = 3000;
    const xs = draw(episodicProblem({ maxS: 3, maxA: 3, maxT: 3 }), 20, n);
    roughlyUniform(
      xs.map((x) => x.problem.mdp.P.length),
      [1, 2, 3],
      "S",
    );
    roughlyUniform(
      xs.map((x) => x.problem.mdp.P[0].length),
      [2, 3],
      "A",
    );
    roughlyUniform(
      xs.map((x) => x.problem.horizon),
      [1, 2, 3],
      "T",
    );
    const th = xs.flatMap((x) => Array.from(x.theta));
    expect(Math.max(...th.map(Math.abs))).toBeLessThanOrEqual(4);
    expect(Math.abs(share(th, (x) => Math.abs(x) > 2) - 0.5)).toBeLessThan(TOL(th.length));
    expect(share(th, (x) => Math.abs(x) < 0.1)).toBeLessThan(0.025 + TOL(th.length));
    const r = xs.flatMap((x) => x.problem.mdp.r.flat());
    expect(Math.max(...r.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(r, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(r.length));
    for (const { problem } of xs) {
      const S = problem.mdp.P.length;
      expect(Math.abs(sum(problem.initial) - 1)).toBeLessThan(1e-12);
      expect(Math.min(...problem.initial)).toBeGreaterThanOrEqual(0.05 / S);
      for (const row of problem.mdp.P.flat()) expect(Math.abs(sum(row) - 1)).toBeLessThan(1e-12);
      const d = problem.features ? problem.features[0][0].length : S * problem.mdp.P[0].length;
      expect(d).toBeGreaterThan(0);
    }
    expect(
      xs.every(
        (x) =>
          x.theta.length ===
          (x.problem.features ? x.problem.features[0][0].length : x.problem.mdp.P.length * x.problem.mdp.P[0].length),
      ),
    ).toBe(true);
    expect(Math.abs(share(xs, (x) => x.problem.features !== undefined) - 0.5)).toBeLessThan(TOL(n));
    const multi = xs.filter((x) => x.problem.mdp.P.length > 1);
    expect(Math.abs(share(multi, (x) => x.problem.terminal !== undefined) - 0.5)).toBeLessThan(TOL(multi.length));
    const phi = xs.flatMap((x) => (x.problem.features ?? []).flat(2));
    expect(Math.max(...phi.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(Math.abs(share(phi, (x) => Math.abs(x) > 0.5) - 0.5)).toBeLessThan(TOL(phi.length));
    // the bounds are respected: no terminal states when asked, always features when asked
    expect(draw(episodicProblem({ terminal: false }), 21, 500).every((x) => x.problem.terminal === undefined)).toBe(
      true,
    );
    expect(draw(episodicProblem({ features: true }), 22, 500).every((x) => x.problem.features !== undefined)).toBe(
      true,
    );
  });

  it("feature and baselineTable: φ uniform on [−1, 1]; baselines b_t(s) uniform on [−5, 5], half beyond 2.5, one row per time and an entry per state", () => {
    const f = draw(feature(), 23);
    expect(Math.max(...f.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(Math.abs(share(f, (x) => x > 0) - 0.5)).toBeLessThan(TOL(N));
    const tables = draw(baselineTable(3, 2), 24, 3000);
    expect(tables.every((t) => t.length === 3 && t.every((row) => row.length === 2))).toBe(true);
    const b = tables.flatMap((t) => t.flatMap((row) => Array.from(row)));
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(5);
    expect(Math.abs(share(b, (x) => Math.abs(x) > 2.5) - 0.5)).toBeLessThan(TOL(b.length));
  });
});

describe("lm.ts: tiny language models for Chapter 4", () => {
  it("lmCoefficient(s): uniform on [−3, 3], half beyond 1.5, almost none near 0", () => {
    const c = draw(lmCoefficient(), 30);
    expect(Math.max(...c.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(c, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(N));
    expect(share(c, (x) => Math.abs(x) < 1e-3)).toBeLessThan(0.002);
    expect(draw(lmCoefficients(7), 31, 100).every((v) => v.length === 7)).toBe(true);
  });

  it("tinyLm: vocabulary 2–3, window 1–3, 1–3 tokens (or from minT), θ of length V + N·V², every token value drawn; logits spread from near-uniform to far apart", () => {
    const xs = draw(tinyLm(), 32);
    roughlyUniform(
      xs.map((x) => x.model.vocab),
      [2, 3],
      "V",
    );
    roughlyUniform(
      xs.map((x) => x.model.window),
      [1, 2, 3],
      "N",
    );
    roughlyUniform(
      xs.map((x) => x.tokens.length),
      [1, 2, 3],
      "T",
    );
    expect(draw(tinyLm(2), 33, 2000).every((x) => x.tokens.length >= 2)).toBe(true);
    for (const x of xs) {
      const { vocab: V, window: W } = x.model;
      expect(x.theta.length).toBe(V + W * V * V);
      expect(x.prompt).toHaveLength(W);
      expect([...x.prompt, ...x.tokens].every((t) => Number.isInteger(t) && t >= 0 && t < V)).toBe(true);
    }
    const three = xs.filter((x) => x.model.vocab === 3).flatMap((x) => [...x.prompt, ...x.tokens]);
    roughlyUniform(three, [0, 1, 2], "token of a 3-token vocabulary");
    // the logit gap between two next tokens at the prompt: b_a + Σᵢ W[i][sᵢ][a], differences of up to 2(N + 1)
    // coefficients; the claims need both nearly equal and far-apart probabilities, so both bands are well filled
    const gaps = xs.map(({ model: { vocab: V }, theta, prompt }) => {
      const logit = (a: number) => theta[a] + prompt.reduce((s, v, i) => s + theta[V + (i * V + v) * V + a], 0);
      return Math.abs(logit(0) - logit(1));
    });
    expect(share(gaps, (g) => g < 1)).toBeGreaterThan(0.1);
    expect(share(gaps, (g) => g > 4)).toBeGreaterThan(0.1);
  });

  it("direction: every component ±(0.5 … 1.5), both signs about equally often", () => {
    const v = draw(direction(4), 34, 3000).flatMap((x) => Array.from(x));
    expect(v.every((x) => Math.abs(x) >= 0.5 && Math.abs(x) <= 1.5)).toBe(true);
    expect(Math.abs(share(v, (x) => x > 0) - 0.5)).toBeLessThan(TOL(v.length));
    expect(Math.abs(share(v, (x) => Math.abs(x) > 1) - 0.5)).toBeLessThan(TOL(v.length));
  });

  it("lmProblem: every response listed once, rewards uniform on [0, 1] or verdicts 0/1 about half each", () => {
    const n = 2000;
    const real01 = draw(lmProblem({ V: [2, 3], T: [1, 2], P: 2, binary: false }), 35, n);
    for (const p of real01) {
      expect(p.ys).toHaveLength(p.model.vocab ** p.T);
      expect(new Set(p.ys.map((y) => y.join(","))).size).toBe(p.ys.length);
      expect(p.reward).toHaveLength(2);
      expect(p.reward.every((row) => row.length === p.ys.length)).toBe(true);
    }
    roughlyUniform(
      real01.map((p) => p.model.vocab),
      [2, 3],
      "V",
    );
    roughlyUniform(
      real01.map((p) => p.T),
      [1, 2],
      "T",
    );
    const r = real01.flatMap((p) => p.reward.flat());
    expect(r.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.abs(share(r, (x) => x > 0.5) - 0.5)).toBeLessThan(TOL(r.length));
    expect(share(r, (x) => x < 0.01)).toBeLessThan(0.01 + TOL(r.length));
    const v = draw(lmProblem({ V: [2], T: [2], P: 2, binary: true }), 36, n).flatMap((p) => p.reward.flat());
    expect(v.every((x) => x === 0 || x === 1)).toBe(true);
    // verdicts: each group of pass/fail rewards mixed in most problems, which the normalized rule needs
    expect(Math.abs(share(v, (x) => x === 1) - 0.5)).toBeLessThan(TOL(v.length));
  });

  it("groupRewards: groups of 2–8, a fifth of them all equal (σ = 0), the others of order one", () => {
    const gs = draw(groupRewards(), 37);
    roughlyUniform(
      gs.map((g) => g.length),
      range(2, 8),
      "G",
    );
    const equal = (g: number[]) => g.every((x) => x === g[0]);
    // weights 1 : 4, and an all-equal draw of independent uniforms has probability 0 in practice
    expect(Math.abs(share(gs, equal) - 0.2)).toBeLessThan(TOL(N));
    const r = gs.filter((g) => !equal(g)).flat();
    expect(Math.max(...r.map(Math.abs))).toBeLessThanOrEqual(3);
    expect(Math.abs(share(r, (x) => Math.abs(x) > 1.5) - 0.5)).toBeLessThan(TOL(r.length));
  });
});
