/**
 * The live figures' scripts, bundled for the browser with esbuild at site build time from the sources the
 * build draws the static figures with: figures-page.js (the controls, on every page with a live figure) and
 * figure-worker.js (the worker's code as a global string, loaded when a reader first changes a setting: the
 * book's src/ and measure/ code behind the figures, and the part of vega that draws them; no vega-lite).
 * Write `files` under assets/live/ of the site.
 */
import { fileURLToPath } from "node:url";
import { asGlobalString, bundleForBrowser, gzippedSizes } from "./bundle.ts";
import { PAGE_FILE, WORKER_FILE, WORKER_GLOBAL } from "./figure-protocol.ts";

const here = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));

/** The live figures' files by name under assets/live/, and their gzipped sizes in bytes. */
export async function figureAssets(): Promise<{ files: Record<string, string>; gzipped: Record<string, number> }> {
  const [page, worker] = await Promise.all([
    bundleForBrowser(here("figures-page.ts")),
    bundleForBrowser(here("figure-worker.ts")),
  ]);
  const files = { [PAGE_FILE]: page, [WORKER_FILE]: asGlobalString(WORKER_GLOBAL, worker) };
  return { files, gzipped: gzippedSizes(files) };
}
