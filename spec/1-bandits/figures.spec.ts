/**
 * Figures 1 and 2 of §1 as quantified claims over seeded runs. The runs come from the book's
 * experiment harness (measure/bandits/experiments.ts: seeding, reward draws, recording) driving the
 * implementation under test step by step; with the reference implementation and the default master
 * seed they are exactly the runs the site plots. Each rate claim is a test with an indifference zone
 * (spec/support/stat.ts): it fails with probability ≤ α = 1e-9 when the claim holds, and with
 * probability ≥ 0.999 when the true rate is ten points or more on the wrong side of the claim; its
 * negative control is a learner whose success rate is known exactly (figure-support.ts). The facts
 * recorded here (`fig1.…`, `fig2.…`) are the numbers the chapter's captions print.
 */
import { describe, expect, it } from "vitest";
import {
  FIGURE1,
  FIGURE2,
  figure1Experiment,
  figure2Runs,
  type Experiment,
} from "../../measure/bandits/experiments.ts";
import type { Run } from "../../measure/bandits/run.ts";
import { claim } from "../support/claim.ts";
import { expectRateClaim } from "../support/stat.ts";
import {
  USES,
  certainRun,
  chapterSettings,
  expectChapterSettings,
  expectThinnedRejected,
  settingsOf,
  sizedDesign,
  uncaughtChanges,
  underTest,
} from "./figure-support.ts";

const count = (xs: boolean[]) => xs.filter(Boolean).length;
const settingsFacts = (id: string, e: Experiment) => ({
  [`${id}.runs`]: e.runs,
  [`${id}.steps`]: e.steps,
  [`${id}.stepSize`]: e.stepSize,
  [`${id}.arm0`]: e.armProbabilities[0],
  [`${id}.arm1`]: e.armProbabilities[1],
  [`${id}.seed`]: String(e.seed),
});
/** The chapter's settings, each changed to another value: what a settings check must catch (Figure 1 at step size 0.03 among them). */
const changed = (s: Record<string, number[]>) => ({
  armProbabilities: [s.armProbabilities[0] + 0.01, ...s.armProbabilities.slice(1)],
  theta0: [s.theta0[0] + 0.5, ...s.theta0.slice(1)],
  stepSize: s.stepSize[0] === 0.03 ? 0.05 : 0.03,
  steps: s.steps[0] + 100,
  runs: s.runs[0] - 1,
});

