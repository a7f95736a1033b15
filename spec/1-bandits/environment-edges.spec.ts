/**
 * The book's bandit harness at its edges: validation of reward laws, ties, zero-probability rewards,
 * the recorded trajectories of a run and the figure experiments' bookkeeping. (The benchmark's testbed
 * engine is the reference's own code: its tests are in test/reference/.)
 */
import { describe, expect, it } from "vitest";
import { checkBandit, drawReward, optimalAction, type Bandit } from "../../measure/bandits/bandit.ts";
import { EXPERIMENT_SEED, figure1Experiment, figure2Experiment, FIGURE2 } from "../../measure/bandits/experiments.ts";
import { runReinforce } from "../../measure/bandits/run.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";

describe("1.1 Bandits: validation and edge cases of the environments", () => {
  it("[eq 7] checkBandit accepts probabilities 0 and 1, sd 0, and rejects every malformed reward law, naming the arm", (ctx) => {
    claim(ctx, "exact");
    expect(checkBandit({ kind: "bernoulli", p: [0, 1] }).kind).toBe("bernoulli");
    expect(() => checkBandit({ kind: "bernoulli", p: [0.5, -0.1] })).toThrow(/arm 1/);
    expect(() => checkBandit({ kind: "bernoulli", p: [NaN] })).toThrow(/arm 0/);
    expect(checkBandit({ kind: "gaussian", mean: [1, 2], sd: [0, 1] }).kind).toBe("gaussian");
    expect(() => checkBandit({ kind: "gaussian", mean: [Infinity], sd: [1] })).toThrow(/arm 0/);
    const ok: Bandit = { kind: "discrete", values: [[0, 1], [2]], probs: [[0.25, 0.75], [1]] };
    expect(checkBandit(ok)).toBe(ok);
    // probabilities summing to 1 − 1e-13 are rounding, accepted; 0.9 is not
    expect(checkBandit({ kind: "discrete", values: [[0, 1]], probs: [[0.5, 0.5 - 1e-13]] }).kind).toBe("discrete");
    expect(() => checkBandit({ kind: "discrete", values: [[0, 1]], probs: [[0.5, 0.4]] })).toThrow(/arm 0/);
    expect(() => checkBandit({ kind: "discrete", values: [[0, 1]], probs: [[0.5, 0.6]] })).toThrow(/arm 0/);
    expect(() => checkBandit({ kind: "discrete", values: [[0], [0, 1]], probs: [[1], [1.5, -0.5]] })).toThrow(/arm 1/);
    expect(() => checkBandit({ kind: "discrete", values: [[0, 1, 2]], probs: [[0.5, 0.5]] })).toThrow(/arm 0/);
    expect(() => checkBandit({ kind: "bernoulli", p: [] })).toThrow(/at least one action/);
  });

  it("[eq 7] optimalAction returns the first best action on ties; a reward of probability 0 is never drawn", (ctx) => {
    claim(ctx, "exact");
    expect(optimalAction({ kind: "bernoulli", p: [0.5, 0.5] })).toBe(0);
    expect(optimalAction({ kind: "bernoulli", p: [0.2, 0.7, 0.7] })).toBe(1);
    // u = 0 falls in no interval of length 0, so the value of probability 0 is skipped
    const d: Bandit = { kind: "discrete", values: [[5, 7]], probs: [[0, 1]] };
    expect(drawReward(d, 0, () => 0)).toBe(7);
  });
});

describe("1.2 Runs and figure experiments: what they record", () => {
  it("[eq 1] a run records θ_t and π_{θ_t}(watch) for every t = 0, …, T, the last one included", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsPolicy"] });
    const T = 30;
    const run = runReinforce(
      { bandit: { kind: "bernoulli", p: [0.7, 0.2] }, steps: T, stepSize: 0.5, baseline: "none", watch: 0 },
      "edges",
      impl,
    );
    expect(run.prob.length).toBe(T + 1);
    for (const s of run.scores) expect(s.length).toBe(T + 1);
    for (const t of [0, T >> 1, T]) {
      const theta = Float64Array.from(run.scores, (s) => s[t]);
      expectClose(
        impl.gibbsPolicy(theta)[0],
        run.prob[t],
        ACCURACY,
        `gibbsPolicy(θ_${t})(watch) against the recorded π`,
      );
    }
    expect(run.counts.reduce((x, y) => x + y, 0)).toBe(T);
  });

  it("[fig 2] the experiments hold one run per seed index in each arm, on the stated bandit, under the book's seed by default", (ctx) => {
    claim(ctx, "exact");
    const f2 = figure2Experiment({ runs: 3, steps: 4, engine: impl });
    expect(f2.plain.length).toBe(3);
    expect(f2.baselined.length).toBe(3);
    expect(f2.armProbabilities).toEqual([...FIGURE2.armProbabilities]);
    expect(f2.seed).toBe(EXPERIMENT_SEED);
    expect(figure1Experiment({ runs: 2, steps: 3, seed: "other", engine: impl }).seed).toBe("other");
  });
});

describe("1.1 Bandits: a discrete reward law may give a value probability zero", () => {
  it("[eq 7] checkBandit accepts a discrete arm whose law puts probability 0 on one of its values, and still rejects a negative one", (ctx) => {
    claim(ctx, "exact");
    const b: Bandit = { kind: "discrete", values: [[0, 1, 5], [2]], probs: [[0.5, 0.5, 0], [1]] };
    expect(checkBandit(b)).toBe(b);
    expect(() => checkBandit({ kind: "discrete", values: [[0, 1, 5]], probs: [[0.6, 0.5, -0.1]] })).toThrow(/arm 0/);
  });
});
