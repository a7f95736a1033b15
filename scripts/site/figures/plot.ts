/**
 * Figures as standalone SVG, rendered at build time: a vega-lite spec, compiled to vega here with the
 * book's config (`compileVegaLite`), then drawn by vega-render.ts, the renderer the live figures use in
 * the browser too (no DOM). Chapter figures call the convenience functions below; anything they do not
 * cover can pass a full vega-lite spec to `renderVegaLite`.
 *
 * Sizes are chosen for a phone as much as for a desktop: a figure's column is about 730 px wide at a
 * desktop and 313 px on a 390 px phone, where an SVG shrinks to fit. Plots are WIDTH px wide (the SVG,
 * with its axes, about 420 px) and text is 12–13 px, so the smallest text still reads at about 9 px on a
 * phone; y-axis titles sit horizontally above the plot, where they may be as long as the plot is wide.
 */
import type { Spec } from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { textWidth } from "./text-width.ts";
import { seriesRows as rows, type Series } from "./series.ts";
import { renderVega, type Datasets } from "./vega-render.ts";

export type { Series } from "./series.ts";

/** The book's palette: distinguishable in print and for common colour-vision deficiencies. */
export const palette = ["#1f6fb4", "#d1495b", "#2a9d4b", "#e39b25", "#7a4fa0", "#4d4d4d"];

/** Width and height of a plot's data rectangle, in px (axes, titles and legend come on top). */
export const WIDTH = 380;
export const HEIGHT = 220;

const LABEL_SIZE = 12;
const TITLE_SIZE = 13;
const font = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const LEGEND = { symbol: 16, labelOffset: 5, columnPadding: 18 };

const baseConfig = {
  font,
  padding: 4,
  axis: { labelFontSize: LABEL_SIZE, titleFontSize: TITLE_SIZE, titleFontWeight: 500, gridColor: "#e6e6e6" },
  // the y title above the plot, horizontal, starting at the axis line
  axisY: { titleAngle: 0, titleAlign: "left", titleBaseline: "bottom", titleX: 0, titleY: -10 },
  legend: {
    orient: "bottom",
    labelFontSize: LABEL_SIZE,
    labelLimit: 0, // never cut a label: a label must say in full what its line is
    labelOffset: LEGEND.labelOffset,
    symbolSize: 120,
    columnPadding: LEGEND.columnPadding,
    rowPadding: 5,
  },
  title: { fontSize: 14, fontWeight: 600, anchor: "start" },
  view: { stroke: "#cccccc" },
  background: "white",
} as const;

/** The book's config under the spec's own (a spec's `config.view` adds to the book's `view`, and so on). */
function withConfig(spec: TopLevelSpec): TopLevelSpec {
  const own = (spec as { config?: Record<string, unknown> }).config ?? {};
  const config: Record<string, unknown> = { ...baseConfig };
  for (const [k, v] of Object.entries(own)) {
    const base = config[k];
    config[k] = base && typeof base === "object" && v && typeof v === "object" ? { ...base, ...v } : v;
  }
  return { ...spec, config };
}

/** A vega-lite spec compiled to vega, with the book's config. */
export function compileVegaLite(spec: TopLevelSpec): Spec {
  return vl.compile(withConfig(spec)).spec;
}

/**
 * Render a vega-lite spec to a standalone SVG string (with xmlns, width and height), its named datasets
 * (`data: { name }`) filled from `datasets`.
 */
export function renderVegaLite(spec: TopLevelSpec, datasets: Datasets = {}): Promise<string> {
  return renderVega(compileVegaLite(spec), datasets);
}

/**
 * A legend below a plot `width` px wide for entries named `names`: in as many columns as fit side by side
 * (a grid, rows filled first), or none for a single entry.
 */
export function legendFor(names: string[], width = WIDTH): { columns: number } | null {
  if (names.length < 2) return null;
  const entry = Math.max(...names.map((n) => textWidth(n, LABEL_SIZE))) + LEGEND.symbol + LEGEND.labelOffset;
  const fit = Math.floor((width + LEGEND.columnPadding) / (entry + LEGEND.columnPadding));
  const columns = Math.max(1, Math.min(names.length, fit));
  // the same number of rows with the fewest columns: 5 entries in 3 + 2, not 4 + 1
  return { columns: Math.ceil(names.length / Math.ceil(names.length / columns)) };
}

export interface BandSeries extends Series {
  /** Lower and upper edges of the band around y (e.g. a confidence interval or quantiles). */
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
}

