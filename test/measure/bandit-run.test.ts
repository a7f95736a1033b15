/**
 * measure/bandits/run.ts without initial scores: θ₀ defaults to zeros over every arm of the bandit, in
 * the single loop and in the batched one, which must make exactly the single loop's runs. And a run's
 * trace: its draws step by step, enough to recompute every step on its own.
 */
import { describe, expect, it } from "vitest";
import {
  emptyTrace,
  runReinforce,
  runReinforceMany,
  type CallMany,
  type RunOptions,
} from "../../measure/bandits/run.ts";
import { drawReward } from "../../measure/bandits/bandit.ts";
import { figure1Experiment } from "../../measure/bandits/experiments.ts";
import { fromState, substream } from "../../src/contract/random.ts";
import { referenceEngine } from "../../src/bandits/index.ts";

const engine = referenceEngine;
/** The batched caller over the reference engine: each argument list called in turn. */
const many = ((fn, argsList) =>
  argsList.map((args) => (engine[fn] as (...a: unknown[]) => unknown)(...args))) as CallMany;

const o = (steps: number, baseline: RunOptions["baseline"]): RunOptions => ({
  bandit: { kind: "bernoulli", p: [0.2, 0.5, 0.9] },
  steps,
  stepSize: 0.1,
  baseline,
  watch: 2,
});

describe("runs without theta0", () => {
  it("start from θ₀ = 0 over all three arms, so π_θ₀(watch) = 1/3", () => {
    for (const run of [
      runReinforce(o(5, "none"), "s", engine),
      runReinforceMany([{ o: o(5, "none"), seed: "s" }], many)[0],
    ]) {
      expect(run.scores).toHaveLength(3);
      expect(run.scores.map((s) => s[0])).toEqual([0, 0, 0]);
      expect(run.prob[0]).toBeCloseTo(1 / 3, 15);
      expect(run.counts).toHaveLength(3);
      expect(run.counts.reduce((a, b) => a + b, 0)).toBe(5);
    }
  });

  it("batched with runs of other lengths and kinds, give each the single loop's run exactly", () => {
    const specs = [
      { o: o(12, "running-average"), seed: "a" },
      { o: o(3, "none"), seed: "b" },
      { o: o(0, "none"), seed: "c" },
    ];
    const batched = runReinforceMany(specs, many);
    specs.forEach(({ o: opts, seed }, i) => expect(batched[i]).toEqual(runReinforce(opts, seed, engine)));
  });
});

describe("a run's trace", () => {
  it("records A_t, B_t and the action stream's state before each step: each step recomputes from them alone", () => {
    for (const baseline of ["none", "running-average"] as const) {
      const opts = o(40, baseline);
      const trace = emptyTrace(40);
      const run = runReinforce(opts, "trace", engine, trace);
      // the trace changes nothing of the run
      expect(run).toEqual(runReinforce(opts, "trace", engine));
      expect(trace.actions).toHaveLength(40);
      expect(trace.baselines).toHaveLength(41);
      expect(trace.actionStates).toHaveLength(41);
      expect(trace.baselines[0]).toBe(0);
      expect(trace.actionStates[0]).toEqual(substream("trace", "actions").state!());
      const rewards = substream("trace", "rewards");
      const counts = [0, 0, 0];
      let sum = 0;
      for (let t = 0; t < 40; t++) {
        const theta = Float64Array.from(run.scores, (row) => row[t]);
        const rng = fromState(trace.actionStates[t]);
        const a = engine.sampleAction(theta, rng);
        expect(a, `A_${t}`).toBe(trace.actions[t]);
        expect(rng.state!(), `stream state after step ${t}`).toEqual(trace.actionStates[t + 1]);
        counts[a]++;
        const r = drawReward(opts.bandit, a, rewards);
        sum += r;
        const next =
          baseline === "none"
            ? engine.reinforceStep(theta, a, r, opts.stepSize)
            : engine.reinforceBaselineStep(theta, a, r, trace.baselines[t], opts.stepSize);
        expect(Array.from(next), `θ_${t + 1}`).toEqual(run.scores.map((row) => row[t + 1]));
        expect(trace.baselines[t + 1], `B_${t + 1}`).toBe(engine.updateRunningAverage(trace.baselines[t], t + 1, r));
        expect(trace.baselines[t + 1]).toBeCloseTo(sum / (t + 1), 14);
      }
      expect(Array.from(run.counts)).toEqual(counts);
    }
  });
});

describe("an experiment's implementation", () => {
  it("is an engine, a batched caller or a loop, each enough alone, and one of them is required", () => {
    const o = { runs: 3, steps: 6 };
    const want = figure1Experiment({ ...o, engine }).results;
    // each alone: the batched caller and the loop make the engine's runs
    expect(figure1Experiment({ ...o, many }).results).toEqual(want);
    expect(figure1Experiment({ ...o, loop: (specs) => runReinforceMany(specs, many) }).results).toEqual(want);
    expect(() => figure1Experiment(o)).toThrow(/an experiment runs an implementation: pass engine, many or loop/);
  });
});
