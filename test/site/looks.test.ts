/**
 * The looks check itself (scripts/site/looks.ts): on a fixture site built by the site builder it finds
 * nothing, and on pages made to show each defect it reports that defect, with the page, the width, the
 * element and a measurement — a display too wide for its column, an equation number over its math (the
 * way KaTeX's own tag lay before), a badge over the math, an SVG label cut short with "…" or lying outside
 * its viewBox, and a desktop display wider than its box. One Chromium for the whole file.
 * Needs Debian's Chromium (`apt-get install -y chromium`); skipped, saying so, when it is absent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import katex from "katex";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serve } from "../../scripts/site/browser-test.ts";
import { buildSite } from "../../scripts/site/build.ts";
import { LOOKS_WIDTHS, looksAt, type LooksProblem } from "../../scripts/site/looks.ts";
import { CH1, ERRATA, passing, project } from "./fixtures.ts";

const hasChromium = existsSync(process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium");

/** A display far wider than any column: 80 terms, numbered (5) so that its check's badge goes with it. */
const LONG = `$$\n${Array.from({ length: 80 }, (_, i) => `x_{${i}}`).join(" + ")} \\tag{5}\n$$\n`;

describe.skipIf(!hasChromium)("looksAt in headless Chromium (needs /usr/bin/chromium)", () => {
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let server: Server;
  let origin: string;
  let site: string;

  /** A page of the fixture site with `head` added to its <head> and `body` put at the start of its <main>. */
  const variant = (name: string, from: string, head: string, body = "") => {
    const html = readFileSync(path.join(site, from), "utf8")
      .replace("</head>", () => `${head}</head>`)
      .replace(/<main[^>]*>/, (m) => `${m}${body}`);
    writeFileSync(path.join(site, name), html);
  };

  /** Every looks problem of `rel` at both widths. */
  const looks = async (rel: string): Promise<LooksProblem[]> => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${origin}/${rel}`);
      await page.evaluate("document.fonts.ready.then(() => true)");
      const out: LooksProblem[] = [];
      for (const w of LOOKS_WIDTHS) out.push(...(await looksAt(page, rel, w)));
      return out;
    } finally {
      await page.close();
    }
  };
  const kinds = (ps: LooksProblem[]) => [...new Set(ps.map((p) => `${p.width} ${p.kind}`))].sort();

  beforeAll(async () => {
    const p = project({
      "01-bandits.md": CH1,
      "02-long.md": `# 2. Long\n\nOne display:\n\n${LONG}`,
      "errata.md": ERRATA,
    });
    const tests = passing();
    expect((await buildSite(p.input(tests))).ok).toBe(true);
    site = path.join(p.root, "site");
    ({ server, origin } = await serve(site));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("finds nothing on the built pages, at either width", async () => {
    for (const rel of [
      "index.html",
      "01-bandits.html",
      "errata.html",
      "report.html",
      "search.html",
      "source/src/gibbs.ts.html",
    ])
      expect(await looks(rel), rel).toEqual([]);
  });

  it("lets a wide display scroll inside its own box on a phone, but not on a desktop, where it is cut", async () => {
    const found = await looks("02-long.html");
    expect(kinds(found)).toEqual(["1280 math-cut"]);
    expect(found[0].element).toMatch(/^span\.katex-display in #eq-5 "x_\{0\} \+ x_\{1\}/);
    expect(found[0].measure).toMatch(/^the math is \d+ px wide, its box \d+ px \(div\.eq-math, scrolls\)$/);
  });

  it("reports a display made too wide for its column, the page's sideways scroll, and the math under the number", async () => {
    variant("wide.html", "02-long.html", "<style>.eq-math { overflow: visible; }</style>");
    const found = await looks("wide.html");
    expect(kinds(found)).toEqual([
      "1280 overlap",
      "1280 page-scroll",
      "1280 too-wide",
      "390 overlap",
      "390 page-scroll",
      "390 too-wide",
    ]);
    const wide = found.find((p) => p.width === 390 && p.kind === "too-wide")!;
    expect(wide.page).toBe("wide.html");
    // named once, as the outermost element whose content runs past the column
    expect(wide.element).toMatch(/^the content of div#eq-5\.equation\.marked "x_\{0\} \+ x_\{1\}/);
    expect(wide.measure).toMatch(/^spans \d+–\d+ px, its column \d+–\d+ px \(\d+ px past it\)$/);
    expect(found.find((p) => p.width === 390 && p.kind === "page-scroll")!.measure).toMatch(
      /^scrollWidth \d+ px > viewport 390 px$/,
    );
  });

  it("reports an equation number lying over its math, as KaTeX's own tag did", async () => {
    // the number typeset by KaTeX inside the math, in a box that scrolls: the way the site drew (12) before
    const tagged = katex.renderToString(`${Array.from({ length: 30 }, (_, i) => `y_{${i}}`).join(" + ")} \\tag{12}`, {
      displayMode: true,
    });
    variant(
      "tag.html",
      "index.html",
      "<style>.eq-math > .katex-display { overflow-x: auto; }</style>",
      `<div class="equation" id="eq-12"><div class="eq-math">${tagged}</div></div>`,
    );
    const found = (await looks("tag.html")).filter((p) => p.kind === "overlap");
    expect(found.map((p) => p.width)).toEqual([1280, 390]);
    expect(found[0].element).toMatch(/^div#eq-12\.equation "y_\{0\}/);
    expect(found[0].measure).toMatch(
      /^the math \([\d–× ]+\) and the number \(12\) \([\d–× ]+\) overlap by \d+ × \d+ px$/,
    );
  });

  it("reports a badge lying over the math", async () => {
    variant(
      "badge.html",
      "01-bandits.html",
      "<style>.equation > .badge { justify-self: center; margin-top: -2.2rem; }</style>",
    );
    const found = (await looks("badge.html")).filter((p) => p.kind === "overlap");
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.element.startsWith("div#eq-5.equation.marked"))).toBe(true);
    expect(found.some((p) => /^the math \(.*\) and the badge \(.*\) overlap by/.test(p.measure))).toBe(true);
  });

  it("reports an SVG label cut short with '…', and one outside its viewBox", async () => {
    const svg =
      `<figure class="figure" id="fig-x"><svg viewBox="0 0 200 100" width="200" height="100">` +
      `<rect x="0" y="0" width="200" height="100" fill="none" stroke="black"/>` +
      `<text x="10" y="30" font-size="12">running-average b…</text>` +
      `<text x="150" y="60" font-size="12">far past the right edge</text>` +
      `<text x="10" y="90" font-size="12">fits</text></svg></figure>`;
    variant("svg.html", "index.html", "", svg);
    const found = await looks("svg.html");
    expect(kinds(found)).toEqual(["1280 svg-ellipsis", "1280 svg-outside", "390 svg-ellipsis", "390 svg-outside"]);
    const cut = found.find((p) => p.kind === "svg-ellipsis")!;
    expect(cut.element).toBe('text "running-average b…" in #fig-x');
    const out = found.find((p) => p.kind === "svg-outside")!;
    expect(out.element).toBe('text "far past the right edge" in #fig-x');
    expect(out.measure).toMatch(/^its box [\d–× ]+ lies \d+ px outside the viewBox [\d–× ]+$/);
  });
});
