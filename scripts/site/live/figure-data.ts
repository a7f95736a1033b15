/**
 * The live figures' data functions by figure id, for the page's worker (the registry of scripts/site/figures/
 * holds the same functions with the figures' specs and parameters: test/site/live-figures.test.ts checks
 * that the two agree). Everything here runs in the browser.
 */
import { fig1Data, fig2Data } from "../figures/ch1-data.ts";
import { actorCriticData } from "../figures/ch2-data.ts";
import { collapseData, learningData } from "../figures/ch3-data.ts";
import type { Datasets } from "../figures/vega-render.ts";
import type { ParamValues } from "./params.ts";

export const figureData: Record<string, (values: ParamValues) => Datasets> = {
  fig1: fig1Data,
  fig2: fig2Data,
  "actor-critic-gain": actorCriticData,
  "ch3-learning": learningData,
  "ch3-collapse": collapseData,
};
