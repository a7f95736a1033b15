/**
 * Chapter 3's figures (see index.ts): exact variances of the single-episode estimators on the small
 * examples, and learning curves of episodic REINFORCE — the very runs the [eq 29] and [eq 30] rate checks
 * of spec/3-total-return/3.5-collapse.slow.spec.ts count (same experiment, the checks' master seed). The
 * learning figures are live (live-figure.ts): their data come from ch3-data.ts, their specs from here.
 */
import { LEARNING, varianceTable } from "../../../measure/total-return/experiments.ts";
import { chapter3Reference } from "../../../src/total-return/index.ts";
import { seedParam, slider, type ParamDef } from "../live/params.ts";
import {
  LEARNERS,
  collapseData,
  collapseDatasets,
  learningData,
  learningDatasets,
  type LearningRuns,
} from "./ch3-data.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { liveFigure } from "./live-figure.ts";
import { barChart, lineChartSpec, renderVegaLite } from "./plot.ts";

export type { LearningRuns } from "./ch3-data.ts";

/** The estimators' names as the legend shows them (varianceEstimators of measure/ names them in plain ASCII). */
const ESTIMATOR_LABELS: Record<string, string> = {
  "full return": "full return",
  "reward-to-go (29)": "reward-to-go (29)",
  "reward-to-go − V_t (30)": "reward-to-go − Vₜ (30)",
  "exact Q_t (28)": "exact Qₜ (28)",
  "exact Q_t − V_t (30)": "exact Qₜ − Vₜ (30)",
};

function label(table: Record<string, string>, name: string, what: string): string {
  const l = table[name];
  if (l === undefined)
    throw new Error(`scripts/site/figures/ch3.ts: no label for the ${what} "${name}" of varianceTable()`);
  return l;
}

async function variances(): Promise<string> {
  const short: Record<string, string> = {
    "repeated choice (T = 3)": "repeated choice",
    "stop or play (T = 4)": "stop or play",
    "checked answer (T = 3)": "checked answer",
  };
  const rows = varianceTable(chapter3Reference).map((r) => ({
    ...r,
    example: label(short, r.example, "example"),
    estimator: label(ESTIMATOR_LABELS, r.estimator, "estimator"),
  }));
  const full = new Map(rows.filter((r) => r.estimator === "full return").map((r) => [r.example, r.variance]));
  return barChart({
    bars: rows.map((r) => ({ category: r.example, group: r.estimator, value: r.variance / full.get(r.example)! })),
    xTitle: "example (uniform policy, θ = 0; horizons 3, 4, 3)",
    yTitle: "total variance ÷ that of the full return",
  });
}

const LEARNER_NAMES = LEARNERS.map(([, name]) => name);

const learningSpec = lineChartSpec({
  xTitle: "episode ℓ",
  yTitle: "mean J(θℓ) over all runs",
  yDomain: [1, 4.5],
  names: LEARNER_NAMES,
  data: "series",
});

const collapseSpec = lineChartSpec({
  xTitle: "episode ℓ",
  yTitle: "fraction of runs with J(θℓ) < 2",
  yDomain: [0, 1],
  height: 180,
  names: LEARNER_NAMES,
  data: "series",
});

/** The mean of J over each learner's runs, by episode. */
export function drawLearning(curves: LearningRuns): Promise<string> {
  return renderVegaLite(learningSpec, learningDatasets(curves));
}

/** The fraction of each learner's runs whose policy has collapsed (J < 2), by episode. */
export function drawCollapse(curves: LearningRuns): Promise<string> {
  return renderVegaLite(collapseSpec, collapseDatasets(curves));
}

/**
 * The learning experiment's parameters, checked at its settings (LEARNING, which the chapter states and the
 * rate checks run) and the checks' master seed. A reader's runs cost 4 × runs × episodes episodes.
 */
function params(ctx: FigureContext): ParamDef[] {
  return [
    slider("stepSize", "step size α", [0.1, 0.2, 0.5, 1, 2], LEARNING.stepSize),
    slider("episodes", "episodes", [50, 100, 200, 300, 500], LEARNING.episodes),
    slider("runs", "runs", [10, 20, 50, 100, 200, 500], LEARNING.runs),
    seedParam(ctx.masterSeed),
  ];
}

export const figures: Record<string, FigureDef> = {
  "ch3-variance": {
    tags: ["eq 29", "eq 30"],
    render: variances,
    staticNote:
      "Not live: these variances are exact (every episode enumerated with its probability, at θ = 0), " +
      "so no seed or number of runs changes them.",
    alt: "Bars of the exact total variance of five single-episode gradient estimators, relative to the full-return estimator, on three small examples: repeated choice, stop-or-play and the checked answer. Reward-to-go is lower than the full return except on the checked answer, where they are equal; subtracting Vₜ lowers it further; (30) with exact advantages is lowest.",
  },
  "ch3-learning": liveFigure({
    tags: ["eq 29", "eq 30"],
    live: { params, spec: learningSpec, data: learningData },
    alt: "Learning curves of episodic REINFORCE on stop-or-play: the mean of J over seeded runs for the full return, the reward-to-go, a running baseline and the Vₜ baseline. Both baselines bring the mean close to 4 (always playing), the Vₜ baseline within a few episodes; without a baseline the mean levels off lower, pulled down by runs that learned to stop at once.",
  }),
  "ch3-collapse": liveFigure({
    tags: ["eq 29", "eq 30"],
    live: { params, spec: collapseSpec, data: collapseData },
    alt: "The fraction of the same runs whose policy earns J below 2 (it stops almost at once), by episode: all runs start there (the uniform policy earns about 1.49); it falls to zero with either baseline, and settles at a positive share without one, higher for the full return than for the reward-to-go.",
  }),
};
