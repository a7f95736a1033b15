/**
 * Chapter 2's figures (see index.ts): the actor-critic runs of `actorCriticExperiment` — the first runs
 * of those the slow-tier [eq 24] check makes its claim about: its seed, α, β and steps are read from the
 * facts that check recorded (reference code), and the trace interval from its settings check. The figure
 * is live (live-figure.ts): its data come from ch2-data.ts, its spec from here.
 */
import { seedParam, slider, type ParamDef } from "../live/params.ts";
import { AC_SERIES, actorCriticData } from "./ch2-data.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { liveFigure, type LiveFigure } from "./live-figure.ts";
import { HEIGHT, WIDTH, legendFor, palette } from "./plot.ts";

const NAMES = [AC_SERIES.runs, AC_SERIES.optimal];
/** Runs drawn at the checked settings: the first 8 of the check's. */
const SHOWN = 8;

/** The gain λθ of single runs and the optimal gain (dataset "gain"). */
const spec: LiveFigure["spec"] = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  width: WIDTH,
  height: HEIGHT,
  data: { name: "gain" },
  mark: { type: "line", strokeWidth: 1.3 },
  encoding: {
    x: { field: "x", type: "quantitative", title: "step t" },
    y: {
      field: "y",
      type: "quantitative",
      title: "gain λθ",
      // 0.3 to 0.75 holds every run the checks make (from 11/34 ≈ 0.32 up to 5/7); a reader's runs may go lower
      scale: { domain: { unionWith: [0.3, 0.75] }, nice: false, zero: false },
    },
    color: {
      field: "series",
      type: "nominal",
      title: null,
      scale: { domain: NAMES, range: [palette[0], palette[1]] },
      legend: legendFor(NAMES),
    },
    strokeDash: {
      field: "series",
      type: "nominal",
      legend: legendFor(NAMES),
      scale: {
        domain: NAMES,
        range: [
          [1, 0],
          [5, 3],
        ],
      },
    },
    detail: { field: "run", type: "nominal" },
  },
};

/**
 * The parameters, checked at the [eq 24] check's own: its seed, α, β and steps are the facts it recorded, the
 * trace interval the one its settings check recorded (fixed: it changes the drawing, not the runs), and the
 * number of runs drawn the figure's own. A reader's runs cost shown × steps actor-critic steps.
 */
function params(ctx: FigureContext): ParamDef[] {
  const num = (name: string) => Number(ctx.fact(name));
  return [
    slider("alpha", "actor step α", [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1], num("ch2.actorCritic.alpha")),
    slider("beta", "critic step β", [0.01, 0.02, 0.05, 0.1, 0.2, 0.5], num("ch2.actorCritic.beta")),
    slider("steps", "steps", [20_000, 50_000, 100_000, 200_000], num("ch2.actorCritic.steps")),
    // runs 0 … shown − 1 of the check's 325: drawing more or fewer of them keeps the checked settings
    { ...slider("shown", "runs drawn", [1, 2, 4, 8, 16], SHOWN), view: true },
    { name: "traceEvery", label: "gain traced every", kind: "fixed", checked: num("ch2.actorCritic.traceEvery") },
    seedParam(String(ctx.fact("ch2.actorCritic.seed")), "seed (the check's)"),
  ];
}

export const figures: Record<string, FigureDef> = {
  "actor-critic-gain": liveFigure({
    tags: ["eq 24"],
    live: { params, spec, data: actorCriticData },
    alt: "Single runs of the tabular actor-critic on the home/work MDP: the exact gain of the current policy rises from 11/34 ≈ 0.32 to close to the optimal gain 5/7 ≈ 0.714 (dashed line).",
  }),
};
