/**
 * The pages of a book's text and code: a chapter (or back-matter page) with its badges, a banner
 * naming its failed marks and previous/next links; and a source file with numbered lines.
 */
import { markStatus } from "./claim-index.ts";
import { esc } from "./html.ts";
import { page } from "./layout.ts";
import { renderInline, renderPage, type ParsedPage } from "./markdown.ts";
import { sourceBody, type SourceFile } from "./sources.ts";
import type { SiteFrame } from "./site-frame.ts";
import { shortTitle } from "./chapters.ts";

/** The red banner of a page with failed marks (empty when every mark held). */
function pageBanner(site: SiteFrame, p: ParsedPage): string {
  const bad = p.marks.filter((m) => markStatus(site.claims, m) === "failed");
  if (!bad.length) return "";
  const items = bad
    .map((m) => `<a href="#${m.anchor}">${m.tags.map((t) => `[${esc(t)}]`).join(" ")}</a> (line ${m.line})`)
    .join(", ");
  return `<div class="banner failed" role="alert"><strong>✗ ${bad.length} claim${bad.length > 1 ? "s" : ""} on this page failed ${bad.length > 1 ? "their" : "its"} checks:</strong> ${items}. Open the red badge for the failure and its replay command.</div>`;
}

/** A chapter or back-matter page; a chapter links to its neighbours (the first one back to the contents). */
export function chapterPage(site: SiteFrame, p: ParsedPage): string {
  const { md, chapters } = site;
  const ci = chapters.indexOf(p);
  const prev = ci > 0 ? chapters[ci - 1] : undefined;
  const next = ci >= 0 && ci < chapters.length - 1 ? chapters[ci + 1] : undefined;
  return page({
    title: p.title.replace(/\$/g, ""),
    titleHtml: renderInline(md, p.title),
    body: renderPage(md, p, site.hooks),
    root: "",
    nav: site.nav,
    current: `${p.name}.html`,
    footer: site.footer,
    banner: pageBanner(site, p),
    prev: prev
      ? { href: `${prev.name}.html`, label: shortTitle(prev) }
      : ci >= 0
        ? { href: "index.html", label: "Contents" }
        : undefined,
    next: next ? { href: `${next.name}.html`, label: shortTitle(next) } : undefined,
    scripts: site.scriptsOf(p),
  });
}

/** A source file's page, `depth` folders below the site's root (source/<rel>.html). */
export function sourceFilePage(site: SiteFrame, f: SourceFile): string {
  const depth = f.rel.split("/").length;
  return page({
    title: f.rel,
    body: sourceBody(f),
    root: "../".repeat(depth),
    nav: site.nav,
    footer: site.footer,
    wide: true,
  });
}
