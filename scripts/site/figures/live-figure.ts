/**
 * A live figure: one whose data a reader's browser can recompute in a few seconds. Its vega-lite spec does
 * not depend on the data (they come in as named datasets); its data come from a pure function of its
 * parameters, run by the build at the checked settings (the static SVG every page loads with) and by the
 * page's worker at the reader's (scripts/site/live/). Both draw through vega-render.ts with the spec compiled
 * here once, so the static figure is the live figure at the checked settings.
 */
import type { Spec } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { checkedValues, paramProblems, type ParamDef, type ParamValues } from "../live/params.ts";
import type { FigureContext, FigureDef } from "./index.ts";
import { compileVegaLite } from "./plot.ts";
import { renderVega, type Datasets } from "./vega-render.ts";

export interface LiveFigure {
  /** The parameters, each checked at the value the checks used (from the master seed or the checks' facts). */
  params: (ctx: FigureContext) => ParamDef[];
  /** The figure's vega-lite spec: its data named (`data: { name }`), nothing in it taken from the data. */
  spec: TopLevelSpec;
  /**
   * The named datasets at `values`, computed with src/ and measure/. It runs in the browser's worker too:
   * it and what it imports use no node: module (figure-assets.ts fails the bundle on one).
   */
  data: (values: ParamValues) => Datasets;
}

/** A live figure drawn at its checked settings, with what the page needs to redraw it. */
export interface RenderedLive {
  svg: string;
  /** The compiled vega spec the SVG was drawn with (the worker draws with the same one). */
  spec: Spec;
  params: ParamDef[];
}

/** What the page gets of `live`: its compiled spec and its parameters, checked at the checks' settings. */
export function compileLive(live: LiveFigure, ctx: FigureContext | undefined): Omit<RenderedLive, "svg"> {
  if (!ctx) throw new Error("a live figure is drawn at the checks' settings: render it with a FigureContext");
  const params = live.params(ctx);
  const problems = paramProblems(params, checkedValues(params));
  if (problems.length) throw new Error(`the figure's checked settings are not its own: ${problems.join("; ")}`);
  return { spec: compileVegaLite(live.spec), params };
}

/** Draw `live` at the settings the checks used. */
export async function renderLive(live: LiveFigure, ctx: FigureContext | undefined): Promise<RenderedLive> {
  const { spec, params } = compileLive(live, ctx);
  return { svg: await renderVega(spec, live.data(checkedValues(params))), spec, params };
}

/** The registry entry of a live figure: rendered at the checked settings, with `live` for the page. */
export function liveFigure(def: { tags: string[]; alt: string; live: LiveFigure }): FigureDef {
  return { ...def, render: async (ctx) => (await renderLive(def.live, ctx)).svg };
}
