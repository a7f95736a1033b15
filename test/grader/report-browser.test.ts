/**
 * report.html as a student sees it, in headless Chromium at a phone's width (390 px) and a desktop's
 * (1280 px), judged by the site's own looks probe (scripts/site/looks.ts): the page never scrolls
 * sideways and no element is wider than its column (long messages, counterexamples and replay commands
 * wrap, or scroll inside a box of their own), with the checks that held collapsed and opened. The
 * report is the hand-made one of report-fixture.ts, with failures, a 1500-character token and, once, a
 * secret seed. Needs Debian's Chromium; skipped, saying so, without it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBookAnchors } from "../../scripts/grader/book-links.ts";
import { writeReports } from "../../scripts/grader/write.ts";
import { launchChromium } from "../../scripts/site/browser-test.ts";
import { formatLooks, LOOKS_WIDTHS, looksAt } from "../../scripts/site/looks.ts";
import { fixtureReport } from "./report-fixture.ts";

const CHROMIUM = process.env.PGBOOK_CHROMIUM ?? "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))(`report.html at ${LOOKS_WIDTHS.join(" and ")} px (needs ${CHROMIUM})`, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-report-browser-"));
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    const anchors = await readBookAnchors();
    for (const [name, secret] of [
      ["public", undefined],
      ["secret", "hush-secret-77"],
    ] as const) {
      const out = path.join(dir, name);
      writeReports(fixtureReport(secret), ["html"], out, secret ? [secret] : [], { anchors });
      pages[name] = path.join(out, "report.html");
    }
    browser = await launchChromium();
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The looks problems of `file` at `width` (its <details> closed, then opened), one line each. */
  async function looks(file: string, width: number): Promise<string[]> {
    const page = await context.newPage();
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      return (await looksAt(page, path.basename(path.dirname(file)), width)).map(formatLooks);
    } finally {
      await page.close();
    }
  }

  for (const name of ["public", "secret"])
    for (const width of LOOKS_WIDTHS)
      it(`the ${name}-seed report fits ${width} px: no sideways scroll, nothing wider than its column`, async () => {
        expect(await looks(pages[name], width)).toEqual([]);
      });

  it("the same probe sees a line too wide for the report's column, and lets one scroll inside its own box", async () => {
    const html = readFileSync(pages.public, "utf8");
    const line = `<p style="white-space:nowrap;overflow-wrap:normal">${"y".repeat(200)}</p>`;
    const wide = path.join(dir, "wide", "report.html");
    const boxed = path.join(dir, "boxed", "report.html");
    for (const [f, extra] of [
      [wide, line],
      [boxed, `<div style="overflow-x:auto">${line}</div>`],
    ]) {
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, html.replace("<main>", `<main>${extra}`));
    }
    const problems = (await looks(wide, 390)).join("\n");
    expect(problems).toContain("wide @ 390 px: page-scroll");
    expect(problems).toMatch(/wide @ 390 px: too-wide: the text of p "y+…": spans/);
    expect(await looks(boxed, 390)).toEqual([]);
  });
});
