/**
 * The one way a figure becomes SVG, at build time and in the reader's browser: a compiled vega spec and
 * its named datasets, rendered by vega's headless SVG renderer (no DOM). Only the parts of vega a figure
 * needs are imported (the parser, the view, the dataflow with its transforms), so the browser's worker
 * carries no vega-lite and no geo, force or word-cloud transforms; the build uses exactly the same code,
 * so a static figure and one redrawn in the page come out of the same renderer.
 */
import type { Spec } from "vega";
import { transforms } from "vega-dataflow";
import * as encode from "vega-encode";
import { parse } from "vega-parser";
import { textMetrics } from "vega-scenegraph";
import * as tx from "vega-transforms";
import { extend } from "vega-util";
import { View } from "vega-view";
import * as vtx from "vega-view-transforms";
import { vegaTextWidth } from "./text-width.ts";

type Transforms = Record<string, unknown>;
// the transforms a parsed spec may name, registered as the full `vega` package registers them
extend(transforms, tx as Transforms, vtx as Transforms, encode as Transforms);

// vega measures text with a canvas when one is installed, and otherwise calls `textMetrics.width` (the hook
// vl-convert sets too): give it the widths of text-width.ts, in Node and in a worker alike
if (!textMetrics || typeof textMetrics.width !== "function")
  throw new Error("vega-render.ts: vega-scenegraph no longer exports textMetrics.width, the figures' text widths");
textMetrics.width = vegaTextWidth;

/** A figure's data: rows by dataset name, the names its spec declares (`data: { name: "…" }` in vega-lite). */
export type Datasets = Record<string, Record<string, number | string>[]>;

/** The datasets a spec declares with neither values, a source nor a URL: those `renderVega` must be given. */
export function namedDatasets(spec: Spec): string[] {
  return (spec.data ?? []).filter((d) => !("values" in d) && !("source" in d) && !("url" in d)).map((d) => d.name);
}

/**
 * Render a compiled vega spec to a standalone SVG string (with xmlns, width, height and role="img"), its
 * named datasets filled from `datasets`. A dataset the spec declares and `datasets` lacks, or one it does
 * not declare, is an error naming it.
 */
export async function renderVega(spec: Spec, datasets: Datasets = {}): Promise<string> {
  const wanted = namedDatasets(spec);
  const missing = wanted.filter((n) => !Object.hasOwn(datasets, n));
  const unknown = Object.keys(datasets).filter((n) => !wanted.includes(n));
  if (missing.length || unknown.length)
    throw new Error(
      `renderVega: the spec declares the datasets [${wanted.join(", ")}]` +
        (missing.length ? `; missing: ${missing.join(", ")}` : "") +
        (unknown.length ? `; not in the spec: ${unknown.join(", ")}` : ""),
    );
  const view = new View(parse(spec), { renderer: "none" });
  try {
    for (const [name, rows] of Object.entries(datasets)) view.data(name, rows);
    const svg = await view.toSVG();
    return svg.replace(/^<svg /, '<svg role="img" ');
  } finally {
    view.finalize();
  }
}