export interface ChartOptions {
  xTitle: string;
  yTitle: string;
  title?: string;
  /** Fixed y range, e.g. [0, 1] for probabilities. */
  yDomain?: [number, number];
  xDomain?: [number, number];
  xScale?: "linear" | "log";
  yScale?: "linear" | "log";
  width?: number;
  height?: number;
  /** Draw points on top of the lines. */
  points?: boolean;
}

function scale(domain: [number, number] | undefined, type: "linear" | "log" | undefined): Record<string, unknown> {
  const s: Record<string, unknown> = { zero: false };
  if (domain) {
    s.domain = domain;
    s.nice = false;
  }
  if (type) s.type = type;
  return s;
}

function colorEncoding(names: string[], width: number) {
  return {
    field: "series",
    type: "nominal" as const,
    title: null,
    sort: names,
    scale: { domain: names, range: palette.slice(0, Math.max(1, names.length)) },
    legend: legendFor(names, width),
  };
}

function frame(o: ChartOptions) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: o.width ?? WIDTH,
    height: o.height ?? HEIGHT,
    ...(o.title ? { title: o.title } : {}),
  };
}

/**
 * One line per series of the dataset `data` (rows of series.ts), the series named `names` in this order: a
 * spec that does not depend on the data, so a live figure draws the reader's data with it too.
 */
export function lineChartSpec(o: ChartOptions & { names: string[]; data: string }): TopLevelSpec {
  return {
    ...frame(o),
    data: { name: o.data },
    mark: { type: "line", strokeWidth: 1.8, point: o.points ?? false },
    encoding: {
      x: { field: "x", type: "quantitative", title: o.xTitle, scale: scale(o.xDomain, o.xScale) },
      y: { field: "y", type: "quantitative", title: o.yTitle, scale: scale(o.yDomain, o.yScale) },
      color: colorEncoding(o.names, o.width ?? WIDTH),
    },
  };
}

/** One line per series. */
export function lineChart(o: ChartOptions & { series: Series[] }): Promise<string> {
  const names = o.series.map((s) => s.name);
  return renderVegaLite(lineChartSpec({ ...o, names, data: "series" }), { series: rows(o.series) });
}

/** Lines with a shaded band (lo..hi) around each. */
export function bandChart(o: ChartOptions & { series: BandSeries[] }): Promise<string> {
  const names = o.series.map((s) => s.name);
  const values: { series: string; x: number; y: number; lo: number; hi: number }[] = [];
  for (const s of o.series) {
    const base = rows([s]);
    if (s.lo.length !== s.x.length || s.hi.length !== s.x.length)
      throw new Error(`series "${s.name}": band length differs from x`);
    base.forEach((r, i) => values.push({ ...r, lo: s.lo[i], hi: s.hi[i] }));
  }
  const x = { field: "x", type: "quantitative", title: o.xTitle, scale: scale(o.xDomain, o.xScale) };
  const yScale = scale(o.yDomain, o.yScale);
  return renderVegaLite({
    ...frame(o),
    data: { values },
    encoding: { x, color: colorEncoding(names, o.width ?? WIDTH) },
    layer: [
      {
        mark: { type: "area", opacity: 0.18 },
        encoding: { y: { field: "lo", type: "quantitative", title: o.yTitle, scale: yScale }, y2: { field: "hi" } },
      },
      {
        mark: { type: "line", strokeWidth: 1.8 },
        encoding: { y: { field: "y", type: "quantitative", title: o.yTitle, scale: yScale } },
      },
    ],
  } as TopLevelSpec);
}

/** Bars: one per category, optionally grouped by series (`group`). */
export function barChart(o: {
  bars: { category: string; value: number; group?: string }[];
  xTitle: string;
  yTitle: string;
  title?: string;
  yDomain?: [number, number];
  width?: number;
  height?: number;
}): Promise<string> {
  const groups = [...new Set(o.bars.map((b) => b.group ?? ""))];
  const grouped = groups.length > 1;
  for (const b of o.bars)
    if (!Number.isFinite(b.value)) throw new Error(`bar "${b.category}": non-finite value ${b.value}`);
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: o.width ?? WIDTH,
    height: o.height ?? HEIGHT,
    ...(o.title ? { title: o.title } : {}),
    data: { values: o.bars.map((b) => ({ category: b.category, value: b.value, series: b.group ?? "" })) },
    mark: { type: "bar" },
    encoding: {
      x: { field: "category", type: "nominal", title: o.xTitle, sort: null, axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative", title: o.yTitle, scale: scale(o.yDomain, undefined) },
      ...(grouped
        ? { xOffset: { field: "series" }, color: colorEncoding(groups, o.width ?? WIDTH) }
        : { color: { value: palette[0] } }),
    },
  });
}
