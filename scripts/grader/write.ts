/** Writing a report in the requested formats to a folder. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  forStudent,
  toGradescope,
  toHtml,
  toJson,
  toJunit,
  toPrairieLearn,
  toTerminal,
  type Report,
} from "./report.ts";

export const FORMATS = ["terminal", "json", "junit", "gradescope", "html", "prairielearn"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Write the requested formats; returns the files written. report.json is the instructor's (every
 * seed and replay command); every other format is the student's view (`forStudent`: with a secret
 * seed, no seed, replay or secret in it). Each file is written whole or not at all (temp + rename).
 */
export function writeReports(r: Report, formats: Format[], out: string, secrets: string[] = []): string[] {
  mkdirSync(out, { recursive: true });
  const s = forStudent(r, secrets);
  const files: [Format, string, string][] = [
    ["json", "report.json", toJson(r)],
    ["junit", "junit.xml", toJunit(s)],
    ["gradescope", "results.json", JSON.stringify(toGradescope(s), null, 2) + "\n"],
    ["html", "report.html", toHtml(s)],
    ["prairielearn", "pl-results.json", JSON.stringify(toPrairieLearn(s), null, 2) + "\n"],
    ["terminal", "report.txt", toTerminal(s)],
  ];
  const written: string[] = [];
  for (const [f, name, text] of files) {
    if (!formats.includes(f)) continue;
    const file = path.join(out, name);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    written.push(path.join(out, name));
  }
  return written;
}
