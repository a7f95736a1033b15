/**
 * Chapter 3's figures (see index.ts): exact variances of the single-episode estimators on the small
 * examples, and learning curves of episodic REINFORCE — the very runs the [eq 29] and [eq 30] rate checks
 * of spec/3-total-return/3.1-learning.slow.spec.ts count (same experiment, default master seed).
 */
import { collapsed, LEARNING, learningCurves, varianceTable } from "../../src/episodic/experiments.ts";
import type { EpisodicEstimator } from "../../src/episodic/types.ts";
import type { FigureDef } from "./index.ts";
import { barChart, lineChart } from "./plot.ts";

const SEED = process.env.PGBOOK_SEED?.trim() && process.env.PGBOOK_SEED !== "random" ? process.env.PGBOOK_SEED.trim() : "20251117";
const EVERY = 5;

async function variances(): Promise<string> {
  const short: Record<string, string> = {
    "repeated choice (T = 3)": "repeated choice",
    "stop or play (T = 4)": "stop or play",
    "checked answer (T = 3)": "checked answer",
  };
  const rows = varianceTable().map((r) => ({ ...r, example: short[r.example] ?? r.example }));
  const full = new Map(rows.filter((r) => r.estimator === "full return").map((r) => [r.example, r.variance]));
  return barChart({
    bars: rows.map((r) => ({ category: r.example, group: r.estimator, value: r.variance / full.get(r.example)! })),
    xTitle: "example (uniform policy, θ = 0; horizons 3, 4, 3)",
    yTitle: "total variance ÷ that of the full return",
    height: 260,
  });
}

const LEARNERS: [EpisodicEstimator, string][] = [
  ["full-return", "full return"],
  ["reward-to-go", "reward-to-go (29)"],
  ["running-baseline", "running baseline"],
  ["value-baseline", "V_t baseline (30)"],
];

// the 4 × 500 runs are shared by both learning figures (computed once per build)
let cache: Map<EpisodicEstimator, Float64Array[]> | undefined;
function runs(): Map<EpisodicEstimator, Float64Array[]> {
  cache ??= new Map(LEARNERS.map(([est]) => [est, learningCurves(SEED, est)]));
  return cache;
}

function summary(stat: (col: number[]) => number) {
  return LEARNERS.map(([est, name]) => {
    const curves = runs().get(est)!;
    const x: number[] = [];
    const y: number[] = [];
    for (let l = 0; l <= LEARNING.episodes; l += EVERY) {
      x.push(l);
      y.push(stat(curves.map((J) => J[l])));
    }
    return { name, x, y };
  });
}

async function learning(): Promise<string> {
  const series = summary((col) => col.reduce((s, v) => s + v, 0) / col.length);
  return lineChart({ series, xTitle: "episode ℓ", yTitle: `mean J(θ_ℓ) over ${LEARNING.runs} runs`, yDomain: [1, 4.5], height: 240 });
}

async function collapse(): Promise<string> {
  const series = summary((col) => col.filter((J) => collapsed(J)).length / col.length);
  return lineChart({ series, xTitle: "episode ℓ", yTitle: "fraction of runs with J(θ_ℓ) < 2", yDomain: [0, 1], height: 200 });
}

export const figures: Record<string, FigureDef> = {
  "ch3-variance": {
    tags: ["eq 29", "eq 30"],
    render: variances,
    alt: "Bars of the exact total variance of five single-episode gradient estimators, relative to the full-return estimator, on three small examples: repeated choice, stop-or-play and the checked answer. Reward-to-go is lower than the full return except on the checked answer, where they are equal; subtracting V_t lowers it further; (30) with exact advantages is lowest.",
  },
  "ch3-learning": {
    tags: ["eq 29", "eq 30"],
    render: learning,
    alt: "Learning curves of episodic REINFORCE on stop-or-play with horizon 8, step size 1, over 300 episodes: the mean of J over 500 seeded runs for the full return, the reward-to-go, a running baseline and the V_t baseline. With the V_t baseline the mean passes 3.9 at episode 9, with the running baseline at episode 65; the reward-to-go levels off near 3.8 and the full return near 3.4, pulled down by runs that learned to stop at once.",
  },
  "ch3-collapse": {
    tags: ["eq 29", "eq 30"],
    render: collapse,
    alt: "The fraction of the same 500 runs whose policy earns J below 2 (it stops almost at once), by episode: all runs start there (the uniform policy earns about 1.49); it falls to zero by episode 2 with the V_t baseline and by episode 133 with the running baseline; it settles near 8% for the reward-to-go and near 19% for the full return.",
  },
};