describe(`1.2 Figure 1: REINFORCE on the ${FIGURE1.armProbabilities.join("/")} bandit (step size ${FIGURE1.stepSize}, ${FIGURE1.steps} steps, ${FIGURE1.runs} runs)`, () => {
  const T = FIGURE1.steps;
  const BLOCK = 100;
  // What the claims need of each run, kept instead of the runs themselves.
  let cached: { e: Experiment; concentrated: boolean[]; rises: boolean[]; blocks: Float64Array } | undefined;
  const run = () => {
    if (cached) return cached;
    const f = figure1Experiment(underTest("fig1"));
    const blocks = new Float64Array(Math.floor(T / BLOCK));
    for (const r of f.results)
      for (let t = 0; t < blocks.length * BLOCK; t++) blocks[Math.floor(t / BLOCK)] += r.prob[t] / (BLOCK * f.runs);
    cached = {
      e: f,
      concentrated: f.results.map((r) => r.prob[T] > 0.9),
      rises: f.results.map((r) => r.scores[0][T] > r.scores[0][0]),
      blocks,
    };
    return cached;
  };

  it(`[fig 1] π(optimal) exceeds 0.9 at step ${T} in at least 90% of runs`, (ctx) => {
    const { e, concentrated } = run();
    // Mean-field estimate: the log-odds d = θ0 − θ1 drifts by 2α·π0π1·(p0 − p1) per step, so reaching
    // π0 = 0.9 (d = ln 9) takes ∫₀^{ln 9} (2 + e^d + e^{−d}) dd / (2α(p0 − p1)) = (2 ln 9 + 9 − 1/9) / (2α(p0 − p1)) steps.
    const meanField =
      (2 * Math.log(9) + 9 - 1 / 9) / (2 * e.stepSize * (e.armProbabilities[0] - e.armProbabilities[1]));
    claim(ctx, "monte-carlo", {
      implements: USES,
      facts: { ...settingsFacts("fig1", e), "fig1.meanFieldSteps": Math.round(meanField) },
    });
    const d = sizedDesign(e.runs, 0.9, "at-least", "fig1.concentrated");
    expectRateClaim(ctx, count(concentrated), d, { label: "fig1.concentrated" });
  });

  it(`[fig 1] the optimal action's score rises: θ_{${T},0} > θ_{0,0} in at least 90% of runs, and π(optimal) averaged over runs rises block by block`, (ctx) => {
    const { e, rises, blocks } = run();
    claim(ctx, "monte-carlo", { implements: USES });
    const d = sizedDesign(e.runs, 0.9, "at-least", "fig1.scoreRises");
    expectRateClaim(ctx, count(rises), d, { label: "fig1.scoreRises" });
    // and the average over runs of π(optimal), smoothed over 100-step blocks, rises from block to block
    for (let b = 1; b < blocks.length; b++)
      expect(blocks[b], `mean π(optimal) over steps ${b * BLOCK}…${(b + 1) * BLOCK - 1}`).toBeGreaterThan(
        blocks[b - 1],
      );
  });

  it("[fig 1] negative control: a learner that, in 30% of runs chosen by coin, keeps step size 0 (π stays 1/2, so those runs certainly fail) fails both claims", (ctx) => {
    const { e, concentrated, rises } = run();
    claim(ctx, "monte-carlo", { implements: USES, control: true });
    const still = certainRun(e, [...e.theta0], "none");
    const ok = still.prob[T] > 0.9 || still.scores[0][T] > still.scores[0][0];
    expect(ok, "the step-size-0 learner must fail both claims").toBe(false);
    // success rate ≤ 1 − 0.3 = 0.7 exactly, below p1 ≈ 0.8 of both designs
    expectThinnedRejected(
      ctx,
      concentrated,
      sizedDesign(e.runs, 0.9, "at-least", "fig1.control.concentrated"),
      0.3,
      false,
      "fig1.control.concentrated",
    );
    expectThinnedRejected(
      ctx,
      rises,
      sizedDesign(e.runs, 0.9, "at-least", "fig1.control.scoreRises"),
      0.3,
      false,
      "fig1.control.scoreRises",
    );
  });

  it("[fig 1] the figure's settings are the chapter's: the `::: figure fig1` line states the experiment's arm probabilities, θ0, step size, steps and runs", (ctx) => {
    const { e } = run();
    claim(ctx, "exact", { facts: settingsFacts("fig1", e) });
    expectChapterSettings(ctx, "fig1", settingsOf(e));
    // the site's plot runs the defaults: the same settings
    expectChapterSettings(ctx, "fig1", settingsOf(FIGURE1));
  });

  it("[fig 1] negative control: the settings check catches Figure 1 at step size 0.03, and a change of any other setting", (ctx) => {
    claim(ctx, "exact", { control: true });
    const stated = chapterSettings(ctx, "fig1");
    if (!stated) return;
    // from the chapter's own settings, each changed in turn: the comparison must name the one changed
    expect(uncaughtChanges(stated.settings, changed(stated.settings))).toEqual([]);
  });
});

