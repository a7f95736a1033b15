/**
 * Figure 3 drawn from the book's transformer (`lm-network`): for a held-out prompt, the window Sₜ, the
 * attention weights of each layer and the next-token distribution πθ(· | Sₜ), at the first step and again two
 * tokens into the answer, when the window has shifted. The network is the one the slow check of
 * spec/4-language-models trained, read from the facts it recorded: training it here would take a minute.
 *
 * All layers but the last are drawn whole, as heatmaps (row i: the query position, column j ≤ i: the key),
 * since every row feeds the next layer; of the last layer only the newest position's row is drawn, the one
 * row that reaches the logits.
 */
import { decodeTheta, NETWORK } from "../../../measure/language-models/network-experiments.ts";
import { nextWindow } from "../../../src/language-models/model.ts";
import { netForward, type NetTrace } from "../../../src/language-models/network/forward.ts";
import { netParamCount, type NetShape } from "../../../src/language-models/network/shape.ts";
import { type Box, type Cell, DIAGRAM_TEXT, drawDiagram, type Label } from "./diagram.ts";
import type { FigureContext } from "./index.ts";
import { palette } from "./plot.ts";
import { textWidth } from "./text-width.ts";

/** The token the figures draw as Aₜ: the most likely one (the first of equals). */
export function mostLikely(p: ArrayLike<number>): number {
  let a = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[a]) a = k;
  return a;
}

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
/** `n` in subscript digits: S₁₂ for step 12. */
function sub(n: number): string {
  return [...String(n)].map((c) => SUBSCRIPT[Number(c)]).join("");
}

/** The frame (px, y down): W wide; the columns of the window and the heatmaps start at LEFT. */
const W = 426;
const LEFT = 42;
const ROW = 15; // a heatmap row
const GAP = 22; // between two panels, with a line across its middle
const BAR = 48; // height of a bar of probability 1
const BAR_W = 20;
/** Colours: the newest position's outline, a token drawn, a plain token's box, a cell's grid line. */
const NEWEST = palette[1];
const DRAWN = palette[2];
const DRAWN_FILL = "#d3ecd9";
const PLAIN = { fill: "#e8eef6", stroke: palette[5] };
const GRID = "#d4d4d4";
const TEXT = "#222222";
const MUTED = "#555555";

/** A weight in [0, 1] as a colour from white (0) to the palette's blue (1). */
function weightColor(w: number): string {
  const blue = palette[0];
  const hex = [1, 3, 5].map((k) => {
    const c = parseInt(blue.slice(k, k + 2), 16);
    return Math.round(255 + (c - 255) * Math.min(1, Math.max(0, w)))
      .toString(16)
      .padStart(2, "0");
  });
  return `#${hex.join("")}`;
}

/** Text on a cell of weight w: white where the cell is dark. */
const inkOn = (w: number) => (w > 0.55 ? "#ffffff" : TEXT);

/** Throw when a label laid out in a free region of `room` px would not fit in it (a layout error, named). */
function fits(text: string, room: number, bold = false): string {
  const w = textWidth(text, DIAGRAM_TEXT, bold ? 600 : undefined);
  if (w > room)
    throw new Error(`lm-network: the label "${text}" is ${w.toFixed(0)} px wide, its place ${room.toFixed(0)} px`);
  return text;
}

interface Parts {
  cells: Cell[];
  boxes: Box[];
  labels: Label[];
}

/**
 * One panel, its top at `top`: the title, the window Sₜ (the tokens drawn so far filled green), a heatmap per
 * layer but the last, the last layer's newest row, and πθ(· | Sₜ) as one bar per token (Aₜ in green). The
 * newest position is outlined in red wherever it appears. Adds its parts to `out`; returns its height.
 */
