/**
 * The site builder's core: chapters + check results + figure registry → a static site in `outDir`.
 *
 * Input errors (malformed math, unknown directive or figure, a mark with no check, a tag no chapter
 * marks) stop the build before anything is written and come back as `file:line: message`. Otherwise
 * the site is written into a temporary sibling folder and swapped in, so a previous site survives any
 * failure. Failed checks do not stop the build: they are shown on their pages, the index and the report.
 */
import { collectFacts } from "./facts.ts";
import { makeMarkdown, type BuildError } from "./markdown.ts";
import { functionIndex, readSources, sourcePage, type SourceFile } from "./sources.ts";
import type { TestResult } from "../lib/run-specs.ts";
import { joinErrors, readChapters } from "./chapters.ts";
import { renderFigures } from "./figure-svgs.ts";
import { claimIndex, summarize } from "./claim-index.ts";
import { siteFrame, sourceLinks } from "./site-frame.ts";
import { chapterPage, sourceFilePage } from "./chapter-page.ts";
import { reportPage } from "./report-page.ts";
import { indexPage } from "./index-page.ts";
import { writeSiteAtomically } from "./output.ts";
import { liveAssets } from "./live/assets.ts";
import { searchIndex, searchPage } from "./search.ts";
import type { SiteInput, SiteOutcome } from "./site-types.ts";

export type { BuildError } from "./markdown.ts";
export type { SiteInput, SiteOutcome, SiteResults, SiteSummary } from "./site-types.ts";
export { joinErrors, shortTitle } from "./chapters.ts";
export { fmt } from "./html.ts";

/** Format errors as `file:line: message`, one per line, sorted by place. */
export function formatErrors(errors: BuildError[]): string {
  return [...errors]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
    .map((e) => `${e.file}:${e.line}: ${e.message}`)
    .join("\n");
}

/**
 * Build the site; returns the input errors (nothing written) or a summary of what was written.
 * The parts: the chapters and their join with the checks (chapters.ts), the figures
 * (figure-svgs.ts), the claims (claim-index.ts), what every page shares (site-frame.ts), the pages
 * (chapter-page.ts, report-page.ts, index-page.ts, search.ts) and the atomic write (output.ts).
 */
export async function buildSite(input: SiteInput): Promise<SiteOutcome> {
  const md = makeMarkdown();
  const label = input.chaptersLabel ?? "chapters";
  const figureTags = (id: string) => (Object.hasOwn(input.figures, id) ? [...input.figures[id].tags] : undefined);
  const facts = collectFacts(input.results.tests);
  const { pages, errors } = readChapters(md, input.chaptersDir, label, facts, figureTags);
  const { tests } = input.results;
  errors.push(...joinErrors(pages, tests, input.results.errors));
  if (errors.length) return { ok: false, errors };

  const figures = await renderFigures(pages, input.figures, facts, input.results.masterSeed, input.figureCache);
  if (figures.errors.length) return { ok: false, errors: figures.errors };

  const srcFiles: SourceFile[] = input.sourceRoot ? readSources(input.sourceRoot) : [];
  const claims = claimIndex(pages, tests);
  const summary = summarize(claims, input.results);
  const site = siteFrame(md, input, pages, claims, sourceLinks(srcFiles), figures.svgs);
  if (site.panels.errors.length) return { ok: false, errors: site.panels.errors };
  const live = await liveAssets();

  summary.pages = writeSiteAtomically(input.outDir, (write) => {
    for (const [name, text] of Object.entries(live)) write(`assets/live/${name}`, text);
    for (const p of pages) if (p.name !== "index") write(`${p.name}.html`, chapterPage(site, p));
    for (const f of srcFiles) write(sourcePage(f.rel), sourceFilePage(site, f));
    write("report.html", reportPage(site, summary));
    write("index.html", indexPage(site, summary));
    write("search.html", searchPage(site, searchIndex(pages, functionIndex(srcFiles), tests)));
  });
  return { ok: true, ...summary };
}

/** A short plain-text line for a failed check (for the terminal). */
export function failureLine(t: TestResult): string {
  return `✗ ${t.file}${t.line ? `:${t.line}` : ""} > ${t.fullName}\n  ${(t.failureMessages[0] ?? "").split("\n")[0].slice(0, 300)}\n  replay: ${t.meta?.replay ?? ""}`;
}
