/**
 * The browser test of the site's search, from file:// (where a page may not fetch, so an index that is
 * not in the page would fail): queries made from the built pages themselves — an equation's tag, a
 * function of src/, a word of a chapter's prose — each must lead to the place it names. One query goes
 * through the header's form on the index page, as a reader would type it; the others open
 * search.html?q=… directly.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { unescapeHtml } from "./html.ts";

export interface SearchProbe {
  query: string;
  /** What the query must find: a link whose target (from the site's root) starts with this. */
  target: string;
  /** How many of the first results may come before it. */
  within: number;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), "utf8");

function sourcePages(dir: string, sub = "source/src"): string[] {
  if (!existsSync(path.join(dir, sub))) return [];
  return readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourcePages(dir, `${sub}/${d.name}`) : d.name.endsWith(".html") ? [`${sub}/${d.name}`] : [],
  );
}

/**
 * Probes for the site in `dir`: the equation and the function named in `wanted` when the site has them
 * (else its first marked equation and first exported function). checkSearch adds a word of prose.
 */
export function searchProbes(dir: string, wanted: { eq?: string; fn?: string } = {}): SearchProbe[] {
  const probes: SearchProbe[] = [];
  const chapters = readdirSync(dir)
    .filter((f) => /^\d+-.*\.html$/.test(f))
    .sort();
  const eqs = chapters.flatMap((c) =>
    [...read(dir, c).matchAll(/<div class="equation marked" id="eq-(\d+)"/g)].map((m) => ({ c, n: m[1] })),
  );
  const eq = eqs.find((e) => e.n === wanted.eq) ?? eqs[0];
  if (eq) probes.push({ query: `eq ${eq.n}`, target: `${eq.c}#eq-${eq.n}`, within: 1 });
  const fns = sourcePages(dir).flatMap((p) =>
    [
      ...unescapeHtml(read(dir, p)).matchAll(/id="L(\d+)">[^\n]*?export (?:async )?function\*? ([A-Za-z_$][\w$]*)/g),
    ].map((m) => ({ p, line: m[1], name: m[2] })),
  );
  const fn = fns.find((f) => f.name === wanted.fn) ?? fns[0];
  if (fn) probes.push({ query: fn.name, target: `${fn.p}#L${fn.line}`, within: 1 });
  return probes;
}

/** The longest word (letters only, math left out) of the first chapter's first paragraph, as the chapter shows it. */
const PROSE_WORD = `(() => {
  const p = document.querySelector("main > p");
  if (!p) return "";
  const copy = p.cloneNode(true);
  for (const k of copy.querySelectorAll(".katex, code")) k.remove();
  return (copy.textContent.match(/\\p{L}{6,}/gu) || []).sort((a, b) => b.length - a.length)[0] || "";
})()`;

/**
 * Run the probes, and one for a word of the first chapter's prose, against dir/search.html from file://;
 * the problems found (empty when all is well).
 */
export async function checkSearch(context: BrowserContext, siteDir: string, given: SearchProbe[]): Promise<string[]> {
  const probes = [...given];
  const dir = path.resolve(siteDir);
  if (!existsSync(path.join(dir, "search.html"))) return ["search.html: missing (the site has no search page)"];
  const root = pathToFileURL(`${dir}/`).href;
  const problems: string[] = [];
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`search.html (file://): page error: ${e.message}`));
  try {
    const first = readdirSync(dir)
      .filter((f) => /^\d+-.*\.html$/.test(f))
      .sort()[0];
    if (first) {
      await page.goto(`${root}${first}`);
      const word = await page.evaluate<string>(PROSE_WORD);
      if (word) probes.push({ query: word, target: first, within: 10 });
      else problems.push(`${first}: no word of six letters or more in its first paragraph to search for`);
    }
    for (const [i, p] of probes.entries()) {
      if (i === 0) {
        // as a reader would: type into the header's form on the index page and press Enter
        await page.goto(`${root}index.html`);
        await page.fill("header form.search input[name=q]", p.query);
        await Promise.all([page.waitForURL(/search\.html\?/), page.press("header form.search input[name=q]", "Enter")]);
      } else await page.goto(`${root}search.html?q=${encodeURIComponent(p.query)}`);
      const hrefs = await page.evaluate<string[]>(
        `[...document.querySelectorAll("#search-results li > a")].map((a) => a.href)`,
      );
      const found = hrefs
        .slice(0, p.within)
        .some((h) => h.startsWith(root) && decodeURIComponent(h.slice(root.length)).startsWith(p.target));
      if (!found)
        problems.push(
          `search.html (file://): "${p.query}" should find ${p.target} among its first ${p.within} result(s); ` +
            (hrefs.length
              ? `it found ${hrefs
                  .slice(0, 3)
                  .map((h) => h.replace(root, ""))
                  .join(", ")}`
              : "it found nothing"),
        );
    }
  } finally {
    await page.close();
  }
  return problems;
}
