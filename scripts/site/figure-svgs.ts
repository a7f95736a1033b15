/**
 * The figures of the chapters, rendered once per id before anything is written, so a failing
 * experiment is an input error like any other (`file:line` of the first `::: figure` naming it).
 * A live figure comes with the data its controls redraw it from (live/figure-markup.ts).
 */
import type { FigureContext, FigureDef } from "./figures/index.ts";
import { renderLive } from "./figures/live-figure.ts";
import { formatFact, type Fact } from "./facts.ts";
import { esc } from "./html.ts";
import { liveFigureHtml, staticFigureHtml } from "./live/figure-markup.ts";
import type { BuildError, ParsedPage } from "./markdown.ts";
import { readFigureCache, writeFigureCache } from "./figure-cache.ts";

/** An SVG document with the figure's alt text as its label; an error when it is not an SVG document. */
function labelled(svg: string, alt: string): string {
  if (!/^\s*<svg[\s>]/.test(svg)) throw new Error("render() did not return an <svg> document");
  return svg.replace(/^\s*<svg/, `<svg aria-label="${esc(alt)}"`);
}

/** A figure's markup: its `<svg>` carrying its alt text, with the live figure's data or a static figure's note. */
async function figureMarkup(id: string, def: FigureDef, ctx: FigureContext): Promise<string> {
  if (def.live) {
    const r = await renderLive(def.live, ctx);
    return liveFigureHtml({ id, spec: r.spec, params: r.params, alt: def.alt }, labelled(r.svg, def.alt));
  }
  return staticFigureHtml(labelled(String(await def.render(ctx)), def.alt), def.staticNote);
}

/** Every figure the pages place, as its markup (figureMarkup), or the errors of rendering them. */
export async function renderFigures(
  pages: ParsedPage[],
  figures: Record<string, FigureDef>,
  facts: Map<string, Fact>,
  masterSeed: string,
  cache?: { file: string; key: string },
): Promise<{ svgs: Map<string, string>; errors: BuildError[] }> {
  const kept = cache ? readFigureCache(cache) : new Map<string, string>();
  const figureContext: FigureContext = {
    masterSeed,
    fact(name: string) {
      const f = facts.get(name);
      if (!f) throw new Error(`no check recorded the fact "${name}"`);
      if (f.conflict !== undefined)
        throw new Error(
          `the fact "${name}" is ambiguous: checks recorded ${formatFact(f.value)} and ${formatFact(f.conflict)}`,
        );
      return f.value;
    },
  };
  const svgs = new Map<string, string>();
  const errors: BuildError[] = [];
  for (const p of pages)
    for (const m of p.marks) {
      if (m.kind !== "figure" || svgs.has(m.figureId!)) continue;
      const known = kept.get(m.figureId!);
      if (known !== undefined) {
        svgs.set(m.figureId!, known);
        continue;
      }
      try {
        svgs.set(m.figureId!, await figureMarkup(m.figureId!, figures[m.figureId!], figureContext));
      } catch (e) {
        errors.push({
          file: m.file,
          line: m.line,
          message: `figure "${m.figureId}" failed to render: ${(e as Error).message}`,
        });
      }
    }
  if (cache && !errors.length) writeFigureCache(cache, svgs);
  return { svgs, errors };
}
