/**
 * Site search, built with the site and working offline, from file:// too: the index is a list of
 * entries (the book's sections, equations, claims and figures, and the functions of src/) written into
 * search.html as JSON, and assets/search.js, a few dozen lines, looks a query up in it in the page. A
 * page loaded from file:// may run scripts but not fetch files, which is why the index is in the page
 * rather than fetched (pagefind and the like fetch theirs).
 *
 * Every page's header has a plain form that opens search.html?q=…; no other page runs a script.
 */
import type { Token } from "markdown-it";
import type { TestResult } from "../lib/run-specs.ts";
import { ellipsize } from "../lib/text.ts";
import { page } from "./layout.ts";
import type { Mark, ParsedPage } from "./markdown.ts";
import { shortTitle } from "./chapters.ts";
import type { SiteFrame } from "./site-frame.ts";
import { scriptJson } from "./html.ts";
import type { FnSite } from "./sources.ts";
import { sourcePage } from "./sources.ts";

/** One entry of the index: what a result shows and where it leads. */
export interface SearchEntry {
  /** Kind: a section of prose, an equation, a claim, a figure, a function of src/. */
  k: "section" | "equation" | "claim" | "figure" | "function";
  /** Title as shown. */
  t: string;
  /** Link, from the site's root. */
  h: string;
  /** Tags (`eq 21`, `sec 2.1`): a query naming one finds its entries first. */
  g: string[];
  /** Searchable text (prose, or the TeX of an equation, or where a function is checked). */
  x: string;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#x27;": "'",
};

/**
 * Typeset math as plain characters, read from the MathML KaTeX writes beside its HTML (its annotation,
 * the TeX source, left out): `\pi_\theta(a\mid s)` reads "πθ(a∣s)".
 */
export function mathText(html: string | undefined): string {
  const mathml = /<math[\s\S]*?(?=<annotation|<\/math>)/.exec(html ?? "")?.[0] ?? "";
  return mathml.replace(/<[^>]*>/g, "").replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]);
}

/** The text of a run of inline tokens: text and code as written, math as its characters. */
function prose(t: Token | undefined): string {
  return (t?.children ?? [])
    .map((c) =>
      c.type === "text" || c.type === "code_inline"
        ? c.content
        : c.type.startsWith("math_inline")
          ? mathText(c.meta?.html as string | undefined)
          : c.type.endsWith("break")
            ? " "
            : "",
    )
    .join("");
}

/** The entries of one page: a section per heading (the text before the first one under the page's title). */
function pageEntries(p: ParsedPage): SearchEntry[] {
  const where = shortTitle(p);
  const out: SearchEntry[] = [];
  let section: SearchEntry = { k: "section", t: p.title.replace(/\$/g, ""), h: `${p.name}.html`, g: [], x: "" };
  out.push(section);
  for (let i = 0; i < p.tokens.length; i++) {
    const t = p.tokens[i];
    const mark = t.meta?.mark as Mark | undefined;
    const id = t.meta?.id as string | undefined;
    if (t.type === "heading_open" && id) {
      const title = prose(p.tokens[i + 1]).trim();
      section = { k: "section", t: `${title} — ${where}`, h: `${p.name}.html#${id}`, g: [], x: "" };
      out.push(section);
    } else if (t.type === "inline") section.x += `${prose(t)} `;
    else if (mark && t.type === "math_block") {
      const x = mathText(t.meta?.html as string | undefined);
      out.push({
        k: "equation",
        t: `${String(t.meta?.number)} ${section.t}`,
        h: `${p.name}.html#${mark.anchor}`,
        g: mark.tags,
        x,
      });
    } else if (mark && t.type.endsWith("_open")) {
      // a claim or figure: its tags and the start of its text (the claim's prose, the figure's caption)
      const first = prose(p.tokens.slice(i + 1).find((x) => x.type === "inline"))
        .replace(/\s+/g, " ")
        .trim();
      const tags = mark.tags.map((g) => `[${g}]`).join(" ");
      const k = mark.kind === "figure" ? "figure" : "claim";
      out.push({ k, t: `${tags} ${ellipsize(first, 90)}`, h: `${p.name}.html#${mark.anchor}`, g: mark.tags, x: first });
    }
  }
  return out.filter((e) => e.k !== "section" || e.x.trim() || e.h.includes("#"));
}

/** The entries of src/'s exported functions: where each is defined and which claims check it. */
function functionEntries(fns: Map<string, FnSite>, tests: TestResult[]): SearchEntry[] {
  return [...fns].map(([name, at]) => {
    const tags = [...new Set(tests.filter((t) => t.meta?.implements?.includes(name)).flatMap((t) => t.tags))];
    return {
      k: "function",
      t: name,
      h: `${sourcePage(at.file)}#L${at.line}`,
      g: [],
      x: `${at.file}:${at.line}${tags.length ? ` checked by ${tags.map((g) => `[${g}]`).join(" ")}` : ""}`,
    };
  });
}

/** The whole index: every page of the book (the index page's introduction too), then the functions. */
export function searchIndex(pages: ParsedPage[], fns: Map<string, FnSite>, tests: TestResult[]): SearchEntry[] {
  return [...pages.flatMap(pageEntries), ...functionEntries(fns, tests)].map((e) => ({
    ...e,
    x: e.x.replace(/\s+/g, " ").trim(),
  }));
}

/** JSON safe inside a <script> element (no `</script>` or `<!--` can end it early). */
/** The search page: the form, the results, the index and the script that reads it. */
export function searchPage(site: SiteFrame, entries: SearchEntry[]): string {
  const body =
    `<form class="search-page" action="search.html" role="search"><input type="search" name="q" id="q" ` +
    `aria-label="Search the book" placeholder="eq 21, policyGradient, baseline…" autofocus></form>` +
    `<p id="search-status" class="toc-meta">Type a word, a function's name or an equation's tag (eq 21).</p>` +
    `<ol id="search-results" class="search-results"></ol>` +
    `<script type="application/json" id="search-index">${scriptJson(entries)}</script>` +
    `<script src="assets/search.js"></script>`;
  return page({ title: "Search", body, root: "", nav: site.nav, current: "search.html", footer: site.footer });
}
