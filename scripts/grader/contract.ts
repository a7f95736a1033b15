/**
 * What the grader knows about the book, read from the book itself: the contract's function names by
 * chapter (the CHAPTERn_FUNCTIONS lists in src/contract/) and the spec folders by chapter
 * (spec/<n>-<name>/). A chapter added later needs no change here.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import * as contract from "../../src/contract/index.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Chapter number → the functions a student implements for it. */
export function chapterFunctions(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [k, v] of Object.entries(contract)) {
    const m = /^CHAPTER(\d+)_FUNCTIONS$/.exec(k);
    if (m && Array.isArray(v)) out.set(Number(m[1]), [...(v as readonly string[])]);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** Chapter number → its spec folder (relative to the project root). Chapter 0 (foundations) is not graded. */
export function chapterSpecDirs(): Map<number, string> {
  const out = new Map<number, string>();
  for (const d of readdirSync(path.join(ROOT, "spec"), { withFileTypes: true })) {
    const m = /^(\d+)-/.exec(d.name);
    if (d.isDirectory() && m && Number(m[1]) > 0) out.set(Number(m[1]), `spec/${d.name}`);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** The chapter a function belongs to, or undefined. */
export function chapterOf(fn: string, fns = chapterFunctions()): number | undefined {
  for (const [c, names] of fns) if (names.includes(fn)) return c;
  return undefined;
}