describe(`1.4 Figure 2: without and with the running-average baseline on the ${FIGURE2.armProbabilities.join("/")} bandit (step size ${FIGURE2.stepSize}, ${FIGURE2.steps} steps, ${FIGURE2.runs} paired runs)`, () => {
  const T = FIGURE2.steps;
  // Each arm of the comparison run on its own (the runs of figure2Experiment, paired by seed), and
  // only π_{θ_T}(optimal) kept: 1100 runs of 4000 steps are 100 MB each way.
  let cached: { e: Experiment; plain: Float64Array; baselined: Float64Array } | undefined;
  const ends = (rs: Run[]) => Float64Array.from(rs, (r) => r.prob[T]);
  const run = () => {
    if (cached) return cached;
    const p = figure2Runs("none", underTest("fig2-plain"));
    const plain = ends(p.runs);
    const b = figure2Runs("running-average", underTest("fig2-baselined"));
    cached = { e: b.experiment, plain, baselined: ends(b.runs) };
    return cached;
  };
  const share = (xs: Float64Array, f: (x: number) => boolean) => Array.from(xs, f);

  it(`[fig 2] with the baseline π(optimal) exceeds 0.9 at step ${T} in at least 90% of runs`, (ctx) => {
    const { e, baselined } = run();
    claim(ctx, "monte-carlo", { implements: USES, facts: settingsFacts("fig2", e) });
    expectRateClaim(
      ctx,
      count(share(baselined, (x) => x > 0.9)),
      sizedDesign(e.runs, 0.9, "at-least", "fig2.baselined"),
      { label: "fig2.baselined" },
    );
  });

  it(`[fig 2] without the baseline at most 80% of runs have π(optimal) > 0.9 at step ${T}: the 90% claim does not hold for update (1)`, (ctx) => {
    const { e, plain } = run();
    claim(ctx, "monte-carlo", { implements: USES });
    // an "at most 80 %" claim whose test fails with probability ≥ 0.999 at a true rate ≥ 90 %
    const d = sizedDesign(e.runs, 0.8, "at-most", "fig2.plain");
    expect(d.p1, "the design rejects a true rate of 90%").toBeLessThanOrEqual(0.9);
    expectRateClaim(ctx, count(share(plain, (x) => x > 0.9)), d, { label: "fig2.plain" });
  });

  it(`[fig 2] without the baseline at least 20% of runs end on the wrong arm (π(optimal) < 1/2 at step ${T})`, (ctx) => {
    const { e, plain } = run();
    claim(ctx, "monte-carlo", { implements: USES });
    expectRateClaim(ctx, count(share(plain, (x) => x < 0.5)), sizedDesign(e.runs, 0.2, "at-least", "fig2.plainWrong"), {
      label: "fig2.plainWrong",
    });
  });

  it(`[fig 2] with the baseline at most 10% of runs end on the wrong arm: the 20% claim does not hold for update (13)`, (ctx) => {
    const { e, baselined } = run();
    claim(ctx, "monte-carlo", { implements: USES });
    const d = sizedDesign(e.runs, 0.1, "at-most", "fig2.baselinedWrong");
    expect(d.p1, "the design rejects a true rate of 20%").toBeLessThanOrEqual(0.2);
    expectRateClaim(ctx, count(share(baselined, (x) => x < 0.5)), d, { label: "fig2.baselinedWrong" });
  });

  it("[fig 2] negative controls: learners with a share of step-size-0 runs of certain outcome (π fixed at π(θ0)) fail each of the four claims", (ctx) => {
    const { e, plain, baselined } = run();
    claim(ctx, "monte-carlo", { implements: USES, control: true });
    const half = certainRun(e, [0, 0], "running-average").prob[T]; // π = 1/2: neither > 0.9 nor < 1/2
    const high = certainRun(e, [3, 0], "none").prob[T]; // π = 1/(1 + e^{−3}) ≈ 0.953 > 0.9
    const low = certainRun(e, [0, 1], "running-average").prob[T]; // π = 1/(1 + e) ≈ 0.269 < 1/2
    expect([half > 0.9, half < 0.5, high > 0.9, low < 0.5]).toEqual([false, false, true, true]);
    // baselined, 30% of runs at π = 1/2: rate of π > 0.9 at most 70%
    expectThinnedRejected(
      ctx,
      share(baselined, (x) => x > 0.9),
      sizedDesign(e.runs, 0.9, "at-least", "fig2.control.baselined"),
      0.3,
      false,
      "fig2.control.baselined",
    );
    // plain, 95% of runs at π ≈ 0.953: rate of π > 0.9 at least 95%
    expectThinnedRejected(
      ctx,
      share(plain, (x) => x > 0.9),
      sizedDesign(e.runs, 0.8, "at-most", "fig2.control.plain"),
      0.95,
      true,
      "fig2.control.plain",
    );
    // plain, 96% of runs at π = 1/2: rate of π < 1/2 at most 4%
    expectThinnedRejected(
      ctx,
      share(plain, (x) => x < 0.5),
      sizedDesign(e.runs, 0.2, "at-least", "fig2.control.plainWrong"),
      0.96,
      false,
      "fig2.control.plainWrong",
    );
    // baselined, 30% of runs at π ≈ 0.269: rate of π < 1/2 at least 30%
    expectThinnedRejected(
      ctx,
      share(baselined, (x) => x < 0.5),
      sizedDesign(e.runs, 0.1, "at-most", "fig2.control.baselinedWrong"),
      0.3,
      true,
      "fig2.control.baselinedWrong",
    );
  });

  it("[fig 2] the figure's settings are the chapter's: the `::: figure fig2` line states the experiment's arm probabilities, θ0, step size, steps and runs", (ctx) => {
    const { e } = run();
    claim(ctx, "exact", { facts: settingsFacts("fig2", e) });
    expectChapterSettings(ctx, "fig2", settingsOf(e));
    expectChapterSettings(ctx, "fig2", settingsOf(FIGURE2));
  });

  it("[fig 2] negative control: the settings check catches a change of any setting of Figure 2", (ctx) => {
    claim(ctx, "exact", { control: true });
    const stated = chapterSettings(ctx, "fig2");
    if (!stated) return;
    // from the chapter's own settings, each changed in turn: the comparison must name the one changed
    expect(uncaughtChanges(stated.settings, changed(stated.settings))).toEqual([]);
  });
});
