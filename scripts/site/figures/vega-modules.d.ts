/**
 * Types for the parts of vega that vega-render.ts imports one by one (they ship no types of their own; the
 * `vega` package's types describe the same objects, and are reused here).
 */
declare module "vega-dataflow" {
  /** The registry of transforms a parsed spec may name, filled by `extend(transforms, …)`. */
  export const transforms: Record<string, unknown>;
}
declare module "vega-transforms";
declare module "vega-view-transforms";
declare module "vega-encode";
declare module "vega-parser" {
  import type { Runtime, Spec } from "vega";
  export function parse(spec: Spec, config?: object): Runtime;
}
declare module "vega-view" {
  export { View } from "vega";
}
declare module "vega-scenegraph" {
  /** How vega measures text; `width` may be replaced (vega calls it for layout and truncation). */
  export const textMetrics: { width: (item: object, text: string | number | null | undefined) => number };
}
