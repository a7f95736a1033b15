/**
 * The live book's part of `npm run test:browser`, on the built site from file:// (where a reader opening the
 * folder meets it): the "check your code" panels (panel-check.ts), the same verdicts in the page as in vitest
 * (same-verdict.ts) and the live figures (figure-check.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { checkLiveFigures } from "./figure-check.ts";
import { checkPanels } from "./panel-check.ts";
import { checkSameVerdict } from "./same-verdict.ts";

/** The master seed the site's checks ran under (the panels carry it). */
function siteMaster(siteDir: string): string {
  const html = readFileSync(path.join(siteDir, "01-bandits.html"), "utf8");
  const m = /class="check-data">[^<]*"master":"([^"]+)"/.exec(html);
  if (!m) throw new Error(`${siteDir}/01-bandits.html has no "check your code" panel`);
  return m[1];
}

export async function checkLiveBook(
  context: BrowserContext,
  siteDir: string,
  log: (line: string) => void,
): Promise<string[]> {
  const url = (rel: string) => pathToFileURL(path.join(siteDir, rel)).href;
  const problems: string[] = [];
  problems.push(...(await checkLiveFigures(context, url, { log })));
  problems.push(...(await checkPanels(context, url, [1280, 390], log)));
  const master = siteMaster(siteDir);
  problems.push(
    ...(await checkSameVerdict(
      async () => {
        const page = await context.newPage();
        await page.goto(url("01-bandits.html"));
        return page;
      },
      master,
      log,
    )),
  );
  return problems;
}
