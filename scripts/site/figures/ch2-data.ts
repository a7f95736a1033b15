/**
 * What Chapter 2's live figure draws: runs of the tabular actor-critic (24)–(27) on the home/work MDP from
 * `actorCriticExperiment` (measure/average-return/experiments.ts) with the reference implementation; at the
 * checked settings, the first runs of those the slow-tier [eq 24] check makes its claim about (run i of the
 * figure is run i of the check: the experiment derives run i's stream from the seed and i). The page's worker
 * runs this file too (no node: imports; ch2.ts holds the spec).
 */
import { actorCriticExperiment } from "../../../measure/average-return/experiments.ts";
import { runActorCritic } from "../../../src/average-return/td.ts";
import { numberParam, textParam, type ParamValues } from "../live/params.ts";
import type { Datasets } from "./vega-render.ts";

/** The series of the figure, as its legend names them. */
export const AC_SERIES = { runs: "λθ of single runs (exact)", optimal: "λ* = 5/7" } as const;

/**
 * The dataset "gain" at `values` (alpha, beta, steps, shown, traceEvery, seed): the exact gain λθ of the
 * first `shown` runs' policies every traceEvery steps, and the optimal gain λ* across the plot. Tracing the exact gain
 * draws nothing from a run's stream, so the trace interval changes the drawing, never the runs.
 */
export function actorCriticData(values: ParamValues): Datasets {
  const e = actorCriticExperiment({
    seed: textParam(values, "seed"),
    runs: numberParam(values, "shown"),
    run: runActorCritic,
    alpha: numberParam(values, "alpha"),
    beta: numberParam(values, "beta"),
    steps: numberParam(values, "steps"),
    every: numberParam(values, "traceEvery"),
  });
  const gain: Record<string, number | string>[] = [];
  e.runs.forEach((r, i) => {
    for (const p of r.trace) {
      if (!Number.isFinite(p.gain)) throw new Error(`run ${i} diverged: its gain is ${p.gain} at step ${p.t}`);
      gain.push({ x: p.t, y: p.gain, series: AC_SERIES.runs, run: `r${i}` });
    }
  });
  for (const t of [0, e.steps]) gain.push({ x: t, y: e.optimalGain, series: AC_SERIES.optimal, run: "opt" });
  return { gain };
}
