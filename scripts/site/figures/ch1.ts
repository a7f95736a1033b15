/**
 * Chapter 1's figures (see index.ts): the runs of the book's experiment API under the checks' master
 * seed, exactly the runs the [fig 1] and [fig 2] checks make their claims about (reference
 * implementation); the step-size sweep is drawn from the counts its checks recorded.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  EXPERIMENT_SEED,
  FIGURE1,
  FIGURE2,
  FIGURE2_SWEEP,
  figure1Experiment,
  figure2Runs,
} from "../../../measure/bandits/experiments.ts";
import type { Run } from "../../../measure/bandits/run.ts";
import { referenceEngine } from "../../../src/bandits/index.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { HEIGHT, WIDTH, legendFor, palette, renderVegaLite } from "./plot.ts";

const EVERY = 10; // plot every 10th step: the curves are smooth at that resolution and the SVG stays small
const SHOWN = 5; // individual runs drawn
const PI0 = "πθ(0), probability of the optimal action";

function thin(xs: Float64Array): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let t = 0; t < xs.length; t += EVERY) out.push({ x: t, y: xs[t] });
  return out;
}

function meanOver(runs: Float64Array[]): Float64Array {
  const m = new Float64Array(runs[0].length);
  for (const v of runs) for (let t = 0; t < m.length; t++) m[t] += v[t] / runs.length;
  return m;
}

/** Thin lines of single runs and thick ones of means (`bold`), coloured by `series` in the order of `colors`. */
function lines(
  values: Record<string, unknown>[],
  yTitle: string,
  yDomain: [number, number] | null,
  colors: Record<string, string>,
  height: number,
): object {
  const names = Object.keys(colors);
  return {
    width: WIDTH,
    height,
    data: { values },
    mark: { type: "line", strokeWidth: 1.4 },
    encoding: {
      x: { field: "x", type: "quantitative", title: "step t" },
      y: {
        field: "y",
        type: "quantitative",
        title: yTitle,
        scale: yDomain ? { domain: yDomain, nice: false } : { zero: false },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: names, range: Object.values(colors) },
        legend: legendFor(names),
      },
      detail: { field: "run", type: "nominal" },
      strokeWidth: { field: "bold", type: "quantitative", scale: { domain: [0, 1], range: [0.8, 2.6] }, legend: null },
      opacity: { field: "bold", type: "quantitative", scale: { domain: [0, 1], range: [0.45, 1] }, legend: null },
    },
  };
}

/**
 * Figure 1 from its runs: the probability of the optimal action and the scores of the first five runs,
 * and the mean probability over all of them.
 */
export function drawFig1(runs: Pick<Run, "prob" | "scores">[]): Promise<string> {
  const probs: Record<string, unknown>[] = [];
  const scores: Record<string, unknown>[] = [];
  const mean = `mean of ${runs.length} runs`;
  runs.slice(0, SHOWN).forEach((r, i) => {
    for (const p of thin(r.prob)) probs.push({ ...p, series: "single runs", run: `r${i}`, bold: 0 });
    for (const p of thin(r.scores[0]))
      scores.push({ ...p, series: "θ₀ (optimal), single runs", run: `a${i}`, bold: 0 });
    for (const p of thin(r.scores[1])) scores.push({ ...p, series: "θ₁, single runs", run: `b${i}`, bold: 0 });
  });
  for (const p of thin(meanOver(runs.map((r) => r.prob)))) probs.push({ ...p, series: mean, run: "mean", bold: 1 });
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    vconcat: [
      lines(probs, PI0, [0, 1], { "single runs": palette[0], [mean]: palette[5] }, 170),
      lines(scores, "scores θ", null, { "θ₀ (optimal), single runs": palette[2], "θ₁, single runs": palette[1] }, 170),
    ],
    spacing: 24,
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec);
}

function fig1(ctx?: FigureContext): Promise<string> {
  return drawFig1(figure1Experiment({ seed: ctx?.masterSeed ?? EXPERIMENT_SEED, engine: referenceEngine }).results);
}

/** What Figure 2 draws of one learner: the probability of the optimal action in a few runs, and its mean over all. */
export interface Fig2Arm {
  shown: Float64Array[];
  mean: Float64Array;
}

/** Figure 2 from what it draws of each learner. */
export function drawFig2(arms: { none: Fig2Arm; "running-average": Fig2Arm }): Promise<string> {
  const values: Record<string, unknown>[] = [];
  const plain = "without baseline, update (1)";
  const based = "running-average baseline, update (13)";
  for (const [kind, series, key] of [
    ["none", plain, "p"],
    ["running-average", based, "b"],
  ] as const) {
    arms[kind].shown.forEach((prob, i) =>
      thin(prob).forEach((p) => values.push({ ...p, series, run: `${key}${i}`, bold: 0 })),
    );
    thin(arms[kind].mean).forEach((p) => values.push({ ...p, series, run: `${key}m`, bold: 1 }));
  }
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...lines(values, PI0, [0, 1], { [plain]: palette[1], [based]: palette[2] }, HEIGHT),
  } as TopLevelSpec);
}

