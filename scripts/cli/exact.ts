/**
 * `pgbook exact <problem.json> [--theta <theta.json>]`: exact quantities of a policy on a problem,
 * printed as JSON. The input kind is recognised from the file's fields (see `kinds` below): a
 * chapter adds a kind by adding an entry. Bad input exits 1 with one line naming the JSON path;
 * usage errors exit 2. No stack traces.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { averageRewardReport } from "./average-reward-input.ts";
import { episodicReport, withHorizon } from "./episodic-input.ts";

export interface InputKind {
  name: string;
  /** Does this parsed input belong to this kind? Checked in order; the first match wins. */
  matches(input: Record<string, unknown>): boolean;
  report(input: unknown, theta: unknown): unknown;
}

/** Input kinds, most specific first. Episodic problems (Chapter 3) will match on a `horizon` field. */
export const kinds: InputKind[] = [
  { name: "episodic", matches: (o) => "horizon" in o, report: (input, theta) => episodicReport(input, theta) },
  { name: "average-reward", matches: (o) => !("horizon" in o), report: averageRewardReport },
];

const USAGE = "usage: pgbook exact <problem.json> [--theta <theta.json>] [--horizon <T>]";

class UsageError extends Error {}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
}

/** JSON with two-space indentation, but each array of numbers on one line. */
export function compactJson(x: unknown): string {
  return JSON.stringify(x, null, 2).replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, body: string) => `[${body.split(/,\s*/).join(", ")}]`);
}

/** Run the command on argv; returns the exit code and writes to the given streams. */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { theta: { type: "string" }, horizon: { type: "string" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one input file, got ${positionals.length}` : "missing the input file");
    const raw = readJson(positionals[0], "input file");
    const input = values.horizon === undefined ? raw : withHorizon(raw, values.horizon); // episodic: T from the command line
    const theta = values.theta === undefined ? undefined : readJson(values.theta, "θ file");
    const o = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const kind = kinds.find((k) => k.matches(o));
    if (!kind) throw new Error(`$: no input kind matches this file (known: ${kinds.map((k) => k.name).join(", ")})`);
    out(compactJson(kind.report(input, theta)));
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    err(`pgbook exact: ${msg}${usage ? `\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("scripts/cli/exact.ts")) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s + "\n"), (s) => process.stderr.write(s + "\n"));
}
