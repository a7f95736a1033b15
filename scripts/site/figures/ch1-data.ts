/**
 * What Chapter 1's live figures draw, as named datasets: the runs of the book's experiment API
 * (measure/bandits/experiments.ts) with the reference implementation, at any settings a reader picks; at
 * the checked ones they are exactly the runs the [fig 1] and [fig 2] checks make their claims about. The
 * page's worker runs this file too (no node: imports; ch1.ts holds the specs).
 */
import { figure1Experiment, figure2Runs } from "../../../measure/bandits/experiments.ts";
import type { Run } from "../../../measure/bandits/run.ts";
import { referenceEngine } from "../../../src/bandits/index.ts";
import { numberParam, textParam, type ParamValues } from "../live/params.ts";
import type { Datasets } from "./vega-render.ts";

const EVERY = 10; // plot every 10th step: the curves are smooth at that resolution and the SVG stays small
/** How many single runs a figure draws. */
export const SHOWN = 5;

/** The series of Figure 1, as its legends name them (no setting in a name: the spec is the same at every setting). */
export const FIG1_SERIES = {
  single: "single runs",
  mean: "mean of all runs",
  optimal: "θ₀ (optimal), single runs",
  other: "θ₁, single runs",
} as const;
/** The series of Figure 2: the learner without a baseline, update (1), and with the running average, (13). */
export const FIG2_SERIES = {
  none: "without baseline, update (1)",
  "running-average": "running-average baseline, update (13)",
} as const;

type Row = Record<string, number | string>;

function thin(xs: Float64Array): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let t = 0; t < xs.length; t += EVERY) out.push({ x: t, y: xs[t] });
  return out;
}

/** The mean over runs at each step: (1/n) Σᵢ xᵢ[t]. */
export function meanOver(runs: Float64Array[]): Float64Array {
  const m = new Float64Array(runs[0].length);
  for (const v of runs) for (let t = 0; t < m.length; t++) m[t] += v[t] / runs.length;
  return m;
}

/**
 * Figure 1's datasets from its runs: "probs", πθ(0) of the first SHOWN runs and its mean over all of them
 * (`bold` 1 draws a thick line), and "scores", θ₀ and θ₁ of the first SHOWN runs.
 */
export function fig1Datasets(runs: Pick<Run, "prob" | "scores">[]): Datasets {
  const probs: Row[] = [];
  const scores: Row[] = [];
  runs.slice(0, SHOWN).forEach((r, i) => {
    for (const p of thin(r.prob)) probs.push({ ...p, series: FIG1_SERIES.single, run: `r${i}`, bold: 0 });
    for (const p of thin(r.scores[0])) scores.push({ ...p, series: FIG1_SERIES.optimal, run: `a${i}`, bold: 0 });
    for (const p of thin(r.scores[1])) scores.push({ ...p, series: FIG1_SERIES.other, run: `b${i}`, bold: 0 });
  });
  for (const p of thin(meanOver(runs.map((r) => r.prob))))
    probs.push({ ...p, series: FIG1_SERIES.mean, run: "mean", bold: 1 });
  return { probs, scores };
}

/** Figure 1 at `values` (stepSize, steps, runs, seed): plain REINFORCE (1) on the 0.6/0.4 bandit. */
export function fig1Data(values: ParamValues): Datasets {
  const e = figure1Experiment({
    seed: textParam(values, "seed"),
    runs: numberParam(values, "runs"),
    steps: numberParam(values, "steps"),
    stepSize: numberParam(values, "stepSize"),
    engine: referenceEngine,
  });
  return fig1Datasets(e.results);
}

/** What Figure 2 draws of one learner: the probability of the optimal action in a few runs, and its mean over all. */
export interface Fig2Arm {
  shown: Float64Array[];
  mean: Float64Array;
}

/** Figure 2's dataset "runs" from what it draws of each learner. */
export function fig2Datasets(arms: Record<keyof typeof FIG2_SERIES, Fig2Arm>): Datasets {
  const runs: Row[] = [];
  for (const [kind, key] of [
    ["none", "p"],
    ["running-average", "b"],
  ] as const) {
    const series = FIG2_SERIES[kind];
    arms[kind].shown.forEach((prob, i) =>
      thin(prob).forEach((p) => runs.push({ ...p, series, run: `${key}${i}`, bold: 0 })),
    );
    thin(arms[kind].mean).forEach((p) => runs.push({ ...p, series, run: `${key}m`, bold: 1 }));
  }
  return { runs };
}

/**
 * Figure 2 at `values` (stepSize, steps, runs, seed): REINFORCE without (1) and with (13) the running-average
 * baseline on the 0.96/0.94 bandit, the runs of figure2Experiment, one learner at a time (1100 runs of 4000
 * steps hold 100 MB each).
 */
export function fig2Data(values: ParamValues): Datasets {
  const opts = {
    seed: textParam(values, "seed"),
    runs: numberParam(values, "runs"),
    steps: numberParam(values, "steps"),
    stepSize: numberParam(values, "stepSize"),
    engine: referenceEngine,
  };
  const arm = (kind: keyof typeof FIG2_SERIES): Fig2Arm => {
    const { runs } = figure2Runs(kind, opts);
    return { shown: runs.slice(0, SHOWN).map((r) => r.prob), mean: meanOver(runs.map((r) => r.prob)) };
  };
  return fig2Datasets({ none: arm("none"), "running-average": arm("running-average") });
}
