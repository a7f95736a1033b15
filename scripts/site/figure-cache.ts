/**
 * The figures' markup kept between builds. A figure is a function of the code that draws it and of the checks'
 * results (their facts and master seed), so under one content key — the results' own key (src/, measure/, spec/,
 * chapters/, scripts/lib/, the packages, the seed) with scripts/site/ added — it is the same on every build, and
 * a cached build need not rerun the figures' experiments (most of its time: Chapter 4's training, Chapter 1's
 * runs). Any other key, or a file that does not parse, draws every figure afresh.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { contentKey } from "../lib/results.ts";

interface CacheFile {
  key: string;
  figures: Record<string, string>;
}

/** The cache's key for results computed under `resultsKey`: that key and every file of scripts/site/. */
export function figureCacheKey(root: string, resultsKey: string): string {
  return contentKey(root, ["scripts/site"], [], `results\0${resultsKey}\0`);
}

/** Where the cache lives for `key` under the project's .cache/. */
export const figureCacheFile = (root: string, key: string): string =>
  path.join(root, ".cache", `figures-${key.slice(0, 24)}.json`);

/** The kept markup by figure id, when the file holds this key's; otherwise none. */
export function readFigureCache(cache: { file: string; key: string }): Map<string, string> {
  if (!existsSync(cache.file)) return new Map();
  try {
    const c = JSON.parse(readFileSync(cache.file, "utf8")) as CacheFile;
    return c.key === cache.key ? new Map(Object.entries(c.figures)) : new Map<string, string>();
  } catch {
    return new Map();
  }
}

/** Keep `figures` under the cache's key (written whole, then renamed into place). */
export function writeFigureCache(cache: { file: string; key: string }, figures: Map<string, string>): void {
  mkdirSync(path.dirname(cache.file), { recursive: true });
  const tmp = `${cache.file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ key: cache.key, figures: Object.fromEntries(figures) } satisfies CacheFile));
  renameSync(tmp, cache.file);
}
