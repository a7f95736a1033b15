/**
 * What the figure worker does with a request, apart from the messaging (so tests run it in Node): the
 * figure's data at the reader's settings, computed with the book's code (figure-data.ts), drawn with the
 * figure's compiled spec through vega-render.ts, the renderer the build drew the static SVG with.
 */
import { renderVega } from "../figures/vega-render.ts";
import { figureData } from "./figure-data.ts";
import type { FigureRequest } from "./figure-protocol.ts";
import { paramProblems } from "./params.ts";

/** The SVG of figure `r.id` at `r.values`; an error naming the figure or the parameters that are wrong. */
export async function drawRequest(r: FigureRequest): Promise<string> {
  const data = figureData[r.id];
  if (!data) throw new Error(`"${r.id}" is not a live figure (known: ${Object.keys(figureData).join(", ")})`);
  const problems = paramProblems(r.params, r.values);
  if (problems.length) throw new Error(`figure "${r.id}": ${problems.join("; ")}`);
  return renderVega(r.spec, data(r.values));
}
