/**
 * The scripts of the "check your code" panels, bundled for the browser with esbuild at site build time from the
 * same sources the checks run: check-panel.js (on every chapter page with a panel), editor.js (CodeMirror, when
 * a reader opens a panel) and check-worker.js (the worker's source as a string, loaded when the checks first run,
 * with fast-check, the portable claims, the reference implementation and sucrase).
 */
import { fileURLToPath } from "node:url";
import { asGlobalString, bundleForBrowser } from "./bundle.ts";

export { gzippedSizes } from "./bundle.ts";

const here = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));

/** The panel's files, by name under assets/live/. */
export async function checkAssets(): Promise<Record<string, string>> {
  const [panel, editor, worker] = await Promise.all([
    bundleForBrowser(here("check-panel.ts")),
    bundleForBrowser(here("editor.ts")),
    bundleForBrowser(here("check-worker.ts")),
  ]);
  return {
    "check-panel.js": panel,
    "editor.js": editor,
    "check-worker.js": asGlobalString("PGBOOK_CHECK_WORKER", worker),
  };
}
