/**
 * Chapter 1's figures (see index.ts): the runs of the book's experiment API, exactly the runs the
 * [fig 1] and [fig 2] checks make their claims about (default seed, reference implementation).
 */
import type { TopLevelSpec } from "vega-lite";
import { figure1Experiment, figure2Experiment, type Run } from "../../src/chapter1.ts";
import type { FigureDef } from "./index.ts";
import { palette, renderVegaLite } from "./plot.ts";

const EVERY = 10; // plot every 10th step: the curves are smooth at that resolution and the SVG stays small
const SHOWN = 5; // individual runs drawn

function thin(xs: Float64Array): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let t = 0; t < xs.length; t += EVERY) out.push({ x: t, y: xs[t] });
  return out;
}

function meanOver(runs: Run[], pick: (r: Run) => Float64Array): Float64Array {
  const n = pick(runs[0]).length;
  const m = new Float64Array(n);
  for (const r of runs) {
    const v = pick(r);
    for (let t = 0; t < n; t++) m[t] += v[t] / runs.length;
  }
  return m;
}

function lines(values: Record<string, unknown>[], yTitle: string, yDomain: [number, number] | null, colors: Record<string, string>): object {
  return {
    width: 520,
    height: 200,
    data: { values },
    mark: { type: "line", strokeWidth: 1.4 },
    encoding: {
      x: { field: "x", type: "quantitative", title: "step t" },
      y: { field: "y", type: "quantitative", title: yTitle, scale: yDomain ? { domain: yDomain, nice: false } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, scale: { domain: Object.keys(colors), range: Object.values(colors) } },
      detail: { field: "run", type: "nominal" },
      strokeWidth: { field: "bold", type: "quantitative", scale: { domain: [0, 1], range: [0.8, 2.6] }, legend: null },
      opacity: { field: "bold", type: "quantitative", scale: { domain: [0, 1], range: [0.45, 1] }, legend: null },
    },
  };
}

async function fig1(): Promise<string> {
  const f = figure1Experiment();
  const probs: Record<string, unknown>[] = [];
  const scores: Record<string, unknown>[] = [];
  f.results.slice(0, SHOWN).forEach((r, i) => {
    for (const p of thin(r.prob)) probs.push({ ...p, series: "single runs", run: `r${i}`, bold: 0 });
    for (const p of thin(r.scores[0])) scores.push({ ...p, series: "θ₀ (optimal), single runs", run: `a${i}`, bold: 0 });
    for (const p of thin(r.scores[1])) scores.push({ ...p, series: "θ₁, single runs", run: `b${i}`, bold: 0 });
  });
  for (const p of thin(meanOver(f.results, (r) => r.prob))) probs.push({ ...p, series: `mean of ${f.runs} runs`, run: "mean", bold: 1 });
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    vconcat: [
      lines(probs, "π_θ(0), probability of the optimal action", [0, 1], { "single runs": palette[0], [`mean of ${f.runs} runs`]: palette[5] }),
      lines(scores, "scores θ", null, { "θ₀ (optimal), single runs": palette[2], "θ₁, single runs": palette[1] }),
    ],
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec);
}

async function fig2(): Promise<string> {
  const f = figure2Experiment();
  const values: Record<string, unknown>[] = [];
  const plain = "without baseline, update (1)";
  const based = "running-average baseline, update (13)";
  f.plain.slice(0, SHOWN).forEach((r, i) => thin(r.prob).forEach((p) => values.push({ ...p, series: plain, run: `p${i}`, bold: 0 })));
  f.baselined.slice(0, SHOWN).forEach((r, i) => thin(r.prob).forEach((p) => values.push({ ...p, series: based, run: `b${i}`, bold: 0 })));
  thin(meanOver(f.plain, (r) => r.prob)).forEach((p) => values.push({ ...p, series: plain, run: "pm", bold: 1 }));
  thin(meanOver(f.baselined, (r) => r.prob)).forEach((p) => values.push({ ...p, series: based, run: "bm", bold: 1 }));
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...lines(values, "π_θ(0), probability of the optimal action", [0, 1], { [plain]: palette[1], [based]: palette[2] }),
    height: 260,
  } as TopLevelSpec);
}

export const figures: Record<string, FigureDef> = {
  fig1: {
    tags: ["fig 1"],
    render: fig1,
    alt: "REINFORCE on the two-armed Bernoulli bandit with success probabilities 0.6 and 0.4, step size 0.05: five single runs and the mean of 200 runs of the probability of the optimal action, rising from 0.5 towards 1, and the two scores, the optimal one rising and the other falling.",
  },
  fig2: {
    tags: ["fig 2"],
    render: fig2,
    alt: "REINFORCE on the bandit with success probabilities 0.96 and 0.94, step size 0.25, 4000 steps: without a baseline the probability of the optimal action wanders and several runs lock onto the wrong arm; with the running-average baseline every shown run rises steadily to 1. Thin lines are single runs, thick lines the mean of 200 runs.",
  },
};