function panel(names: string[], trace: NetTrace, t: number, drawn: number[], top: number, out: Parts): number {
  const { window: N, layers: L, vocab: V } = trace.shape;
  const window = trace.window;
  const pitch = (W - LEFT) / N;
  const cx = (j: number) => LEFT + (j + 0.5) * pitch;
  const rowLabel = (text: string, y: number) =>
    out.labels.push({ x: LEFT - 4, y, text: fits(text, LEFT - 4), align: "right" });
  const newest = `t = ${t}: the newest position, ${N - 1} (${names[window[N - 1]]})`;
  const outline = (x0: number, y0: number, x1: number, y1: number) =>
    out.cells.push({ x0, y0, x1, y1, fill: "none", stroke: NEWEST, strokeWidth: 2, description: newest });
  const S = `S${sub(t)}`;
  const a = mostLikely(trace.policy);
  const history = drawn.map((d, k) => `A${sub(k)} = ${names[d]}`).join(" and ");
  out.labels.push({
    x: 0,
    y: top + 7,
    text: fits(t === 0 ? `t = 0: the window ${S} is the prompt` : `t = ${t}: ${S}, after ${history}`, W, true),
    align: "left",
    bold: true,
  });

  // the window: box j under column j; the last t tokens are the ones drawn so far
  const boxTop = top + 16;
  const boxH = 24;
  rowLabel(S, boxTop + boxH / 2);
  outline(cx(N - 1) - pitch / 2 + 0.5, boxTop - 2, cx(N - 1) + pitch / 2 - 0.5, boxTop + boxH + 2);
  window.forEach((token, j) =>
    out.boxes.push({
      x: cx(j),
      y: boxTop + boxH / 2,
      w: pitch - 4,
      h: boxH,
      label: fits(names[token], pitch - 8),
      ...PLAIN,
      ...(j >= N - t ? { fill: DRAWN_FILL } : {}),
    }),
  );
  let y = boxTop + boxH + 6;

  // every layer but the last, whole: row i at y + i·ROW, cells j ≤ i only (the causal mask)
  for (let l = 0; l < L - 1; l++) {
    const att = trace.layers[l].attention;
    for (let i = 0; i < N; i++) {
      const y0 = y + i * ROW;
      rowLabel(names[window[i]], y0 + ROW / 2);
      for (let j = 0; j <= i; j++) {
        const w = att[i * N + j];
        out.cells.push({
          x0: cx(j) - pitch / 2,
          y0,
          x1: cx(j) + pitch / 2,
          y1: y0 + ROW,
          fill: weightColor(w),
          stroke: GRID,
          strokeWidth: 1,
          description: `t = ${t}, layer ${l + 1}: the weight position ${i} (${names[window[i]]}) puts on position ${j} (${names[window[j]]}) is ${w.toFixed(3)}`,
        });
        if (i === N - 1)
          out.labels.push({ x: cx(j), y: y0 + ROW / 2, text: w.toFixed(2), align: "center", color: inkOn(w) });
      }
    }
    outline(LEFT, y + (N - 1) * ROW, W, y + N * ROW);
    // in the empty upper triangle: what a row is, and the colour scale
    const free = (i: number) => W - cx(i + 1) + pitch / 2 - 6;
    out.labels.push(
      { x: W, y: y + ROW / 2, text: fits(`layer ${l + 1}: row i holds the weights`, free(0)), align: "right" },
      { x: W, y: y + 1.5 * ROW, text: fits("position i puts on each column j ≤ i", free(1)), align: "right" },
    );
    const swatch = 16;
    const scaleX = W - textWidth("1", DIAGRAM_TEXT) - 4 - 5 * swatch;
    const legendY = y + 3 * ROW + 3;
    if (scaleX - textWidth("weight 0", DIAGRAM_TEXT) - 4 < W - free(3))
      throw new Error("lm-network: the weight legend does not fit beside the heatmap");
    for (let k = 0; k < 5; k++)
      out.cells.push({
        x0: scaleX + k * swatch,
        y0: legendY,
        x1: scaleX + (k + 1) * swatch,
        y1: legendY + ROW - 3,
        fill: weightColor(k / 4),
        stroke: GRID,
        strokeWidth: 1,
        description: `the colour of weight ${k / 4}`,
      });
    out.labels.push(
      { x: scaleX - 4, y: legendY + (ROW - 3) / 2, text: "weight 0", align: "right", color: MUTED },
      { x: W, y: legendY + (ROW - 3) / 2, text: "1", align: "right", color: MUTED },
    );
    y += N * ROW + 6;
  }

  // the last layer: the newest position's row only
  y += 8;
  out.labels.push({
    x: 0,
    y,
    text: fits(`layer ${L}: the newest position's weights, the only row that reaches πθ`, W),
    align: "left",
  });
  y += 8;
  const last = trace.layers[L - 1].attention;
  rowLabel(names[window[N - 1]], y + ROW / 2 + 0.5);
  for (let j = 0; j < N; j++) {
    const w = last[(N - 1) * N + j];
    out.cells.push({
      x0: cx(j) - pitch / 2,
      y0: y,
      x1: cx(j) + pitch / 2,
      y1: y + ROW + 1,
      fill: weightColor(w),
      stroke: GRID,
      strokeWidth: 1,
      description: `t = ${t}, layer ${L}: the weight position ${N - 1} (${names[window[N - 1]]}) puts on position ${j} (${names[window[j]]}) is ${w.toFixed(3)}`,
    });
    out.labels.push({ x: cx(j), y: y + ROW / 2 + 0.5, text: w.toFixed(2), align: "center", color: inkOn(w) });
  }
  outline(LEFT, y, W, y + ROW + 1);
  y += ROW + 1;

  // πθ(· | Sₜ): bar k centred in the k-th of V equal columns, its value above it, its token below
  y += 14;
  const head = `πθ(· | ${S})`;
  const room = W - textWidth(head, DIAGRAM_TEXT) - 16;
  out.labels.push(
    { x: 0, y, text: head, align: "left" },
    { x: W, y, text: fits(`drawn: A${sub(t)} = ${names[a]}, the most likely`, room), align: "right", color: DRAWN },
  );
  const base = y + 22 + BAR; // room for a value above a bar of probability 1
  const col = W / V;
  Array.from(trace.policy).forEach((p, k) => {
    const x = (k + 0.5) * col;
    const color = k === a ? DRAWN : palette[0];
    out.cells.push({
      x0: x - BAR_W / 2,
      y0: base - BAR * p,
      x1: x + BAR_W / 2,
      y1: base,
      fill: color,
      stroke: "none",
      strokeWidth: 0,
      description: `πθ(${names[k]} | ${S}) = ${p.toFixed(3)}`,
    });
    if (p >= 0.005) out.labels.push({ x, y: base - BAR * p - 7, text: p.toFixed(2), align: "center", color });
    out.labels.push({ x, y: base + 9, text: fits(names[k], col - 4), align: "center", color: k === a ? DRAWN : TEXT });
  });
  out.cells.push({
    x0: 0,
    y0: base,
    x1: W,
    y1: base + 0.5,
    fill: MUTED,
    stroke: "none",
    strokeWidth: 0,
    description: "probability 0",
  });
  return base + 18 - top;
}

