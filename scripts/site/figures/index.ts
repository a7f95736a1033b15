/**
 * The figure registry. A chapter places a figure with `::: figure <id>` … caption … `:::`; the site
 * builder looks `<id>` up here, renders it to SVG at build time and puts the badges of `tags` next to
 * it. Each chapter registers its figures in its own file (ch1.ts … ch4.ts); ids must be unique. A live
 * figure (live-figure.ts) also comes with controls a reader reruns it with in the page (scripts/site/live/).
 */
import { figures as ch1 } from "./ch1.ts";
import { figures as ch2 } from "./ch2.ts";
import { figures as ch3 } from "./ch3.ts";
import { figures as ch4 } from "./ch4.ts";
import type { LiveFigure } from "./live-figure.ts";

/** What a figure may read when it is rendered: the checks' master seed and the facts they recorded. */
export interface FigureContext {
  /** The master seed of the checks shown on the site (experiments drawn under it are the checked runs). */
  masterSeed: string;
  /** A fact a check recorded (spec/support/claim.ts); throws when none did, or two disagree. */
  fact(name: string): number | string | boolean;
}

export interface FigureDef {
  /** The claim tags whose checks back this figure, e.g. ["fig 1", "eq 13"]; at least one. */
  tags: string[];
  /** The figure as a standalone SVG string (see plot.ts); may be async. */
  render(ctx?: FigureContext): Promise<string> | string;
  /** A text alternative describing what the figure shows. */
  alt: string;
  /** For a figure a reader's browser can redraw at other settings: its parameters, spec and data (live-figure.ts). */
  live?: LiveFigure;
  /** For a figure of a live chapter that is not live: why, in a sentence shown under it. */
  staticNote?: string;
}

/** Merge the chapters' registries; a duplicate id is an error naming both files. */
export function mergeFigures(parts: Record<string, Record<string, FigureDef>>): Record<string, FigureDef> {
  const out: Record<string, FigureDef> = {};
  const owner: Record<string, string> = {};
  for (const [file, defs] of Object.entries(parts)) {
    for (const [id, def] of Object.entries(defs)) {
      if (id in out) throw new Error(`figure id "${id}" is registered twice: in ${owner[id]} and in ${file}`);
      out[id] = def;
      owner[id] = file;
    }
  }
  return out;
}

export const figures: Record<string, FigureDef> = mergeFigures({
  "scripts/site/figures/ch1.ts": ch1,
  "scripts/site/figures/ch2.ts": ch2,
  "scripts/site/figures/ch3.ts": ch3,
  "scripts/site/figures/ch4.ts": ch4,
});
