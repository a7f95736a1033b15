/**
 * The scripts of the "check your code" panels, bundled for the browser with esbuild at site build time from the
 * same sources the checks run: check-panel.js (on every chapter page with a panel), editor.js (CodeMirror, when
 * a reader opens a panel) and check-worker.js (the worker's source as a string, loaded when the checks first run,
 * with fast-check, the portable claims, the reference implementation and sucrase).
 */
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const here = (f: string) => fileURLToPath(new URL(`./${f}`, import.meta.url));

/** Bundle one entry to a minified IIFE for the browser. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  return out.outputFiles[0].text;
}

/** A worker's code as a script that sets the global `name` to it (a worker starts from a Blob of that text). */
export const asGlobalString = (name: string, code: string): string =>
  `globalThis.${name}=${JSON.stringify(code).replace(/</g, "\\u003c")};\n`;

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

/** Gzipped sizes of files, in bytes. */
export const gzippedSizes = (files: Record<string, string>): Record<string, number> =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [k, gzipSync(v, { level: 9 }).length]));
