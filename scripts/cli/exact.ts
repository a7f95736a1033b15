/**
 * `pgbook exact <problem.json> [--theta <theta.json> | --pi <pi.json>] [--fractions]`: exact quantities
 * of a policy on a problem, printed as JSON. The input kind is recognised from the file's fields (see
 * `kinds` below): a chapter adds a kind by adding an entry. `--pi` gives the policy as probabilities
 * instead of θ; `--fractions` adds every number as an exact fraction (rules in ./fractions.ts). The input's
 * `stateNames` and `actionNames` are echoed. Bad input exits 1 with one line naming the JSON path; usage
 * errors exit 2. No stack traces. Options, help and usage line come from the CLI's table (./commands.mjs).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { commandHelp, findCommand, parseOptions, usageLine } from "./commands.mjs";
import { averageRewardReport, type ReportOptions } from "./average-reward-input.ts";
import { episodicReportWith, withHorizon } from "./episodic-input.ts";

export interface InputKind {
  name: string;
  /** Does this parsed input belong to this kind? Checked in order; the first match wins. */
  matches(input: Record<string, unknown>): boolean;
  report(input: unknown, theta: unknown, options: ReportOptions): unknown;
}

/** Input kinds, most specific first. Episodic problems (Chapter 3) will match on a `horizon` field. */
export const kinds: InputKind[] = [
  { name: "episodic", matches: (o) => "horizon" in o, report: episodicReportWith },
  { name: "average-reward", matches: (o) => !("horizon" in o), report: averageRewardReport },
];

/** This command's entry in the CLI's table: its options, usage line and help. */
const EXACT = findCommand("exact")!;
const USAGE = usageLine(EXACT);

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
    throw new Error(`${file}: not valid JSON (${(e as Error).message.split("\n")[0]})`, { cause: e });
  }
}

/** One entry of a one-line array: a JSON number, or a string (a fraction as --fractions prints it, "-11/34", or a name). */
const ENTRY = String.raw`(?:-?[\d.eE+-]+|"(?:[^"\\\n]|\\.)*")`;
const FLAT_ARRAY = new RegExp(String.raw`\[\s*(${ENTRY}(?:,\s*${ENTRY})*)\s*\]`, "g");
const ENTRIES = new RegExp(ENTRY, "g");

/** JSON with two-space indentation, but each array of numbers or strings (fractions, names) on one line. */
export function compactJson(x: unknown): string {
  return JSON.stringify(x, null, 2).replace(FLAT_ARRAY, (_, body: string) => `[${body.match(ENTRIES)!.join(", ")}]`);
}

/** Run the command on argv; returns the exit code and writes to the given streams. */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, options: parseOptions(EXACT) });
    const { positionals } = parsed;
    const values = parsed.values as {
      theta?: string;
      pi?: string;
      horizon?: string;
      fractions?: boolean;
      help?: boolean;
    };
    if (values.help) {
      out(commandHelp(EXACT));
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length ? `expected one input file, got ${positionals.length}` : "missing the input file",
      );
    const raw = readJson(positionals[0], "input file");
    const input = values.horizon === undefined ? raw : withHorizon(raw, values.horizon); // episodic: T from the command line
    if (values.theta !== undefined && values.pi !== undefined)
      throw new UsageError("--theta and --pi both give the policy: use one");
    const theta = values.theta === undefined ? undefined : readJson(values.theta, "θ file");
    const pi = values.pi === undefined ? undefined : readJson(values.pi, "π file");
    const o =
      typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const kind = kinds.find((k) => k.matches(o));
    if (!kind) throw new Error(`$: no input kind matches this file (known: ${kinds.map((k) => k.name).join(", ")})`);
    out(compactJson(kind.report(input, theta, { fractions: values.fractions === true, pi })));
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    err(`pgbook exact: ${msg}${usage ? `\n${USAGE}` : ""}`);
    return usage ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("scripts/cli/exact.ts")) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s + "\n"),
    (s) => process.stderr.write(s + "\n"),
  );
}
