/**
 * Chapter 4's figures (see index.ts): the windowed policy of the notes' Figure 3, drawn from a model
 * trained on the chapter's task and again from the transformer the slow check trained (ch4-network.ts),
 * and learning curves of each baseline from seeded runs.
 */
import {
  learningCurves,
  TRAINING,
  trainingConfig,
  trainingTask,
} from "../../../measure/language-models/experiments.ts";
import { NETWORK, networkTask } from "../../../measure/language-models/network-experiments.ts";
import { masterSeed } from "../../../measure/seed.ts";
import { lmPolicy, nextWindow } from "../../../src/language-models/model.ts";
import { trainLm } from "../../../src/language-models/train.ts";
import { substream } from "../../../src/contract/random.ts";
import { drawNetwork, mostLikely, recordedNetwork } from "./ch4-network.ts";
import { type Box, drawDiagram, type Label, type Segment } from "./diagram.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { lineChart, palette } from "./plot.ts";

const SEED = masterSeed();

/** The diagram's frame: one data unit is one px, y pointing up. */
const W = 400;
const H = 318;
const BOX = 38; // side of a token's box
const PITCH = 44; // distance between the centres of neighbouring boxes
const ROW = 16; // distance between the distribution's rows
const BAR = 88; // length of a bar of probability 1
const GAP = 6; // between an arrowhead's centre and what it points at

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
  const a = mostLikely(p);
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
  return drawDiagram({ width: W, height: H, ...policyLayout(names, window, p) });
}

function policyDiagram(): Promise<string> {
  const task = trainingTask();
  const theta = trainLm(trainingConfig(task, "rloo"), substream(SEED, "fig3")).theta;
  const prompt = task.heldOut[1];
  return drawPolicy(task.tokenNames, prompt, lmPolicy(task.model, theta, prompt));
}

/** Figure 3 drawn from the transformer the slow check trained, on the held-out prompt it recorded. */
function networkDiagram(ctx?: FigureContext): Promise<string> {
  if (!ctx) throw new Error("the network figure reads the trained network from the checks' facts");
  const { theta, prompt } = recordedNetwork(ctx);
  return drawNetwork(networkTask().tokenNames, NETWORK.shape, theta, prompt);
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
  "lm-network": {
    tags: ["fig 3", "sec 3.2"],
    render: networkDiagram,
    alt: "Two panels, for a held-out prompt at the first step and two tokens later: the window of tokens; a triangular heatmap of the first layer's attention, each position's weights on itself and the positions before it; the last layer's weights of the newest position; and one bar per token for the next-token distribution, the most likely token, the one drawn, in green.",
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
