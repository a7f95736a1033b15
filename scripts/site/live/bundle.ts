/**
 * Bundling the live book's scripts for the browser, once for every part: esbuild at site build time, a minified
 * IIFE (ES2020), and no node: module (a bundle that meets one fails, naming the file that imports it); a worker's
 * code wrapped as a script that sets a global to it; the gzipped sizes the budget is stated in.
 */
import { build, type Plugin } from "esbuild";
import { gzipSync } from "node:zlib";

const noNode: Plugin = {
  name: "no-node-modules",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.importer} imports ${args.path}: the browser has no node: modules` }],
    }));
  },
};

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
    plugins: [noNode],
  });
  return out.outputFiles[0].text;
}

/** A worker's code as a script that sets the global `name` to it (a worker starts from a Blob of that text). */
export const asGlobalString = (name: string, code: string): string =>
  `globalThis.${name}=${JSON.stringify(code).replace(/</g, "\\u003c")};\n`;

/** Gzipped sizes of files, in bytes. */
export const gzippedSizes = (files: Record<string, string>): Record<string, number> =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [k, gzipSync(v, { level: 9 }).length]));
