/**
 * The figures' experiments (measure/bandits/experiments.ts) are the runs their settings name: run i of
 * Figure 1 is runReinforce at FIGURE1's arms, θ0, step size and steps under the seed
 * derive(seed, "fig1", i), and likewise for Figure 2's two arms ("fig2", paired by seed), whichever way
 * the runs are stepped — one after another, in batches, or by a loop handed in (the grader's sandbox).
 * The runs are compared here with runs written out from those settings, field by field.
 */
import { describe, expect, it } from "vitest";
import type { Bandit } from "../../measure/bandits/bandit.ts";
import {
  EXPERIMENT_SEED,
  FIGURE1,
  FIGURE2,
  figure1Experiment,
  figure2Experiment,
  figure2Runs,
  type RunSpec,
} from "../../measure/bandits/experiments.ts";
import { runReinforce, runReinforceMany, type CallMany, type Run } from "../../measure/bandits/run.ts";
import { impl } from "../support/impl.ts";
import { derive, type Seed } from "../../src/contract/random.ts";
import { claim } from "../support/claim.ts";

const RUNS = 3;
const STEPS = 40;

/** The runs of a figure written out from its settings: runReinforce under derive(seed, id, i). */
function expected(
  settings: { armProbabilities: readonly number[]; theta0: readonly number[]; stepSize: number },
  id: string,
  baseline: "none" | "running-average",
  seed: Seed = EXPERIMENT_SEED,
  runs = RUNS,
  steps = STEPS,
): Run[] {
  const bandit: Bandit = { kind: "bernoulli", p: [...settings.armProbabilities] };
  return Array.from({ length: runs }, (_, i) =>
    runReinforce(
      { bandit, steps, stepSize: settings.stepSize, baseline, theta0: Float64Array.from(settings.theta0), watch: 0 },
      derive(seed, id, i),
      impl,
    ),
  );
}

const plain = (runs: Run[]) =>
  runs.map((r) => ({
    prob: Array.from(r.prob),
    scores: r.scores.map((s) => Array.from(s)),
    counts: Array.from(r.counts),
  }));
const many: CallMany = (fn, argsList) =>
  argsList.map((args) => (impl[fn] as (...a: unknown[]) => unknown)(...(args as unknown[]))) as never;

describe("1.2 and 1.4: the figures' experiments are the runs their settings name", () => {
  it("[fig 1] figure1Experiment's run i is runReinforce at FIGURE1's settings under derive(seed, 'fig1', i), stepped alone, in batches or by a given loop", (ctx) => {
    claim(ctx, "exact");
    const want = plain(expected(FIGURE1, "fig1", "none"));
    const o = { runs: RUNS, steps: STEPS, engine: impl };
    const alone = figure1Experiment(o);
    expect({
      runs: alone.runs,
      steps: alone.steps,
      stepSize: alone.stepSize,
      seed: alone.seed,
      theta0: alone.theta0,
      arms: alone.armProbabilities,
    }).toEqual({
      runs: RUNS,
      steps: STEPS,
      stepSize: FIGURE1.stepSize,
      seed: EXPERIMENT_SEED,
      theta0: [...FIGURE1.theta0],
      arms: [...FIGURE1.armProbabilities],
    });
    expect(plain(alone.results)).toEqual(want);
    expect(plain(figure1Experiment({ ...o, engine: impl }).results)).toEqual(want);
    expect(plain(figure1Experiment({ ...o, many }).results)).toEqual(want);
    let handed: RunSpec[] = [];
    const looped = figure1Experiment({ ...o, loop: (specs) => ((handed = specs), runReinforceMany(specs, many)) });
    expect(plain(looped.results)).toEqual(want);
    expect(handed.map((s) => s.seed)).toEqual(
      Array.from({ length: RUNS }, (_, i) => derive(EXPERIMENT_SEED, "fig1", i)),
    );
    // another seed and step size are the runs of those settings
    const other = figure1Experiment({ ...o, seed: "other", stepSize: 0.3 });
    expect(plain(other.results)).toEqual(plain(expected({ ...FIGURE1, stepSize: 0.3 }, "fig1", "none", "other")));
  });

  it("[fig 2] figure2Experiment's plain and baselined runs are runReinforce without and with the running average at FIGURE2's settings, paired by seed; figure2Runs gives either arm alone", (ctx) => {
    claim(ctx, "exact");
    const o = { runs: RUNS, steps: STEPS, engine: impl };
    const fig = figure2Experiment(o);
    const wantPlain = plain(expected(FIGURE2, "fig2", "none"));
    const wantBase = plain(expected(FIGURE2, "fig2", "running-average"));
    expect(plain(fig.plain)).toEqual(wantPlain);
    expect(plain(fig.baselined)).toEqual(wantBase);
    expect([fig.runs, fig.steps, fig.stepSize, fig.theta0, fig.armProbabilities]).toEqual([
      RUNS,
      STEPS,
      FIGURE2.stepSize,
      [...FIGURE2.theta0],
      [...FIGURE2.armProbabilities],
    ]);
    const alone = figure2Runs("running-average", o);
    expect(plain(alone.runs)).toEqual(wantBase);
    expect(alone.experiment.runs).toBe(RUNS);
    expect(plain(figure2Runs("none", o).runs)).toEqual(wantPlain);
    // the defaults are the figures' own settings
    const d = figure2Runs("none", { steps: 1, runs: 1, engine: impl }).experiment;
    expect([d.stepSize, d.seed]).toEqual([FIGURE2.stepSize, EXPERIMENT_SEED]);
    expect(figure1Experiment({ steps: 1, engine: impl }).runs).toBe(FIGURE1.runs);
    expect(figure2Runs("none", { runs: 1, engine: impl }).experiment.steps).toBe(FIGURE2.steps);
  });
});
