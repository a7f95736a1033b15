/**
 * `pgbook exact <problem.json> [--theta <theta.json> | --pi <pi.json>] [--fractions]`: exact quantities
 * of a policy on a problem, printed as JSON. The input kind is recognised from the file's fields (see
 * `kinds` below): a chapter adds a kind by adding an entry. `--pi` gives the policy as probabilities
 * instead of θ; `--fractions` adds every number as an exact fraction (rules in ./fractions.ts). Bad
 * input exits 1 with one line naming the JSON path; usage errors exit 2. No stack traces.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
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

const USAGE =
  "usage: pgbook exact <problem.json> [--theta <theta.json> | --pi <pi.json>] [--horizon <T>] [--fractions]";

const HELP = `${USAGE}

  --theta <file>  the policy's parameters θ (flat, nested [S][A] for tabular, or {"theta": …}); default 0
  --pi <file>     the policy as probabilities π[s][a] of a tabular policy (nested, flat, or {"pi": …});
                  entries may be fraction strings ("1/3"); zeros are allowed for average-reward input
  --horizon <T>   the horizon of an episodic problem (sets or overrides its "horizon")
  --fractions     also print every number as an exact fraction ("11/34"), under "fractions".
                  A JSON number is read as the decimal it is written as and may have at most 15
                  significant digits; write other fractions as strings ("1/3"). Rows of P and the
                  initial distribution must sum to 1 exactly, and the policy must be rational:
                  θ = 0, or probabilities given with --pi.`;

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

/** One entry of a one-line array: a JSON number, or a fraction as --fractions prints it ("-11/34"). */
const ENTRY = String.raw`(?:-?[\d.eE+-]+|"-?\d+(?:/\d+)?")`;
const FLAT_ARRAY = new RegExp(String.raw`\[\s*(${ENTRY}(?:,\s*${ENTRY})*)\s*\]`, "g");

/** JSON with two-space indentation, but each array of numbers (or of fractions) on one line. */
export function compactJson(x: unknown): string {
  return JSON.stringify(x, null, 2).replace(FLAT_ARRAY, (_, body: string) => `[${body.split(/,\s*/).join(", ")}]`);
}

/** Run the command on argv; returns the exit code and writes to the given streams. */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        theta: { type: "string" },
        pi: { type: "string" },
        horizon: { type: "string" },
        fractions: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      out(HELP);
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
