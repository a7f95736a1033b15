/** Writing a report in the requested formats to a folder. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bookBase, type BookAnchors } from "./book-links.ts";
import {
  forStudent,
  toGradescope,
  toHtml,
  toJson,
  toJunit,
  toPrairieLearn,
  toTerminal,
  type BookLinks,
  type Report,
} from "./report.ts";

export const FORMATS = ["terminal", "json", "junit", "gradescope", "html", "prairielearn"] as const;
export type Format = (typeof FORMATS)[number];
/** What `npm run grade` writes when no --format is given: the console and report.txt, report.json, report.html. */
export const DEFAULT_FORMATS: readonly Format[] = ["terminal", "json", "html"];

/** Where the student's formats link each tag to: the book's marks, and the site's address (--book-url). */
export interface LinkOptions {
  anchors: BookAnchors;
  /** The site's address; by default this clone's site/ folder (see `bookBase`). */
  bookUrl?: string;
}

/**
 * The links as seen from `from` (the folder a file is read in): report.html links relative to its
 * own folder, text read at the console relative to the working directory.
 */
export function bookLinks(o: LinkOptions | undefined, from: string): BookLinks | undefined {
  return o && { anchors: o.anchors, base: bookBase(o.bookUrl, from) };
}

/**
 * Write the requested formats; returns the files written. report.json is the instructor's (every
 * seed and replay command); every other format is the student's view (`forStudent`: with a secret
 * seed, no seed, replay or secret in it). Each file is written whole or not at all (temp + rename).
 */
export function writeReports(
  r: Report,
  formats: Format[],
  out: string,
  secrets: string[] = [],
  links?: LinkOptions,
): string[] {
  mkdirSync(out, { recursive: true });
  const s = forStudent(r, secrets);
  const html = bookLinks(links, out);
  const text = bookLinks(links, process.cwd());
  const files: [Format, string, () => string][] = [
    ["json", "report.json", () => toJson(r)],
    ["junit", "junit.xml", () => toJunit(s)],
    ["gradescope", "results.json", () => JSON.stringify(toGradescope(s, text), null, 2) + "\n"],
    ["html", "report.html", () => toHtml(s, html)],
    ["prairielearn", "pl-results.json", () => JSON.stringify(toPrairieLearn(s, text), null, 2) + "\n"],
    ["terminal", "report.txt", () => toTerminal(s, false, text)],
  ];
  const written: string[] = [];
  for (const [f, name, render] of files) {
    if (!formats.includes(f)) continue;
    const file = path.join(out, name);
    writeFileSync(`${file}.tmp`, render());
    renameSync(`${file}.tmp`, file);
    written.push(path.join(out, name));
  }
  return written;
}
