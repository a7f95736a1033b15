/**
 * What every page of a build shares: the navigation (contents, chapters, back matter, report), the
 * footer with the run's facts, the links from checks to source pages, and the hooks that put a badge
 * at each mark and a figure at each `::: figure`.
 */
import type { MarkdownIt } from "markdown-it";
import { badgeHtml, type Links } from "./checks.ts";
import { checksOf, type ClaimIndex } from "./claim-index.ts";
import { esc } from "./html.ts";
import type { NavItem } from "./layout.ts";
import type { Mark, ParsedPage, RenderHooks } from "./markdown.ts";
import { functionIndex, sourcePage, type SourceFile } from "./sources.ts";
import type { SiteInput } from "./site-types.ts";
import { shortTitle } from "./chapters.ts";
import { placePanels, type Placement } from "./live/panel-placement.ts";

const SPECIAL = ["index", "notation", "errata", "references", "instructors"];
const SPECIAL_LABEL: Record<string, string> = {
  notation: "Notation",
  errata: "Errata",
  references: "References",
  instructors: "For instructors",
};
/** The pages after the chapters, in navigation order. */
export const BACK_MATTER = ["notation", "errata", "references", "instructors"];

/** Everything a page of the build is made with. */
export interface SiteFrame {
  md: MarkdownIt;
  input: SiteInput;
  claims: ClaimIndex;
  /** The numbered chapters, in order (every page but the index and the back matter). */
  chapters: ParsedPage[];
  byName: Map<string, ParsedPage>;
  nav: NavItem[];
  footer: string;
  links: Links;
  hooks: RenderHooks;
  /** The "check your code" panels: where they go and the errors of placing them. */
  panels: Placement;
  /** The scripts a page loads (relative to the site's root). */
  scriptsOf(p: ParsedPage): string[];
}

/** Links from checks to the source pages of `files` (the spec's line, the function's definition), from the site's root. */
export function sourceLinks(files: SourceFile[]): Links {
  const srcSet = new Set(files.map((f) => f.rel));
  const fnIdx = functionIndex(files);
  return {
    spec: (file, line) => (srcSet.has(file) ? `${sourcePage(file)}${line ? `#L${line}` : ""}` : undefined),
    fn: (name) => {
      const s = fnIdx.get(name);
      return s ? { href: `${sourcePage(s.file)}#L${s.line}`, where: `${s.file}:${s.line}` } : undefined;
    },
  };
}

export function siteFrame(
  md: MarkdownIt,
  input: SiteInput,
  pages: ParsedPage[],
  claims: ClaimIndex,
  links: Links,
  svgs: Map<string, string>,
): SiteFrame {
  const byName = new Map(pages.map((p) => [p.name, p]));
  const chapters = pages.filter((p) => !SPECIAL.includes(p.name));
  const nav: NavItem[] = [
    { href: "index.html", label: "Contents" },
    ...chapters.map((p) => ({ href: `${p.name}.html`, label: shortTitle(p) })),
    ...BACK_MATTER.filter((n) => byName.has(n)).map((n) => ({ href: `${n}.html`, label: SPECIAL_LABEL[n] })),
    { href: "report.html", label: "Report" },
  ];
  const footer =
    `pgbook · commit <code>${esc(input.commit)}</code> · master seed <code>${esc(input.results.masterSeed)}</code> · ` +
    `checks run ${esc(input.results.ranAt.slice(0, 16).replace("T", " "))} UTC · built ${esc(input.date.slice(0, 16).replace("T", " "))} UTC`;
  const panels = placePanels(pages, input.results.masterSeed);
  const scriptsOf = (p: ParsedPage) => (panels.pages.has(p.name) ? ["assets/live/check-panel.js"] : []);
  const hooks: RenderHooks = {
    badge: (m: Mark) => badgeHtml(m.tags, checksOf(claims, m.tags), links),
    figure: (m: Mark) => svgs.get(m.figureId!) ?? "",
    afterEquation: (m: Mark) => panels.after(m),
  };
  return { md, input, claims, chapters, byName, nav, footer, links, hooks, panels, scriptsOf };
}
