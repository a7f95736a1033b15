/**
 * Chapter 4's figures (see index.ts): the windowed policy of the notes' Figure 3, drawn from a model
 * trained on the chapter's task, and learning curves of each baseline from seeded runs.
 */
import type { TopLevelSpec } from "vega-lite";
import {
  learningCurves,
  TRAINING,
  trainingConfig,
  trainingTask,
} from "../../../measure/language-models/experiments.ts";
import { masterSeed } from "../../../measure/seed.ts";
import { lmPolicy, nextWindow } from "../../../src/language-models/model.ts";
import { trainLm } from "../../../src/language-models/train.ts";
import { substream } from "../../../src/contract/random.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { lineChart, palette, renderVegaLite } from "./plot.ts";

const SEED = masterSeed();

/** The diagram's frame: one data unit is one px, y pointing up. */
const W = 400;
const H = 318;
const BOX = 38; // side of a token's box
const PITCH = 44; // distance between the centres of neighbouring boxes
const ROW = 16; // distance between the distribution's rows
const BAR = 88; // length of a bar of probability 1
const GAP = 6; // between an arrowhead's centre and what it points at

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  fill: string;
  stroke: string;
}
/** A line from (x, y) to (x2, y2); `head` puts an arrowhead at (x2, y2) pointing that way. */
interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
  head?: "triangle-right" | "triangle-left" | "triangle-down";
}
interface Label {
  x: number;
  y: number;
  text: string;
  align: "left" | "center" | "right";
  color?: string;
}

/**
 * The layout of Figure 3: the window Sₜ (top left) enters the model (below it), whose distribution πθ(·|Sₜ)
 * over the vocabulary is drawn as one bar per token (right); the token Aₜ drawn (the most likely here) is
 * appended to the window, whose oldest token drops out, giving Sₜ₊₁ (bottom).
 */
function policyLayout(
  names: string[],
  window: number[],
  p: ArrayLike<number>,
): { boxes: Box[]; segments: Segment[]; labels: Label[] } {
  let a = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[a]) a = k;
  const next = nextWindow(window, a);
  const N = window.length;
  const plain = { fill: "#e8eef6", stroke: palette[5] };
  const top = 262; // the window's row
  const bottom = 52; // the next window's row
  const cx = (i: number) => 4 + BOX / 2 + i * PITCH; // centre of the window's i-th box
  const boxes: Box[] = [];
  window.forEach((t, i) =>
    boxes.push({
      x: cx(i),
      y: top,
      w: BOX,
      h: BOX,
      label: names[t],
      ...plain,
      ...(i === 0 ? { fill: "#f3d0d5" } : {}),
    }),
  );
  next.forEach((t, i) =>
    boxes.push({
      x: cx(i + 1),
      y: bottom,
      w: BOX,
      h: BOX,
      label: names[t],
      ...plain,
      ...(i === N - 1 ? { fill: "#d3ecd9" } : {}),
    }),
  );
  const model = {
    x: (cx(0) + cx(N - 1)) / 2,
    y: 172,
    w: 90,
    h: 34,
    label: "model θ",
    fill: "#fbf3e4",
    stroke: palette[3],
  };
  boxes.push(model);
  // the distribution: row k at rowY(k), its token right-aligned at labelX, its bar from barX
  const barX = W - 12 - BAR;
  const labelX = barX - 6;
  const rowY = (k: number) => H - 36 - k * ROW;
  const margin = W - 6;
  const below = top - BOX / 2 - 3;
  const segments: Segment[] = [
    { x: model.x, y: below, x2: model.x, y2: model.y + model.h / 2 + GAP, head: "triangle-down" },
    { x: model.x + model.w / 2 + 3, y: model.y, x2: labelX - 40, y2: model.y, head: "triangle-right" },
    { x: cx(0), y: below, x2: cx(0), y2: 156, head: "triangle-down" },
    // Aₜ: from the end of its bar to the right margin, down, and left into the new window's last box
    { x: barX + BAR * p[a] + 4, y: rowY(a), x2: margin, y2: rowY(a) },
    { x: margin, y: rowY(a), x2: margin, y2: bottom },
    { x: margin, y: bottom, x2: cx(N) + BOX / 2 + GAP, y2: bottom, head: "triangle-left" },
  ];
  const labels: Label[] = [
    { x: 4, y: top + BOX / 2 + 14, text: "context window Sₜ, oldest token first", align: "left" },
    { x: barX, y: H - 14, text: "πθ(· | Sₜ)", align: "left" },
    { x: 4, y: 142, text: "dropped", align: "left" },
    { x: (cx(N) + BOX / 2 + margin) / 2, y: bottom + 14, text: `Aₜ ~ πθ(· | Sₜ): here ${names[a]}`, align: "center" },
    { x: cx(1) - BOX / 2, y: bottom - BOX / 2 - 14, text: "Sₜ₊₁: oldest token dropped, Aₜ appended", align: "left" },
  ];
  names.forEach((name, k) =>
    labels.push({ x: labelX, y: rowY(k), text: name, align: "right", ...(k === a ? { color: palette[2] } : {}) }),
  );
  Array.from(p).forEach((q, k) =>
    boxes.push({
      x: barX + (BAR * q) / 2,
      y: rowY(k),
      w: BAR * q,
      h: ROW - 5,
      label: "",
      fill: k === a ? palette[2] : palette[0],
      stroke: "none",
    }),
  );
  return { boxes, segments, labels };
}

