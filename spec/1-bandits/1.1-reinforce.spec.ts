/** §1.1 REINFORCE: the update (1), and the bandits it runs on. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkBandit,
  drawReward,
  meanRewards,
  numActions,
  optimalAction,
  outcomes,
  type Bandit,
} from "../../measure/bandits/bandit.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { logUniform, reward, stepSize } from "../../measure/arbitraries/index.ts";
import { scoresActionRewards } from "../../measure/arbitraries/bandit.ts";
import { claim, testRng } from "../support/claim.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean } from "../support/stat.ts";
import { expectScoreStep, maxAbs, softmax } from "./tools.ts";

describe("1.1 Reinforce", () => {
  it("[eq 1] reinforceStep moves θ by α·R·∇θ ln πθ(A), the gradient taken by finite differences", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), stepSize(), reward(), ({ theta, a }, alpha, r) => {
        // compare the moves θ' − θ against α·R·(finite differences): the differences' tolerance scaled
        // by α|R|, plus what the contract allows on θ' itself
        expectScoreStep(
          theta,
          a,
          alpha,
          r,
          () => impl.reinforceStep(theta, a, r, alpha),
          "reinforceStep(θ, A, R, α) − θ",
        );
      }),
      { implements: ["reinforceStep"] },
    );
  });

  it("[eq 1] a positive reward raises the probability of the action taken, a negative one lowers it", (ctx) => {
    checkProperty(
      ctx,
      fc.property(scoresActionRewards(), stepSize(), logUniform(1e-2, 3), ({ theta, a }, alpha, size) => {
        const p = softmax(theta)[a];
        for (const r of [size, -size]) {
          // the exact change of πθ(a), and what the contract allows on the two policies and on θ' (πθ is
          // ½-Lipschitz in the ∞-norm of θ): an instance whose change is within that slack cannot show the claim
          const exactNext = Array.from(theta, (x, i) => x + alpha * r * ((i === a ? 1 : 0) - softmax(theta)[i]));
          const change = softmax(exactNext)[a] - p;
          const slack = 2 * (ACCURACY.abs + ACCURACY.rel * p) + 0.5 * (ACCURACY.abs + ACCURACY.rel * maxAbs(exactNext));
          fc.pre(Math.abs(change) > 4 * slack);
          const moved = impl.gibbsPolicy(impl.reinforceStep(theta, a, r, alpha))[a] - impl.gibbsPolicy(theta)[a];
          if (r > 0) expect(moved, `πθ'(a) − πθ(a) after the reward ${r}`).toBeGreaterThan(0);
          else expect(moved, `πθ'(a) − πθ(a) after the reward ${r}`).toBeLessThan(0);
        }
      }),
      { implements: ["reinforceStep", "gibbsPolicy"] },
    );
  });
});

describe("1.1 Bandits: the environments", () => {
  it("[eq 7] Bernoulli, Gaussian and discrete arms report their mean rewards r(a) and best action", (ctx) => {
    claim(ctx, "exact");
    const bern: Bandit = { kind: "bernoulli", p: [0.6, 0.4] };
    const gau: Bandit = { kind: "gaussian", mean: [1, 3, 2], sd: [1, 1, 1] };
    const dis: Bandit = { kind: "discrete", values: [[0, 2], [5]], probs: [[0.5, 0.5], [1]] };
    expect(Array.from(meanRewards(bern))).toEqual([0.6, 0.4]);
    expect(Array.from(meanRewards(gau))).toEqual([1, 3, 2]);
    expect(Array.from(meanRewards(dis))).toEqual([1, 5]);
    expect([optimalAction(bern), optimalAction(gau), optimalAction(dis)]).toEqual([0, 1, 1]);
    expect([numActions(bern), numActions(gau), numActions(dis)]).toEqual([2, 3, 2]);
    expect(outcomes(bern, 1)).toEqual([
      { reward: 1, prob: 0.4 },
      { reward: 0, prob: 0.6 },
    ]);
    expect(outcomes(dis, 0)).toEqual([
      { reward: 0, prob: 0.5 },
      { reward: 2, prob: 0.5 },
    ]);
    expect(() => outcomes(gau, 0)).toThrow(/cannot be enumerated/);
    expect(checkBandit(bern)).toBe(bern);
    expect(() => checkBandit({ kind: "bernoulli", p: [0.5, 1.5] })).toThrow(/arm 1/);
    expect(() => checkBandit({ kind: "gaussian", mean: [0], sd: [-1] })).toThrow(/arm 0/);
    expect(() => checkBandit({ kind: "discrete", values: [[1, 2]], probs: [[0.5, 0.4]] })).toThrow(/arm 0/);
    expect(() => checkBandit({ kind: "bernoulli", p: [] })).toThrow(/at least one/);
  });

  it("[eq 7] drawReward samples each arm's law: Bernoulli mean p, Gaussian P(R ≤ μ) = 1/2, discrete values", (ctx) => {
    const rng = testRng(ctx);
    const n = 40_000;
    const bern: Bandit = { kind: "bernoulli", p: [0.6, 0.4] };
    expectMean(
      ctx,
      Float64Array.from({ length: n }, () => drawReward(bern, 0, rng)),
      0.6,
      { width: 1, label: "bernoulli" },
    );
    const gau: Bandit = { kind: "gaussian", mean: [4], sd: [1] };
    // indicator of R ≤ μ + σ has mean Φ(1) = 0.841344746
    expectMean(
      ctx,
      Float64Array.from({ length: n }, () => (drawReward(gau, 0, rng) <= 5 ? 1 : 0)),
      0.841344746,
      { width: 1, label: "gaussian" },
    );
    const dis: Bandit = { kind: "discrete", values: [[0, 2]], probs: [[0.25, 0.75]] };
    expectMean(
      ctx,
      Float64Array.from({ length: n }, () => drawReward(dis, 0, rng)),
      1.5,
      { width: 2, label: "discrete" },
    );
  });
});
