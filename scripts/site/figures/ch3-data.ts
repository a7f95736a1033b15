/**
 * What Chapter 3's live figures draw: learning curves J(θℓ) of episodic REINFORCE on stop-or-play (T = 8)
 * with each of four estimators, from the chapter's learning experiment (measure/total-return/experiments.ts)
 * and the reference `trainEpisodic`; at the checked settings, runs 0 … runs − 1 of those the slow [eq 29] and
 * [eq 30] rate checks count. The page's worker runs this file too (no node: imports; ch3.ts holds the specs).
 */
import { collapsed, learningCurves } from "../../../measure/total-return/experiments.ts";
import { chapter3Reference } from "../../../src/total-return/index.ts";
import type { EpisodicEstimator } from "../../../src/total-return/types.ts";
import { numberParam, textParam, type ParamValues } from "../live/params.ts";
import { seriesRows } from "./series.ts";
import type { Datasets } from "./vega-render.ts";

const EVERY = 5; // plot every 5th episode

/** The learners, with the names the legends give them. */
export const LEARNERS: [EpisodicEstimator, string][] = [
  ["full-return", "full return"],
  ["reward-to-go", "reward-to-go (29)"],
  ["running-baseline", "running baseline"],
  ["value-baseline", "Vₜ baseline (30)"],
];

/** The curves J(θℓ), ℓ = 0 … episodes, of each learner's runs. */
export type LearningRuns = Map<EpisodicEstimator, Float64Array[]>;

/** The learning experiment's settings a reader may change (its problem, stop-or-play with T = 8, stays). */
export interface LearningSettings {
  seed: string;
  runs: number;
  episodes: number;
  stepSize: number;
}

/** Each learner's `runs` runs of the chapter's learning experiment (`learningCurves`) at the settings `o`. */
export function learningRuns(o: LearningSettings): LearningRuns {
  const curves = (estimator: EpisodicEstimator) =>
    learningCurves(o.seed, estimator, o.runs, chapter3Reference.trainEpisodic, o);
  return new Map(LEARNERS.map(([est]) => [est, curves(est)]));
}

/** The settings a reader chose, from the controls' values. */
const settingsOf = (values: ParamValues): LearningSettings => ({
  seed: textParam(values, "seed"),
  runs: numberParam(values, "runs"),
  episodes: numberParam(values, "episodes"),
  stepSize: numberParam(values, "stepSize"),
});

/** The dataset "series": one line per learner, `stat` of its runs' J at every EVERY-th episode. */
function summary(curves: LearningRuns, stat: (col: number[]) => number): Datasets {
  const series = LEARNERS.map(([est, name]) => {
    const js = curves.get(est);
    if (!js?.length) throw new Error(`scripts/site/figures/ch3-data.ts: no runs of the learner "${est}"`);
    const x: number[] = [];
    const y: number[] = [];
    for (let l = 0; l < js[0].length; l += EVERY) {
      x.push(l);
      y.push(stat(js.map((J) => J[l])));
    }
    return { name, x, y };
  });
  return { series: seriesRows(series) };
}

/** The mean of J over each learner's runs, by episode: (1/n) Σᵢ J(θℓ⁽ⁱ⁾). */
export function learningDatasets(curves: LearningRuns): Datasets {
  return summary(curves, (col) => col.reduce((s, v) => s + v, 0) / col.length);
}

/** The fraction of each learner's runs whose policy has collapsed (J < 2), by episode. */
export function collapseDatasets(curves: LearningRuns): Datasets {
  return summary(curves, (col) => col.filter((J) => collapsed(J)).length / col.length);
}

/** The learning figure at `values` (stepSize, episodes, runs, seed). */
export const learningData = (values: ParamValues): Datasets => learningDatasets(learningRuns(settingsOf(values)));
/** The collapse figure at `values` (stepSize, episodes, runs, seed). */
export const collapseData = (values: ParamValues): Datasets => collapseDatasets(learningRuns(settingsOf(values)));
