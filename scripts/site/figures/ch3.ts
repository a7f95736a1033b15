/**
 * Chapter 3's figures (see index.ts): exact variances of the single-episode estimators on the small
 * examples, and learning curves of episodic REINFORCE — the very runs the [eq 29] and [eq 30] rate checks
 * of spec/3-total-return/3.5-collapse.slow.spec.ts count (same experiment, default master seed).
 */
import { collapsed, LEARNING, learningCurves, varianceTable } from "../../../measure/total-return/experiments.ts";
import { masterSeed } from "../../../measure/seed.ts";
import { chapter3Reference } from "../../../src/total-return/index.ts";
import type { EpisodicEstimator } from "../../../src/total-return/types.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { barChart, lineChart } from "./plot.ts";

const SEED = masterSeed();
const EVERY = 5;

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

const LEARNERS: [EpisodicEstimator, string][] = [
  ["full-return", "full return"],
  ["reward-to-go", "reward-to-go (29)"],
  ["running-baseline", "running baseline"],
  ["value-baseline", "Vₜ baseline (30)"],
];

/** The curves J(θℓ), ℓ = 0 … LEARNING.episodes, of each learner's runs. */
export type LearningRuns = Map<EpisodicEstimator, Float64Array[]>;

// the 4 × LEARNING.runs runs are shared by both learning figures (computed once per build), under the checks'
// master seed: runs 0 … LEARNING.runs − 1 of those the slow checks count
let cache: { seed: string; runs: LearningRuns } | undefined;
function runs(ctx?: FigureContext): LearningRuns {
  const seed = ctx?.masterSeed ?? SEED;
  if (cache?.seed !== seed) {
    const curves = (est: EpisodicEstimator) =>
      learningCurves(seed, est, LEARNING.runs, chapter3Reference.trainEpisodic);
    cache = { seed, runs: new Map(LEARNERS.map(([est]) => [est, curves(est)])) };
  }
  return cache.runs;
}

/** One line per learner: `stat` of its runs' J at every EVERY-th episode. */
function summary(curves: LearningRuns, stat: (col: number[]) => number) {
  return LEARNERS.map(([est, name]) => {
    const js = curves.get(est);
    if (!js?.length) throw new Error(`scripts/site/figures/ch3.ts: no runs of the learner "${est}"`);
    const x: number[] = [];
    const y: number[] = [];
    for (let l = 0; l <= LEARNING.episodes; l += EVERY) {
      x.push(l);
      y.push(stat(js.map((J) => J[l])));
    }
    return { name, x, y };
  });
}

/** The mean of J over each learner's runs, by episode. */
export function drawLearning(curves: LearningRuns): Promise<string> {
  const n = curves.get(LEARNERS[0][0])?.length ?? 0;
  const series = summary(curves, (col) => col.reduce((s, v) => s + v, 0) / col.length);
  return lineChart({ series, xTitle: "episode ℓ", yTitle: `mean J(θℓ) over ${n} runs`, yDomain: [1, 4.5] });
}

/** The fraction of each learner's runs whose policy has collapsed (J < 2), by episode. */
export function drawCollapse(curves: LearningRuns): Promise<string> {
  const series = summary(curves, (col) => col.filter((J) => collapsed(J)).length / col.length);
  return lineChart({
    series,
    xTitle: "episode ℓ",
    yTitle: "fraction of runs with J(θℓ) < 2",
    yDomain: [0, 1],
    height: 180,
  });
}

export const figures: Record<string, FigureDef> = {
  "ch3-variance": {
    tags: ["eq 29", "eq 30"],
    render: variances,
    alt: "Bars of the exact total variance of five single-episode gradient estimators, relative to the full-return estimator, on three small examples: repeated choice, stop-or-play and the checked answer. Reward-to-go is lower than the full return except on the checked answer, where they are equal; subtracting Vₜ lowers it further; (30) with exact advantages is lowest.",
  },
  "ch3-learning": {
    tags: ["eq 29", "eq 30"],
    render: (ctx) => drawLearning(runs(ctx)),
    alt: "Learning curves of episodic REINFORCE on stop-or-play: the mean of J over seeded runs for the full return, the reward-to-go, a running baseline and the Vₜ baseline. Both baselines bring the mean close to 4 (always playing), the Vₜ baseline within a few episodes; without a baseline the mean levels off lower, pulled down by runs that learned to stop at once.",
  },
  "ch3-collapse": {
    tags: ["eq 29", "eq 30"],
    render: (ctx) => drawCollapse(runs(ctx)),
    alt: "The fraction of the same runs whose policy earns J below 2 (it stops almost at once), by episode: all runs start there (the uniform policy earns about 1.49); it falls to zero with either baseline, and settles at a positive share without one, higher for the full return than for the reward-to-go.",
  },
};
