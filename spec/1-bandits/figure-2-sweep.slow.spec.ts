/**
 * Figure 2's step size, swept. The notes give none; the book's 0.25 (FIGURE2.stepSize) was chosen, and
 * the baseline's claim "π(optimal) > 0.9 at step 4000 in at least 90% of runs" depends on it. Figure 2's
 * baselined runs (the same seeds) are rerun at each step size of FIGURE2_SWEEP; the claim is tested
 * where it holds, its failure (at most 80% of runs, a test that fails with probability ≥ 0.999 at 90%)
 * where it does not, and the step sizes whose share lies within ten points of 90% are only measured.
 */
import { describe, expect, it } from "vitest";
import { FIGURE2, FIGURE2_SWEEP, figure2Runs, type Experiment } from "../../measure/bandits/experiments.ts";
import { claim } from "../support/claim.ts";
import { expectRateClaim } from "../support/stat.ts";
import {
  USES,
  certainRun,
  chapterSettings,
  expectChapterSettings,
  expectThinnedRejected,
  sizedDesign,
  uncaughtChanges,
  underTest,
} from "./figure-support.ts";

/** Where the claim holds, and where it does not; the claims of this section. */
const HOLDS = [0.25, 0.35, 0.5];
const FAILS = [0.05, 0.1];
/** Measured only: within ten points of 90%, where neither test can decide. */
const MEASURED = [0.15, 0.2, 1];

const list = (xs: number[]) =>
  xs.length > 1 ? `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}` : String(xs[0]);

describe(`1.4 Figure 2's step size: the baseline's claim at step sizes ${FIGURE2_SWEEP.stepSizes.join(", ")}`, () => {
  const T = FIGURE2_SWEEP.steps;
  // per step size, whether each run has π(optimal) > 0.9 at step T (the runs themselves are dropped)
  let cached: { e: Experiment; reached: boolean[][] } | undefined;
  const run = () => {
    if (cached) return cached;
    let e: Experiment | undefined;
    const reached = FIGURE2_SWEEP.stepSizes.map((stepSize, i) => {
      const r = figure2Runs("running-average", underTest(`fig2-sweep-${i}`, { stepSize }));
      e ??= { ...r.experiment, stepSize: FIGURE2.stepSize };
      return r.runs.map((x) => x.prob[T] > 0.9);
    });
    cached = { e: e!, reached };
    return cached;
  };
  const sweepSettings = (e: Experiment, stepSizes: readonly number[]) => ({
    armProbabilities: e.armProbabilities,
    theta0: e.theta0,
    steps: e.steps,
    runs: e.runs,
    stepSizes,
  });

  it("[fig 2] the sweep's settings are the chapter's: the `::: figure fig2-sweep` line states its arm probabilities, θ0, steps, runs and step sizes", (ctx) => {
    claim(ctx, "exact");
    expectChapterSettings(ctx, "fig2-sweep", sweepSettings(run().e, FIGURE2_SWEEP.stepSizes));
    // the claims cover the sweep, once each, and the book's step is one where the claim holds
    expect([...HOLDS, ...FAILS, ...MEASURED].sort((a, b) => a - b)).toEqual([...FIGURE2_SWEEP.stepSizes]);
    expect(HOLDS).toContain(FIGURE2.stepSize);
  });

  it("[fig 2] negative control: the sweep's settings check catches a changed step size, and a change of any other setting", (ctx) => {
    claim(ctx, "exact", { control: true });
    const stated = chapterSettings(ctx, "fig2-sweep");
    if (!stated) return;
    const st = stated.settings;
    const change = {
      armProbabilities: [st.armProbabilities[0] - 0.01, ...st.armProbabilities.slice(1)],
      theta0: [st.theta0[0] + 1, ...st.theta0.slice(1)],
      steps: st.steps[0] - 1,
      runs: st.runs[0] + 1,
      stepSizes: st.stepSizes.map((x, i) => (i === 0 ? x / 2 : x)),
    };
    // from the chapter's own settings, each changed in turn: the comparison must name the one changed
    expect(uncaughtChanges(stated.settings, change)).toEqual([]);
  });

  it(`[fig 2] with the baseline, π(optimal) > 0.9 at step ${T} in at least 90% of runs at step sizes ${list(HOLDS)}, and in at most 80% at ${list(FAILS)}`, (ctx) => {
    const { e, reached } = run();
    claim(ctx, "monte-carlo", {
      implements: USES,
      facts: {
        "fig2.sweep.runs": e.runs,
        "fig2.sweep.steps": e.steps,
        "fig2.sweep.count": FIGURE2_SWEEP.stepSizes.length,
        "fig2.sweep.holds": list(HOLDS),
        "fig2.sweep.fails": list(FAILS),
        "fig2.sweep.measured": list(MEASURED),
      },
    });
    const errors: string[] = [];
    FIGURE2_SWEEP.stepSizes.forEach((s, i) => {
      const label = `fig2.sweep.${i}`;
      const k = reached[i].filter(Boolean).length;
      const verdict = HOLDS.includes(s) ? "holds" : FAILS.includes(s) ? "fails" : "measured";
      claim(ctx, "monte-carlo", {
        facts: { [`${label}.stepSize`]: s, [`${label}.reached`]: k, [`${label}.claim`]: verdict },
      });
      if (verdict === "measured") return;
      const d =
        verdict === "holds" ? sizedDesign(e.runs, 0.9, "at-least", label) : sizedDesign(e.runs, 0.8, "at-most", label);
      if (verdict === "fails") expect(d.p1, "the design rejects a true rate of 90%").toBeLessThanOrEqual(0.9);
      // every step size is tested (and recorded) before the first failure is reported
      try {
        expectRateClaim(ctx, k, d, { label });
      } catch (err) {
        errors.push(`step size ${s}: ${(err as Error).message.split("\n")[0]}`);
      }
    });
    if (errors.length) throw new Error(errors.join("\n"));
  });

  it("[fig 2] negative controls: at a step size where the claim holds and one where it fails, learners of known rate (a share of step-size-0 runs) are rejected", (ctx) => {
    const { e, reached } = run();
    claim(ctx, "monte-carlo", { implements: USES, control: true });
    const half = certainRun(e, [0, 0], "running-average").prob[T]; // π = 1/2 ≤ 0.9: certain failure
    const high = certainRun(e, [3, 0], "running-average").prob[T]; // π ≈ 0.953 > 0.9: certain success
    expect([half > 0.9, high > 0.9]).toEqual([false, true]);
    const at = (s: number) => FIGURE2_SWEEP.stepSizes.indexOf(s as never);
    expectThinnedRejected(
      ctx,
      reached[at(FIGURE2.stepSize)],
      sizedDesign(e.runs, 0.9, "at-least", "fig2.sweep.control.holds"),
      0.3,
      false,
      "fig2.sweep.control.holds",
    );
    expectThinnedRejected(
      ctx,
      reached[at(FAILS[FAILS.length - 1])],
      sizedDesign(e.runs, 0.8, "at-most", "fig2.sweep.control.fails"),
      0.95,
      true,
      "fig2.sweep.control.fails",
    );
  });
});