/** Figure 3: Sₜ → πθ(·|Sₜ) → Aₜ → Sₜ₊₁, with the distribution of a model trained on the reverse task. */
function drawPolicy(names: string[], window: number[], p: ArrayLike<number>): Promise<string> {
  const { boxes, segments, labels } = policyLayout(names, window, p);
  const x = {
    type: "quantitative",
    scale: { domain: [0, W], nice: false, zero: false },
    axis: null,
    title: null,
  } as const;
  const y = {
    type: "quantitative",
    scale: { domain: [0, H], nice: false, zero: false },
    axis: null,
    title: null,
  } as const;
  const ink = "#555555";
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: W,
    height: H,
    config: { view: { stroke: null } },
    layer: [
      {
        data: {
          values: boxes.map((b) => ({
            ...b,
            x0: b.x - b.w / 2,
            x1: b.x + b.w / 2,
            y0: b.y - b.h / 2,
            y1: b.y + b.h / 2,
          })),
        },
        mark: { type: "rect", strokeWidth: 1, cornerRadius: 2 },
        encoding: {
          x: { field: "x0", ...x },
          x2: { field: "x1" },
          y: { field: "y0", ...y },
          y2: { field: "y1" },
          fill: { field: "fill", type: "nominal", scale: null },
          stroke: { field: "stroke", type: "nominal", scale: null },
        },
      },
      {
        data: { values: boxes.filter((b) => b.label) },
        mark: { type: "text", fontSize: 12, baseline: "middle" },
        encoding: { x: { field: "x", ...x }, y: { field: "y", ...y }, text: { field: "label" } },
      },
      {
        data: { values: segments },
        mark: { type: "rule", strokeWidth: 1.5, color: ink },
        encoding: { x: { field: "x", ...x }, y: { field: "y", ...y }, x2: { field: "x2" }, y2: { field: "y2" } },
      },
      {
        data: { values: segments.filter((s) => s.head) },
        mark: { type: "point", filled: true, size: 60, opacity: 1, color: ink },
        encoding: {
          x: { field: "x2", ...x },
          y: { field: "y2", ...y },
          shape: { field: "head", type: "nominal", scale: null },
        },
      },
      ...(["left", "center", "right"] as const).map((align) => ({
        data: { values: labels.filter((l) => l.align === align).map((l) => ({ ...l, color: l.color ?? "#222222" })) },
        mark: { type: "text", fontSize: 12, align, baseline: "middle" },
        encoding: {
          x: { field: "x", ...x },
          y: { field: "y", ...y },
          text: { field: "text" },
          color: { field: "color", type: "nominal", scale: null },
        },
      })),
    ],
  };
  return renderVegaLite(spec as unknown as TopLevelSpec);
}

function policyDiagram(): Promise<string> {
  const task = trainingTask();
  const theta = trainLm(trainingConfig(task, "rloo"), substream(SEED, "fig3")).theta;
  const prompt = task.heldOut[1];
  return drawPolicy(task.tokenNames, prompt, lmPolicy(task.model, theta, prompt));
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
  const c = learningCurves(
    trainLm,
    ctx.masterSeed,
    RUNS,
    bs,
    num("ch4.curves.budget"),
    num("ch4.curves.every"),
    zeroOne,
  );
  return lineChart({
    series: bs.map((b) => ({ name: LABELS[b], x: c.episodes, y: c.mean[b] })),
    xTitle: `episodes (G = ${TRAINING.groupSize} responses per update, α = ${TRAINING.stepSize})`,
    yTitle: `held-out success, mean of ${RUNS} runs`,
    yDomain: [0, 1],
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
