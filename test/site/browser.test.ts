/**
 * The browser check itself: it passes a clean fixture site (at both widths, with a screenshot of each
 * page but the source pages) and catches what it promises to catch (a request leaving the site, a broken
 * link, a mark without its badge, raw $$, a missing figure, a source page that does not copy back as its
 * file, a search that finds nothing). The looks check has its own test (looks.test.ts).
 * Needs Debian's Chromium (`apt-get install -y chromium`); skipped, saying so, when it is absent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSite, launchChromium } from "../../scripts/site/browser-test.ts";
import { buildSite } from "../../scripts/site/build.ts";
import { CH1, ERRATA, passing, project } from "./fixtures.ts";

const hasChromium = existsSync(process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium");

describe.skipIf(!hasChromium)("checkSite in headless Chromium (needs /usr/bin/chromium)", () => {
  it("a clean site has no problems; a damaged one shows each kind of problem", async () => {
    const p = project({
      "01-bandits.md": CH1,
      "errata.md": ERRATA,
      "notation.md": "# Notation\n\n$\\theta$ parameters.\n",
    });
    expect((await buildSite(p.input(passing()))).ok).toBe(true);
    const site = path.join(p.root, "site");
    const shots = path.join(p.root, "shots");
    const browser = await launchChromium();
    try {
      const clean = await checkSite(site, { shotsDir: shots, sourceRoot: p.root }, browser.context);
      expect(clean.problems).toEqual([]);
      expect(clean.marks).toBe(4);
      expect(clean.figures).toBe(1);
      // every page but the source pages, at both widths
      const pages = ["01-bandits", "errata", "index", "notation", "report", "search"];
      expect(clean.screenshots.map((f) => path.relative(shots, f)).sort()).toEqual(
        ["1280", "390"].flatMap((w) => pages.map((n) => `${w}/${n}.png`)),
      );
      for (const f of clean.screenshots) expect(existsSync(f), f).toBe(true);

      const f = path.join(site, "01-bandits.html");
      let html = readFileSync(f, "utf8");
      html = html.replace(
        "</main>",
        () =>
          '<img src="http://198.51.100.7/x.png" alt=""><a href="nowhere.html">x</a><a href="errata.html#no-such-anchor">y</a><p>$$x$$</p></main>',
      );
      html = html.replace(
        /(<div class="claim marked"[^>]*><div class="claim-head">.*?)<details[\s\S]*?<\/details>/,
        "$1",
      );
      html = html.replace(/<div class="figure-svg"><svg[\s\S]*?<\/svg><\/div>/, '<div class="figure-svg"></div>');
      writeFileSync(f, html);
      // a source page whose lines copy with blank lines between them, as they did when each was a block
      const src = path.join(site, "source/src/gibbs.ts.html");
      writeFileSync(
        src,
        readFileSync(src, "utf8").replace(/<\/span>\n<span class="ln"/g, '</span>\n\n<span class="ln"'),
      );
      // a search that finds nothing
      writeFileSync(path.join(site, "assets/search.js"), "");
      const bad = (await checkSite(site, { sourceRoot: p.root, widths: [] }, browser.context)).problems.join("\n");
      expect(bad).toContain("01-bandits.html: request outside the site: http://198.51.100.7/x.png");
      expect(bad).toContain("broken link to nowhere.html");
      expect(bad).toContain("link to errata.html#no-such-anchor: no such anchor");
      expect(bad).toContain("raw $$");
      expect(bad).toContain("marks without a badge: sec-1_4");
      expect(bad).toContain("figure fig-probs has no drawn SVG");
      expect(bad).toContain(
        'source/src/gibbs.ts.html: the code copied from the page differs from the file at line 2: "" where the file has "export function gibbsScore(t: number[]) {"',
      );
      expect(bad).toContain(
        'search.html (file://): "eq 5" should find 01-bandits.html#eq-5 among its first 1 result(s); it found nothing',
      );
      expect(bad).toContain('search.html (file://): "gibbsScore" should find source/src/gibbs.ts.html#L2');
      expect(bad).toContain('search.html (file://): "Softmax" should find 01-bandits.html');
    } finally {
      await browser.close();
    }
  });
});
