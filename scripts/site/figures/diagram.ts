/**
 * Hand-laid-out diagrams (Figure 3 and its network view): boxes with a centred label, plain cells (heatmap
 * cells, bars), lines with arrowheads and free labels, placed in a frame where one data unit is one px, and
 * drawn through vega-lite like every other figure (plot.ts), so their text is measured the same way.
 */
import type { TopLevelSpec } from "vega-lite";
import { renderVegaLite } from "./plot.ts";

/** A box centred at (x, y), w × h, with rounded corners and `label` in its middle. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  fill: string;
  stroke: string;
}
/** A rectangle from (x0, y0) to (x1, y1) with square corners and no label; `description` (its aria-label) says what it is. */
export interface Cell {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
  description: string;
}
/** A line from (x, y) to (x2, y2); `head` puts an arrowhead at (x2, y2) pointing that way. */
export interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
  head?: "triangle-right" | "triangle-left" | "triangle-down" | "triangle-up";
}
/** A text anchored at (x, y), vertically centred there. */
export interface Label {
  x: number;
  y: number;
  text: string;
  align: "left" | "center" | "right";
  color?: string;
  bold?: boolean;
}

export interface Diagram {
  /** The frame, in px. */
  width: number;
  height: number;
  /** y grows downward from the top (true) or upward from the bottom (false). */
  down?: boolean;
  /** Drawn first, under everything else. */
  cells?: Cell[];
  boxes: Box[];
  segments: Segment[];
  labels: Label[];
}

/** The diagrams' text size, in px: at 12 px and an SVG at most 440 px wide, text reads at 8.5 px on a phone. */
export const DIAGRAM_TEXT = 12;
const INK = "#555555";
const TEXT = "#222222";

/** The diagram as a vega-lite spec: one layer per kind of mark (and per alignment and weight of labels). */
function diagramSpec(d: Diagram): TopLevelSpec {
  const x = {
    type: "quantitative",
    scale: { domain: [0, d.width], nice: false, zero: false },
    axis: null,
    title: null,
  } as const;
  const y = {
    type: "quantitative",
    scale: { domain: [0, d.height], nice: false, zero: false, ...(d.down ? { reverse: true } : {}) },
    axis: null,
    title: null,
  } as const;
  const cells = d.cells ?? [];
  const labelLayers = [false, true].flatMap((bold) =>
    (["left", "center", "right"] as const).flatMap((align) => {
      const values = d.labels
        .filter((l) => l.align === align && (l.bold ?? false) === bold)
        .map((l) => ({ ...l, color: l.color ?? TEXT }));
      if (values.length === 0) return [];
      return [
        {
          data: { values },
          mark: {
            type: "text",
            fontSize: DIAGRAM_TEXT,
            align,
            baseline: "middle",
            ...(bold ? { fontWeight: 600 } : {}),
          },
          encoding: {
            x: { field: "x", ...x },
            y: { field: "y", ...y },
            text: { field: "text" },
            color: { field: "color", type: "nominal", scale: null },
          },
        },
      ];
    }),
  );
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: d.width,
    height: d.height,
    config: { view: { stroke: null } },
    layer: [
      ...(cells.length
        ? [
            {
              data: { values: cells },
              mark: { type: "rect" },
              encoding: {
                x: { field: "x0", ...x },
                x2: { field: "x1" },
                y: { field: "y0", ...y },
                y2: { field: "y1" },
                fill: { field: "fill", type: "nominal", scale: null },
                stroke: { field: "stroke", type: "nominal", scale: null },
                strokeWidth: { field: "strokeWidth", type: "quantitative", scale: null },
                description: { field: "description" },
              },
            },
          ]
        : []),
      {
        data: {
          values: d.boxes.map((b) => ({
            ...b,
            x0: b.x - b.w / 2,
            x1: b.x + b.w / 2,
            y0: b.y - b.h / 2,
            y1: b.y + b.h / 2,
          })),
        },
        mark: { type: "rect", strokeWidth: 1, cornerRadius: 2 },
        encoding: {
          x: { field: "x0", ...x },
          x2: { field: "x1" },
          y: { field: "y0", ...y },
          y2: { field: "y1" },
          fill: { field: "fill", type: "nominal", scale: null },
          stroke: { field: "stroke", type: "nominal", scale: null },
        },
      },
      {
        data: { values: d.boxes.filter((b) => b.label) },
        mark: { type: "text", fontSize: DIAGRAM_TEXT, baseline: "middle" },
        encoding: { x: { field: "x", ...x }, y: { field: "y", ...y }, text: { field: "label" } },
      },
      {
        data: { values: d.segments },
        mark: { type: "rule", strokeWidth: 1.5, color: INK },
        encoding: { x: { field: "x", ...x }, y: { field: "y", ...y }, x2: { field: "x2" }, y2: { field: "y2" } },
      },
      {
        data: { values: d.segments.filter((s) => s.head) },
        mark: { type: "point", filled: true, size: 60, opacity: 1, color: INK },
        encoding: {
          x: { field: "x2", ...x },
          y: { field: "y2", ...y },
          shape: { field: "head", type: "nominal", scale: null },
        },
      },
      ...labelLayers,
    ],
  };
  return spec as unknown as TopLevelSpec;
}

/** Render a diagram to a standalone SVG string. */
export function drawDiagram(d: Diagram): Promise<string> {
  return renderVegaLite(diagramSpec(d));
}
