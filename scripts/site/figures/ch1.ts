/**
 * Chapter 1's figures (see index.ts): the runs of the book's experiment API under the checks' master
 * seed, exactly the runs the [fig 1] and [fig 2] checks make their claims about (reference
 * implementation); the step-size sweep is drawn from the counts its checks recorded. Figures 1 and 2 are
 * live (live-figure.ts): a reader reruns them in the page at another step size, length, number of runs or
 * seed; their data come from ch1-data.ts, their specs from here.
 */
import type { TopLevelSpec } from "vega-lite";
import { FIGURE1, FIGURE2, FIGURE2_SWEEP } from "../../../measure/bandits/experiments.ts";
import type { Run } from "../../../measure/bandits/run.ts";
import { seedParam, slider, type ParamDef } from "../live/params.ts";
import { FIG1_SERIES, FIG2_SERIES, fig1Data, fig1Datasets, fig2Data, fig2Datasets, type Fig2Arm } from "./ch1-data.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { liveFigure, type LiveFigure } from "./live-figure.ts";
import { HEIGHT, WIDTH, legendFor, palette, renderVegaLite } from "./plot.ts";

const PI0 = "πθ(0), probability of the optimal action";

/**
 * Thin lines of single runs and thick ones of means (`bold`), from the dataset `data`, coloured by `series`
 * in the order of `colors`.
 */
function lines(
  data: string,
  yTitle: string,
  yDomain: [number, number] | null,
  colors: Record<string, string>,
  height: number,
): object {
  const names = Object.keys(colors);
  return {
    width: WIDTH,
    height,
    data: { name: data },
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

/** Figure 1: πθ(0) of single runs and its mean (dataset "probs") above the scores θ of single runs ("scores"). */
const fig1Spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  vconcat: [
    lines("probs", PI0, [0, 1], { [FIG1_SERIES.single]: palette[0], [FIG1_SERIES.mean]: palette[5] }, 170),
    lines("scores", "scores θ", null, { [FIG1_SERIES.optimal]: palette[2], [FIG1_SERIES.other]: palette[1] }, 170),
  ],
  spacing: 24,
  resolve: { scale: { color: "independent" } },
} as TopLevelSpec;

/** Figure 2: πθ(0) of single runs and means of both learners (dataset "runs"). */
const fig2Spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  ...lines(
    "runs",
    PI0,
    [0, 1],
    { [FIG2_SERIES.none]: palette[1], [FIG2_SERIES["running-average"]]: palette[2] },
    HEIGHT,
  ),
} as TopLevelSpec;

/**
 * Figure 1 from its runs: the probability of the optimal action and the scores of the first five runs,
 * and the mean probability over all of them.
 */
export function drawFig1(runs: Pick<Run, "prob" | "scores">[]): Promise<string> {
  return renderVegaLite(fig1Spec, fig1Datasets(runs));
}

/** Figure 2 from what it draws of each learner. */
export function drawFig2(arms: { none: Fig2Arm; "running-average": Fig2Arm }): Promise<string> {
  return renderVegaLite(fig2Spec, fig2Datasets(arms));
}

/**
 * A bandit figure's parameters: its step size, steps, runs and seed, checked at the figure's settings (the
 * chapter states them, its [fig N] checks compare them) and the checks' master seed. A reader's runs cost
 * runs × steps REINFORCE steps, at most the checked figure's.
 */
function banditParams(
  checked: { stepSize: number; steps: number; runs: number },
  alternatives: { stepSize: number[]; steps: number[]; runs: number[] },
): (ctx: FigureContext) => ParamDef[] {
  return (ctx) => [
    slider("stepSize", "step size α", alternatives.stepSize, checked.stepSize),
    slider("steps", "steps", alternatives.steps, checked.steps),
    slider("runs", "runs", alternatives.runs, checked.runs),
    seedParam(ctx.masterSeed),
  ];
}

const fig1Live: LiveFigure = {
  params: banditParams(FIGURE1, {
    stepSize: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
    steps: [250, 500, 1000, 1500],
    runs: [10, 20, 50, 100, 200, 500, 1000],
  }),
  spec: fig1Spec,
  data: fig1Data,
};

const fig2Live: LiveFigure = {
  params: banditParams(FIGURE2, {
    stepSize: [...FIGURE2_SWEEP.stepSizes],
    steps: [500, 1000, 2000, 4000],
    runs: [10, 20, 50, 100, 200, 500, 1100],
  }),
  spec: fig2Spec,
  data: fig2Data,
};

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
  fig1: liveFigure({
    tags: ["fig 1"],
    live: fig1Live,
    alt: `REINFORCE on the two-armed Bernoulli bandit with success probabilities ${FIGURE1.armProbabilities.join(" and ")}, step size ${FIGURE1.stepSize}: five single runs and the mean of ${FIGURE1.runs} runs of the probability of the optimal action, rising from 0.5 towards 1, and the two scores, the optimal one rising and the other falling.`,
  }),
  fig2: liveFigure({
    tags: ["fig 2"],
    live: fig2Live,
    alt: `REINFORCE on the bandit with success probabilities ${FIGURE2.armProbabilities.join(" and ")}, step size ${FIGURE2.stepSize}, ${FIGURE2.steps} steps: without a baseline the probability of the optimal action wanders and several runs lock onto the wrong arm; with the running-average baseline every shown run rises steadily to 1. Thin lines are single runs, thick lines the mean of ${FIGURE2.runs} runs.`,
  }),
  "fig2-sweep": {
    tags: ["fig 2"],
    render: fig2Sweep,
    staticNote:
      `Not live: each point is the share of ${FIGURE2_SWEEP.runs} runs of ${FIGURE2_SWEEP.steps.toLocaleString("en-US")} steps ` +
      `that the slow tier's checks counted, ${FIGURE2_SWEEP.stepSizes.length} step sizes in all, minutes of computing. ` +
      "Figure 2's own controls above rerun one step size in the page.",
    alt: `With the running-average baseline on the ${FIGURE2_SWEEP.armProbabilities.join("/")} bandit, the share of ${FIGURE2_SWEEP.runs} runs whose probability of the optimal action exceeds 0.9 after ${FIGURE2_SWEEP.steps} steps, at each step size from ${FIGURE2_SWEEP.stepSizes[0]} to ${FIGURE2_SWEEP.stepSizes.at(-1)}, with a dashed line at 90%: small at the smallest steps, above the line at the steps where the claim holds.`,
  },
};
