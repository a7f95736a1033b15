/**
 * The book's bandit harness at its edges: validation of reward laws, ties, zero-probability rewards,
 * the recorded trajectories of a run, the figure experiments' bookkeeping, and the testbed engine's
 * counts of optimal actions over several runs (against a replay built from the reference functions).
 */
import { describe, expect, it } from "vitest";
import { checkBandit, drawReward, optimalAction, type Bandit } from "../../measure/bandits/bandit.ts";
import { EXPERIMENT_SEED, figure1Experiment, figure2Experiment, FIGURE2 } from "../../measure/bandits/experiments.ts";
import { runReinforce } from "../../measure/bandits/run.ts";
import { runTestbed, TESTBED } from "../../src/bandits/testbed.ts";
import { fastStream, stream } from "../../src/contract/random.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../support/close.ts";
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
    const run = runReinforce({ bandit: { kind: "bernoulli", p: [0.7, 0.2] }, steps: T, stepSize: 0.5, baseline: "none", watch: 0 }, "edges", impl);
    expect(run.prob.length).toBe(T + 1);
    for (const s of run.scores) expect(s.length).toBe(T + 1);
    for (const t of [0, T >> 1, T]) {
      const theta = Float64Array.from(run.scores, (s) => s[t]);
      expectClose(impl.gibbsPolicy(theta)[0], run.prob[t], ACCURACY, `gibbsPolicy(θ_${t})(watch) against the recorded π`);
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

describe("1.4 The testbed engine: optimal-action counts over several runs", () => {
  /** The testbed's loop rebuilt from the reference functions and fastStream (as in testbed.spec.ts). */
  function replayCounts(seed: string, o: typeof TESTBED): { byStep: Float64Array; lastTheta: Float64Array } {
    const rng = fastStream(stream(seed));
    let spare: number | undefined;
    const normal = () => {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      let u = rng();
      while (u <= 0) u = rng();
      const v = 2 * Math.PI * rng();
      const m = Math.sqrt(-2 * Math.log(u));
      spare = m * Math.sin(v);
      return m * Math.cos(v);
    };
    const byStep = new Float64Array(o.steps);
    let theta: Float64Array = new Float64Array(o.arms);
    for (let run = 0; run < o.runs; run++) {
      const q = Float64Array.from({ length: o.arms }, () => o.qMean + o.qSd * normal());
      const best = Math.max(...q);
      theta = new Float64Array(o.arms);
      let b = 0;
      for (let t = 0; t < o.steps; t++) {
        const p = impl.gibbsPolicy(theta);
        const u = rng();
        let a = o.arms - 1;
        let acc = 0;
        for (let j = 0; j < o.arms - 1; j++) {
          acc += p[j];
          if (u < acc) {
            a = j;
            break;
          }
        }
        const r = q[a] + normal();
        theta = impl.reinforceBaselineStep(theta, a, r, b, o.stepSize);
        b = impl.updateRunningAverage(b, t + 1, r);
        if (q[a] === best) byStep[t]++;
      }
    }
    return { byStep, lastTheta: theta };
  }

  it("[eq 13] optimalByStep counts, run by run, the steps whose action has the largest q*; optimalAtEnd is the last count", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsPolicy", "reinforceBaselineStep", "updateRunningAverage"] });
    const o = { ...TESTBED, arms: 5, runs: 6, steps: 120 };
    const res = runTestbed(stream("counts"), o);
    const ref = replayCounts("counts", o);
    // the action at each step can differ only if a uniform lands within rounding of a CDF boundary
    expect(Array.from(res.optimalByStep)).toEqual(Array.from(ref.byStep));
    expect(res.optimalAtEnd).toBe(ref.byStep[o.steps - 1]);
    expect(res.optimalAtEnd).toBeGreaterThan(0);
    expect(runTestbed(stream("counts"), { ...o, steps: 0 }).optimalAtEnd).toBe(0);
  });

  it("[eq 13] with a large step size the scores reach hundreds and the engine stays finite and equal to the reference", (ctx) => {
    claim(ctx, "exact", { implements: ["gibbsPolicy", "reinforceBaselineStep", "updateRunningAverage"] });
    const o = { ...TESTBED, arms: 4, runs: 2, steps: 200, stepSize: 200 };
    const res = runTestbed(stream("large"), o);
    const ref = replayCounts("large", o);
    const spread = Math.max(...ref.lastTheta) - Math.min(...ref.lastTheta);
    expect(spread).toBeGreaterThan(800); // e^{800} overflows: only the max-shifted softmax survives this
    for (let a = 0; a < o.arms; a++) expect(Number.isFinite(res.lastTheta[a])).toBe(true);
    // the contract allows ACCURACY on each step's θ'; the tolerance lets those errors add up over the steps
    // (the policy is saturated here, so a step barely moves them): the engine's last θ against the replay's
    expectClose(res.lastTheta, ref.lastTheta, { rel: o.steps * ACCURACY.rel, abs: o.steps * ACCURACY.abs }, "runTestbed's last θ against the replay");
    expect(Array.from(res.optimalByStep)).toEqual(Array.from(ref.byStep));
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