function fig2(ctx?: FigureContext): Promise<string> {
  // the runs of figure2Experiment, one learner at a time (1100 runs of 4000 steps are 100 MB each)
  const arm = (kind: "none" | "running-average"): Fig2Arm => {
    const { runs } = figure2Runs(kind, { seed: ctx?.masterSeed ?? EXPERIMENT_SEED, engine: referenceEngine });
    return { shown: runs.slice(0, SHOWN).map((r) => r.prob), mean: meanOver(runs.map((r) => r.prob)) };
  };
  return drawFig2({ none: arm("none"), "running-average": arm("running-average") });
}

/** The sweep of Figure 2's step size, from the counts the slow-tier [fig 2] checks recorded (`fig2.sweep.<i>.…`). */
async function fig2Sweep(ctx?: FigureContext): Promise<string> {
  if (!ctx) throw new Error("the step-size sweep is drawn from the checks' facts: render it with a FigureContext");
  const n = Number(ctx.fact("fig2.sweep.count"));
  const runs = Number(ctx.fact("fig2.sweep.runs"));
  const label: Record<string, string> = { holds: "holds: ≥ 90%", fails: "fails: ≤ 80%", measured: "not claimed" };
  const points = Array.from({ length: n }, (_, i) => ({
    x: Number(ctx.fact(`fig2.sweep.${i}.stepSize`)),
    y: Number(ctx.fact(`fig2.sweep.${i}.reached`)) / runs,
    verdict: label[String(ctx.fact(`fig2.sweep.${i}.claim`))],
  }));
  const verdicts = Object.values(label);
  const xs = points.map((p) => p.x);
  const xDomain = [Math.min(...xs) / 1.25, Math.max(...xs) * 1.25];
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: points },
        mark: { type: "line", color: "#bbbbbb", strokeWidth: 1 },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { type: "log", domain: xDomain, nice: false } },
          y: { field: "y", type: "quantitative" },
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x: {
            field: "x",
            type: "quantitative",
            title: "step size α (log scale)",
            scale: { type: "log", domain: xDomain, nice: false },
            axis: { values: xs, labelOverlap: "greedy", grid: false },
          },
          y: {
            field: "y",
            type: "quantitative",
            title: `share of ${runs} runs with πθ(0) > 0.9 at the end`,
            scale: { domain: [0, 1], nice: false },
          },
          color: {
            field: "verdict",
            type: "nominal",
            title: null,
            scale: { domain: verdicts, range: [palette[2], palette[1], palette[5]] },
            legend: legendFor(verdicts),
          },
          shape: {
            field: "verdict",
            type: "nominal",
            title: null,
            scale: { domain: verdicts, range: ["circle", "square", "triangle"] },
            legend: legendFor(verdicts),
          },
        },
      },
      {
        data: { values: [{ y: 0.9 }] },
        mark: { type: "rule", strokeDash: [4, 3], color: palette[5] },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
    ],
  });
}

export const figures: Record<string, FigureDef> = {
  fig1: {
    tags: ["fig 1"],
    render: fig1,
    alt: `REINFORCE on the two-armed Bernoulli bandit with success probabilities ${FIGURE1.armProbabilities.join(" and ")}, step size ${FIGURE1.stepSize}: five single runs and the mean of ${FIGURE1.runs} runs of the probability of the optimal action, rising from 0.5 towards 1, and the two scores, the optimal one rising and the other falling.`,
  },
  fig2: {
    tags: ["fig 2"],
    render: fig2,
    alt: `REINFORCE on the bandit with success probabilities ${FIGURE2.armProbabilities.join(" and ")}, step size ${FIGURE2.stepSize}, ${FIGURE2.steps} steps: without a baseline the probability of the optimal action wanders and several runs lock onto the wrong arm; with the running-average baseline every shown run rises steadily to 1. Thin lines are single runs, thick lines the mean of ${FIGURE2.runs} runs.`,
  },
  "fig2-sweep": {
    tags: ["fig 2"],
    render: fig2Sweep,
    alt: `With the running-average baseline on the ${FIGURE2_SWEEP.armProbabilities.join("/")} bandit, the share of ${FIGURE2_SWEEP.runs} runs whose probability of the optimal action exceeds 0.9 after ${FIGURE2_SWEEP.steps} steps, at each step size from ${FIGURE2_SWEEP.stepSizes[0]} to ${FIGURE2_SWEEP.stepSizes.at(-1)}, with a dashed line at 90%: small at the smallest steps, above the line at the steps where the claim holds.`,
  },
};
