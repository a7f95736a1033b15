/**
 * What the figure specs share (figures.spec.ts, figure-2-sweep.slow.spec.ts): running the figures'
 * experiments on the implementation under test, comparing a figure's settings with its chapter, and
 * rate controls whose success rate is known exactly.
 */
import type { TestContext } from "vitest";
import type { Experiment, ExperimentOptions, FigureSettings } from "../../measure/bandits/experiments.ts";
import { runReinforce, type Engine, type Run, type RunOptions } from "../../measure/bandits/run.ts";
import { derive, stream } from "../../src/contract/random.ts";
import { claim } from "../support/claim.ts";
import {
  chapterSettings as statedIn,
  expectChapterSettings as expectStatedIn,
  uncaughtChanges,
} from "../support/figure-settings.ts";
import { impl, runBandits } from "../support/impl.ts";
import { RUN_BANDITS } from "../support/impl-provider.ts";
import { masterSeed } from "../../measure/seed.ts";
import { designRate, expectRateRejected, type RateDesign } from "../support/stat.ts";

/** The contract functions a figure's runs call. */
export const USES = ["gibbsPolicy", "sampleAction", "reinforceStep", "reinforceBaselineStep", "updateRunningAverage"];

// A provided implementation (the grader's sandbox) runs the book's loop its own way and verifies it
// (runBandits). Otherwise the loop runs here, run after run, on the implementation's functions read
// once: the same runs as runBandits' batched loop (measure/bandits/run.ts), three times faster.
const provided = typeof (impl as unknown as Record<symbol, unknown>)[RUN_BANDITS] === "function";
const engine: Engine = {
  gibbsPolicy: impl.gibbsPolicy,
  sampleAction: impl.sampleAction,
  reinforceStep: impl.reinforceStep,
  reinforceBaselineStep: impl.reinforceBaselineStep,
  updateRunningAverage: impl.updateRunningAverage,
};

/** Experiment options that run the implementation under test, under the master seed; `label` names the runs for the grader. */
export function underTest(label: string, o: ExperimentOptions = {}): ExperimentOptions {
  return { ...o, seed: masterSeed(), ...(provided ? { loop: (specs) => runBandits(specs, label) } : { engine }) };
}

/** A figure's settings as its experiment ran them (the names of a chapter's `::: figure` line). */
export function settingsOf(e: FigureSettings): Record<string, number | readonly number[]> {
  return { armProbabilities: e.armProbabilities, theta0: e.theta0, stepSize: e.stepSize, steps: e.steps, runs: e.runs };
}

const CHAPTER = "01-bandits.md";

/** The settings chapters/01-bandits.md states on its `::: figure <id>` line (undefined: skipped, see spec/support/figure-settings.ts). */
export const chapterSettings = (ctx: TestContext, id: string) => statedIn(ctx, CHAPTER, id);

/** Assert that chapters/01-bandits.md states exactly these settings for figure `id`. */
export const expectChapterSettings = (
  ctx: TestContext,
  id: string,
  actual: Record<string, number | readonly number[]>,
): void => expectStatedIn(ctx, CHAPTER, id, actual);

export { uncaughtChanges };

/** Design of a rate claim, asserted to be sized so that p0 − p1 ≤ gap (ten points by default). */
export function sizedDesign(
  runs: number,
  p0: number,
  dir: "at-least" | "at-most",
  label: string,
  gap = 0.1,
): RateDesign {
  const d = designRate(runs, p0, dir, { label });
  if (!(Math.abs(d.p0 - d.p1) <= gap))
    throw new Error(
      `rate design of ${label}: ${runs} runs leave p0 − p1 = ${Math.abs(d.p0 - d.p1).toFixed(4)} > ${gap}; more runs are needed`,
    );
  return d;
}

/**
 * A learner whose outcome is certain: step size 0 from θ_0 = `theta0`. Each step of (1) or (13) then
 * adds 0·(R − B)·∇ln π = 0, so θ_t = θ_0 at every step whatever is drawn, and π_{θ_T} = π_{θ_0} for
 * every seed. One run with the implementation under test confirms it; its outcome is that of every such run.
 */
export function certainRun(e: Experiment, theta0: number[], baseline: RunOptions["baseline"]): Run {
  const o: RunOptions = {
    bandit: { kind: "bernoulli", p: [...e.armProbabilities] },
    steps: e.steps,
    stepSize: 0,
    baseline,
    theta0: Float64Array.from(theta0),
    watch: e.optimalAction,
  };
  const r = runReinforce(o, derive(masterSeed(), "certain-learner"), impl);
  r.scores.forEach((s, a) => {
    if (!s.every((x) => x === theta0[a]))
      throw new Error(`the step-size-0 learner moved: θ[${a}] is not ${theta0[a]} at every step`);
  });
  return r;
}

/**
 * A negative control with an exact rate: run i of the learner under test (outcome `outcomes[i]`) is
 * replaced, when a coin of its own (derived from the master seed, `label` and i, independent of the
 * run) shows probability `q`, by a learner whose outcome is certainly `certain`. The replaced count is
 * a sum of independent indicators, each true with probability at most 1 − q (certain failure) or at
 * least q (certain success), exactly; the claim's test must reject it.
 */
export function expectThinnedRejected(
  ctx: TestContext,
  outcomes: boolean[],
  d: RateDesign,
  q: number,
  certain: boolean,
  label: string,
): void {
  let successes = 0;
  let replaced = 0;
  outcomes.forEach((ok, i) => {
    const coin = stream(derive(masterSeed(), "control", label, i))() < q;
    if (coin) replaced++;
    if (coin ? certain : ok) successes++;
  });
  claim(ctx, "monte-carlo", { facts: { [`${label}.q`]: q, [`${label}.replaced`]: replaced } });
  // certain failure: rate ≤ 1 − q; certain success: rate ≥ q (the direction expectRateRejected expects)
  expectRateRejected(ctx, successes, d, certain ? q : 1 - q, { label });
}
