/**
 * The browser check itself: it passes a clean fixture site and catches what it promises to catch
 * (a request leaving the site, a broken link, a mark without its badge, raw $$, a missing figure).
 * Needs Debian's Chromium (`apt-get install -y chromium`); skipped, saying so, when it is absent.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSite } from "../../scripts/site/browser-test.ts";
import { buildSite } from "../../scripts/site/build.ts";
import { CH1, ERRATA, passing, project } from "./fixtures.ts";

const hasChromium = existsSync(process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium");

describe.skipIf(!hasChromium)("checkSite in headless Chromium (needs /usr/bin/chromium)", () => {
  it("a clean site has no problems; a damaged one shows each kind of problem", async () => {
    const p = project({ "01-bandits.md": CH1, "errata.md": ERRATA, "notation.md": "# Notation\n\n$\\theta$ parameters.\n" });
    expect((await buildSite(p.input(passing()))).ok).toBe(true);
    const site = path.join(p.root, "site");
    const shot = path.join(p.root, "shot.png");
    const clean = await checkSite(site, { shot: "01-bandits.html", shotPath: shot, sourcePages: "all" });
    expect(clean.problems).toEqual([]);
    expect(clean.marks).toBe(4);
    expect(clean.figures).toBe(1);
    expect(existsSync(shot)).toBe(true);

    const f = path.join(site, "01-bandits.html");
    let html = readFileSync(f, "utf8");
    html = html.replace("</main>", () => '<img src="http://198.51.100.7/x.png" alt=""><a href="nowhere.html">x</a><a href="errata.html#no-such-anchor">y</a><p>$$x$$</p></main>');
    html = html.replace(/(<div class="claim marked"[^>]*><div class="claim-head">.*?)<details[\s\S]*?<\/details>/, "$1");
    html = html.replace(/<div class="figure-svg"><svg[\s\S]*?<\/svg><\/div>/, '<div class="figure-svg"></div>');
    writeFileSync(f, html);
    const bad = (await checkSite(site)).problems.join("\n");
    expect(bad).toContain("01-bandits.html: request outside the site: http://198.51.100.7/x.png");
    expect(bad).toContain("broken link to nowhere.html");
    expect(bad).toContain("link to errata.html#no-such-anchor: no such anchor");
    expect(bad).toContain("raw $$");
    expect(bad).toContain("marks without a badge: sec-1_4");
    expect(bad).toContain("figure fig-probs has no drawn SVG");
  });
});
