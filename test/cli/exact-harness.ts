/** What the tests of `pgbook exact` share: its main run in-process, input files in a temporary folder, the error check. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { main } from "../../scripts/cli/exact.ts";

/** The repository's root (the examples' folder is under it). */
export const root = path.resolve(import.meta.dirname, "../..");

/** What a run printed: the exit code, then stdout's and stderr's lines joined. */
export interface ExactRun {
  code: number;
  out: string;
  err: string;
}

/** `pgbook exact <args>` run in this process, its output collected. */
export function run(args: string[]): ExactRun {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A writer of input files into a fresh temporary folder (`prefix…`): a string as it is, anything else as JSON. */
export function inputFolder(prefix: string): { dir: string; file: (name: string, content: unknown) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = (name: string, content: unknown) => {
    const p = path.join(dir, name);
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  };
  return { dir, file };
}

/** A bad input's run: exit 1, nothing on stdout, and one line on stderr matching `msg` (which names the place). */
export function expectOneLineError(r: ExactRun, msg: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.out).toBe("");
  expect(r.err).toMatch(msg);
  expect(r.err.split("\n")).toHaveLength(1);
}