/** The figure for a network, a prompt and the steps shown: one panel per step, the tokens drawn the most likely. */
export function drawNetwork(
  names: string[],
  shape: NetShape,
  theta: Float64Array,
  prompt: number[],
  steps: number[] = [0, 2],
): Promise<string> {
  const out: Parts = { cells: [], boxes: [], labels: [] };
  let window = prompt;
  const drawn: number[] = [];
  let top = 0;
  for (let t = 0; t <= Math.max(...steps); t++) {
    const trace = netForward(shape, theta, window);
    if (steps.includes(t)) {
      if (top > 0)
        out.cells.push({
          x0: 0,
          y0: top - GAP / 2,
          x1: W,
          y1: top - GAP / 2 + 0.5,
          fill: GRID,
          stroke: "none",
          strokeWidth: 0,
          description: `the line between step ${t} and the step before it`,
        });
      top += panel(names, trace, t, drawn, top, out) + GAP;
    }
    const a = mostLikely(trace.policy);
    drawn.push(a);
    window = nextWindow(window, a);
  }
  return drawDiagram({ width: W, height: top - GAP, down: true, segments: [], ...out });
}

const THETA = "ch4.network.theta";
const PROMPT = "ch4.network.prompt";

/** The trained θ and the prompt the slow check recorded, checked against NETWORK.shape; errors name the fact. */
export function recordedNetwork(ctx: FigureContext): { theta: Float64Array; prompt: number[] } {
  const shape = NETWORK.shape;
  const text = ctx.fact(THETA);
  if (typeof text !== "string" || text === "")
    throw new Error(
      `the fact "${THETA}" holds no network (${JSON.stringify(text)}): no run of its check reached the target`,
    );
  let theta: Float64Array;
  try {
    theta = decodeTheta(text);
  } catch (e) {
    throw new Error(`the fact "${THETA}" is not a θ: ${(e as Error).message}`, { cause: e });
  }
  const size = netParamCount(shape);
  if (theta.length !== size)
    throw new Error(`the fact "${THETA}" holds ${theta.length} numbers, the network of NETWORK.shape has ${size}`);
  const bad = theta.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`the fact "${THETA}" has a non-finite θ[${bad}] = ${theta[bad]}`);
  const raw = String(ctx.fact(PROMPT));
  const prompt = raw.split(",").map(Number);
  if (prompt.length !== shape.window || prompt.some((k) => !Number.isInteger(k) || k < 0 || k >= shape.vocab))
    throw new Error(
      `the fact "${PROMPT}" is "${raw}", not ${shape.window} token ids in 0 … ${shape.vocab - 1} joined by commas`,
    );
  return { theta, prompt };
}
