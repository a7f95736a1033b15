/**
 * Chapter 4's figures (see index.ts): the windowed policy of the notes' Figure 3, drawn from a model
 * trained on the chapter's task, and learning curves of each baseline from seeded runs.
 */
import type { TopLevelSpec } from "vega-lite";
import { learningCurves, TRAINING, trainingConfig, trainingTask } from "../../../measure/language-models/experiments.ts";
import { masterSeed } from "../../../measure/seed.ts";
import { lmPolicy, nextWindow } from "../../../src/language-models/model.ts";
import { trainLm } from "../../../src/language-models/train.ts";
import { substream } from "../../../src/contract/random.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { lineChart, palette, renderVegaLite } from "./plot.ts";

const SEED = masterSeed();

interface Box { x: number; y: number; label: string; fill: string }

/** Figure 3: S_t → πθ(·|S_t) → A_t → S_{t+1}, with the distribution of a model trained on the reverse task. */
async function policyDiagram(): Promise<string> {
  const task = trainingTask();
  const theta = trainLm(trainingConfig(task, "rloo"), substream(SEED, "fig3")).theta;
  const prompt = task.heldOut[1];
  const names = task.tokenNames;
  const p = lmPolicy(task.model, theta, prompt);
  let a = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[a]) a = k;
  const next = nextWindow(prompt, a);
  const N = prompt.length;
  const boxes: Box[] = [];
  prompt.forEach((t, i) => boxes.push({ x: i, y: 3, label: names[t], fill: i === 0 ? "#f3d0d5" : "#e8eef6" }));
  next.forEach((t, i) => boxes.push({ x: i + 1, y: 0, label: names[t], fill: i === N - 1 ? "#d3ecd9" : "#e8eef6" }));
  const bars = Array.from(p, (q, k) => ({ x: 7 + k * 0.5, y0: 1.6, y1: 1.6 + 2.2 * q, label: names[k], chosen: k === a }));
  const texts = [
    { x: (N - 1) / 2, y: 4.1, text: "context window S_t (N tokens, oldest on the left)" },
    { x: N / 2 + 0.5, y: -1.05, text: "S_t+1: oldest token dropped, A_t appended" },
    { x: 9.25, y: 4.1, text: "πθ(· | S_t) over the vocabulary" },
    { x: 5.6, y: 3.35, text: "model θ" },
    { x: 9.25, y: 0.55, text: `A_t ~ πθ(· | S_t): here ${names[a]}` },
    { x: 0, y: 0.9, text: "dropped" },
  ];
  const arrows = [
    { x: N - 0.4, y: 3, x2: 6.6, y2: 2.6 },
    { x: 7 + a * 0.5, y: 1.45, x2: N + 0.1, y2: 0.45 },
    { x: 0, y: 2.55, x2: 0, y2: 1.2 },
  ];
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 620,
    height: 300,
    config: { view: { stroke: null } },
    layer: [
      {
        data: { values: arrows },
        mark: { type: "rule", strokeWidth: 1.5, color: "#777777", strokeDash: [4, 3] },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, x2: { field: "x2" }, y2: { field: "y2" } },
      },
      {
        data: { values: arrows.map((r) => ({ x: r.x2, y: r.y2 })) },
        mark: { type: "point", shape: "circle", size: 40, filled: true, color: "#777777" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: boxes.map((b) => ({ ...b, x0: b.x - 0.45, x1: b.x + 0.45, y0: b.y - 0.45, y1: b.y + 0.45 })) },
        mark: { type: "rect", stroke: palette[5], strokeWidth: 1 },
        encoding: {
          x: { field: "x0", type: "quantitative", scale: { domain: [-0.6, 12.4] }, axis: null },
          x2: { field: "x1" },
          y: { field: "y0", type: "quantitative", scale: { domain: [-1.4, 4.4] }, axis: null },
          y2: { field: "y1" },
          fill: { field: "fill", type: "nominal", scale: null },
        },
      },
      {
        data: { values: boxes },
        mark: { type: "text", fontSize: 12 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "label" } },
      },
      {
        data: { values: [{ x0: 4.9, x1: 6.3, y0: 2.2, y1: 3.1 }] },
        mark: { type: "rect", fill: "#fbf3e4", stroke: palette[3], cornerRadius: 4 },
        encoding: { x: { field: "x0", type: "quantitative" }, x2: { field: "x1" }, y: { field: "y0", type: "quantitative" }, y2: { field: "y1" } },
      },
      {
        data: { values: bars.map((b) => ({ ...b, x0: b.x - 0.2, x1: b.x + 0.2 })) },
        mark: { type: "rect" },
        encoding: {
          x: { field: "x0", type: "quantitative" },
          x2: { field: "x1" },
          y: { field: "y0", type: "quantitative" },
          y2: { field: "y1" },
          color: { field: "chosen", type: "nominal", scale: { domain: [false, true], range: [palette[0], palette[2]] }, legend: null },
        },
      },
      {
        data: { values: bars },
        mark: { type: "text", angle: 90, align: "right", dx: 0, fontSize: 9 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y0", type: "quantitative" }, text: { field: "label" } },
      },
      {
        data: { values: texts },
        mark: { type: "text", fontSize: 11, color: "#333333" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  };
  // a diagram, not a chart: no axes on any layer, one shared coordinate frame
  for (const layer of spec.layer as unknown as { encoding: Record<string, Record<string, unknown>> }[]) {
    for (const ch of ["x", "y"]) layer.encoding[ch] = { ...layer.encoding[ch], axis: null, title: null };
  }
  return renderVegaLite(spec as unknown as TopLevelSpec);
}

const LABELS: Record<string, string> = {
  none: "none",
  running: "running avg",
  rloo: "RLOO",
  mean: "group mean",
  normalized: "normalized",
};
/**
 * The curves' runs, budget and interval are those the settings check of spec/4-language-models records
 * (and compares with the chapter's `::: figure` lines); G and α are the chapter's TRAINING settings.
 */
async function curves(zeroOne: boolean, ctx?: FigureContext): Promise<string> {
  if (!ctx) throw new Error("the learning-curve figures take their settings from the checks' facts");
  const num = (name: string) => Number(ctx.fact(name));
  const RUNS = num("ch4.curves.runs");
  const bs = ["none", "running", "rloo", "mean", "normalized"] as const;
  const c = learningCurves(trainLm, ctx.masterSeed, RUNS, bs, num("ch4.curves.budget"), num("ch4.curves.every"), zeroOne);
  return lineChart({
    series: bs.map((b) => ({ name: LABELS[b], x: c.episodes, y: c.mean[b] })),
    xTitle: `episodes (G = ${TRAINING.groupSize} responses per update, α = ${TRAINING.stepSize})`,
    yTitle: `held-out success, mean of ${RUNS} runs`,
    yDomain: [0, 1],
    height: 240,
  });
}

export const figures: Record<string, FigureDef> = {
  "lm-policy": {
    tags: ["fig 3", "sec 3.2"],
    render: policyDiagram,
    alt: "A context window of tokens feeds the model, which outputs a distribution over the vocabulary; the sampled token is appended to the window while the oldest token drops out.",
  },
  "lm-curves-pm1": {
    tags: ["sec 3.2"],
    render: (ctx) => curves(false, ctx),
    alt: "Held-out success against episodes for the five baselines with verdicts of plus or minus one: every baseline reaches high success, plain REINFORCE lags far behind.",
  },
  "lm-curves-01": {
    tags: ["sec 3.2"],
    render: (ctx) => curves(true, ctx),
    alt: "The same runs with verdicts of zero or one: plain REINFORCE is no longer behind.",
  },
};
