/** Writing a report in the requested formats to a folder. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { toGradescope, toHtml, toJson, toJunit, toPrairieLearn, toTerminal, type Report } from "./report.ts";

export const FORMATS = ["terminal", "json", "junit", "gradescope", "html", "prairielearn"] as const;
export type Format = (typeof FORMATS)[number];

/** Write the requested formats; returns the files written. */
export function writeReports(r: Report, formats: Format[], out: string): string[] {
  mkdirSync(out, { recursive: true });
  const files: [Format, string, string][] = [
    ["json", "report.json", toJson(r)],
    ["junit", "junit.xml", toJunit(r)],
    ["gradescope", "results.json", JSON.stringify(toGradescope(r), null, 2) + "\n"],
    ["html", "report.html", toHtml(r)],
    ["prairielearn", "pl-results.json", JSON.stringify(toPrairieLearn(r), null, 2) + "\n"],
    ["terminal", "report.txt", toTerminal(r)],
  ];
  const written: string[] = [];
  for (const [f, name, text] of files) {
    if (!formats.includes(f)) continue;
    writeFileSync(path.join(out, name), text);
    written.push(path.join(out, name));
  }
  return written;
}

