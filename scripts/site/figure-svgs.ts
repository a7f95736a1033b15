/**
 * The figures of the chapters, rendered once per id before anything is written, so a failing
 * experiment is an input error like any other (`file:line` of the first `::: figure` naming it).
 */
import type { FigureDef } from "./figures/index.ts";
import { formatFact, type Fact } from "./facts.ts";
import { esc } from "./html.ts";
import type { BuildError, ParsedPage } from "./markdown.ts";

/** Every figure the pages place, as an `<svg>` carrying its alt text, or the errors of rendering them. */
export async function renderFigures(
  pages: ParsedPage[],
  figures: Record<string, FigureDef>,
  facts: Map<string, Fact>,
  masterSeed: string,
): Promise<{ svgs: Map<string, string>; errors: BuildError[] }> {
  const figureContext = {
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
      try {
        const svg = String(await figures[m.figureId!].render(figureContext));
        if (!/^\s*<svg[\s>]/.test(svg)) throw new Error("render() did not return an <svg> document");
        svgs.set(m.figureId!, svg.replace(/^\s*<svg/, `<svg aria-label="${esc(figures[m.figureId!].alt)}"`));
      } catch (e) {
        errors.push({
          file: m.file,
          line: m.line,
          message: `figure "${m.figureId}" failed to render: ${(e as Error).message}`,
        });
      }
    }
  return { svgs, errors };
}
