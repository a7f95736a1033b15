/**
 * What the live figures' parts say to each other: the data the build embeds in the page for each live
 * figure (JSON in a `<script type="application/json">`: `fetch` of a local file does not work from file://),
 * and the messages between the page script and the figure worker. No dependencies beyond types.
 */
import type { Spec } from "vega";
import type { ParamDef, ParamValues } from "./params.ts";

/** The class of the element holding one live figure, and of the JSON inside it. */
export const LIVE_FIGURE_CLASS = "live-figure";
export const LIVE_DATA_CLASS = "live-figure-data";
/** The global the worker's source file sets to the worker's code (it starts from a Blob of that text). */
export const WORKER_GLOBAL = "PGBOOK_FIGURE_WORKER";
/** The worker's source file and the page script, under assets/live/. */
export const WORKER_FILE = "figure-worker.js";
export const PAGE_FILE = "figures-page.js";

/** A live figure as the page reads it. */
export interface LiveFigureData {
  id: string;
  /** The compiled vega spec the static SVG was drawn with. */
  spec: Spec;
  /** The parameters, each with the value the checks used. */
  params: ParamDef[];
  /** The figure's text alternative (of its checked settings). */
  alt: string;
}

/** Draw figure `id` at `values`: the page's request. `seq` numbers the requests, so a stale reply is known. */
export interface FigureRequest {
  seq: number;
  id: string;
  spec: Spec;
  params: ParamDef[];
  values: ParamValues;
}

/** The worker's reply: the SVG and how long computing and drawing took, or what went wrong. */
export type FigureReply = { seq: number; svg: string; ms: number } | { seq: number; error: string };
