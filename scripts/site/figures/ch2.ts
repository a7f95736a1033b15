/**
 * Chapter 2's figures (see index.ts): the actor-critic runs of `actorCriticExperiment` — the first runs
 * of those the slow-tier [eq 24] check makes its claim about: its seed, α, β and steps are read from the
 * facts that check recorded (reference code), and the trace interval from its settings check.
 */
import { actorCriticExperiment } from "../../../measure/average-return/experiments.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { HEIGHT, WIDTH, legendFor, palette, renderVegaLite } from "./plot.ts";
import { runActorCritic } from "../../../src/average-return/td.ts";

const SHOWN = 8;
const RUNS = "λθ of single runs (exact)";
const OPT = "λ* = 5/7";

async function actorCriticGain(ctx?: FigureContext): Promise<string> {
  if (!ctx) throw new Error("the actor-critic figure draws the checked runs: it needs the facts of the checks");
  // run i of the figure is run i of the check (actorCriticExperiment derives run i's stream from the seed
  // and i); tracing the exact gain more often draws nothing from the stream
  const num = (name: string) => Number(ctx.fact(name));
  const e = actorCriticExperiment({
    seed: String(ctx.fact("ch2.actorCritic.seed")),
    runs: SHOWN,
    run: runActorCritic,
    alpha: num("ch2.actorCritic.alpha"),
    beta: num("ch2.actorCritic.beta"),
    steps: num("ch2.actorCritic.steps"),
    every: num("ch2.actorCritic.traceEvery"),
  });
  const values: Record<string, unknown>[] = [];
  e.runs.forEach((r, i) => {
    for (const p of r.trace) values.push({ x: p.t, y: p.gain, series: RUNS, run: `r${i}` });
  });
  for (const t of [0, e.steps]) values.push({ x: t, y: e.optimalGain, series: OPT, run: "opt" });
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: "line", strokeWidth: 1.3 },
    encoding: {
      x: { field: "x", type: "quantitative", title: "step t" },
      y: { field: "y", type: "quantitative", title: "gain λθ", scale: { domain: [0.3, 0.75], nice: false } },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: [RUNS, OPT], range: [palette[0], palette[1]] },
        legend: legendFor([RUNS, OPT]),
      },
      strokeDash: {
        field: "series",
        type: "nominal",
        legend: legendFor([RUNS, OPT]),
        scale: {
          domain: [RUNS, OPT],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
      detail: { field: "run", type: "nominal" },
    },
  });
}

export const figures: Record<string, FigureDef> = {
  "actor-critic-gain": {
    tags: ["eq 24"],
    render: actorCriticGain,
    alt: "Single runs of the tabular actor-critic on the home/work MDP: the exact gain of the current policy rises from 11/34 ≈ 0.32 to close to the optimal gain 5/7 ≈ 0.714 (dashed line).",
  },
};
