/**
 * Running a fast-check property as a check, for any runner (vitest, the grader, the browser): the property is
 * run under a given 32-bit seed, and a failure is thrown as one Error whose message says what went wrong first
 * (the comparison's message, or the error the implementation threw, whose sandbox verdict the grader reads), then
 * the counterexample argument by argument in plain numbers, fast-check's seed and path, and how to replay it.
 * No runner's API is used here: spec/support/property.ts wraps it for vitest, scripts/site/live for the page.
 */
import fc from "fast-check";

export interface PropertyOptions {
  numRuns?: number;
  implements?: string[];
}

/** How one run of a property is set up: its seed, its size, the functions it exercises, how to replay it. */
export interface PropertyRun {
  seed: number;
  numRuns: number;
  /** The contract functions the property calls (a thrown error is attributed to one of them). */
  fns: string[];
  /** A line telling the reader how to replay the run (a command, or the seed to enter). */
  replay: string;
}

/** A number as JavaScript prints it (the shortest text that reads back to the same double). */
const num = (x: number) => (Object.is(x, -0) ? "-0" : String(x));

/**
 * A value in readable form: typed arrays and arrays as [x, y, …], objects as { key: value }, numbers
 * in full precision. Long lists are cut after `limit` entries.
 */
export function show(v: unknown, limit = 64, depth = 0): string {
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || v === undefined || typeof v === "boolean") return String(v);
  if (typeof v === "function") return `[function ${v.name || "anonymous"}]`;
  if (depth > 6) return "…";
  const list = ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v;
  if (Array.isArray(list)) {
    const items = list.slice(0, limit).map((x) => show(x, limit, depth + 1));
    return `[${items.join(", ")}${list.length > limit ? `, … (${list.length} entries)` : ""}]`;
  }
  if (v instanceof Map)
    return `Map { ${[...v]
      .slice(0, limit)
      .map(([k, x]) => `${show(k, limit, depth + 1)} => ${show(x, limit, depth + 1)}`)
      .join(", ")} }`;
  if (typeof v === "symbol") return v.toString();
  const entries = Object.entries(v as Record<string, unknown>).slice(0, limit);
  return `{ ${entries.map(([k, x]) => `${k}: ${show(x, limit, depth + 1)}`).join(", ")} }`;
}

/** An error raised by a comparison of the spec (vitest's expect, or a tolerance check), not by the code under test. */
function isAssertion(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === "AssertionError" || "matcherResult" in e) return true;
  // expectClose (close.ts): "<what>[i] = x, expected y: error … > allowed …"
  return /, expected .*: error .* > allowed /.test(e.message) || /: length \d+, expected length \d+$/.test(e.message);
}

/** The function of the implementation a thrown error came from: the sandbox names it; otherwise the innermost stack frame among `fns`. */
function thrower(e: unknown, fns: string[]): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const sandbox = /pgbook-sandbox\[[\w-]+\]: (?:\(not called again\) )?(\w+)/.exec(e.message);
  if (sandbox) return sandbox[1];
  for (const m of (e.stack ?? "").matchAll(/^\s*at (?:Object\.|Proxy\.|Module\.)?([\w$]+) /gm))
    if (fns.includes(m[1])) return m[1];
  return undefined;
}

/** The cause of a failure as its first line(s): a comparison's message, or the implementation's error named by the function that threw it. */
function cause(e: unknown, fns: string[]): string {
  const text = e instanceof Error ? e.message : e === undefined ? "the property returned false" : `threw ${show(e)}`;
  if (!(e instanceof Error) || isAssertion(e) || /pgbook-sandbox\[/.test(text)) return text;
  const fn = thrower(e, fns);
  return `${text}\n  (${fn ? `${fn} threw` : fns.length ? `thrown while calling ${fns.join(", ")}:` : "thrown:"} ${e.name})`;
}

const listArgs = (v: unknown) => (v as unknown[]).map((x, i) => `    #${i + 1}: ${show(x)}`).join("\n");

/**
 * Run `property` as set up by `run`; return when it holds, throw the failure otherwise (see the module's doc).
 * The first failing instance as drawn is reported first (at the magnitudes the claim is about, so the size of
 * the error is what a typical instance shows), then the simplest instance shrinking found (which sits near the
 * tolerance's edge, where a real error can look like round-off).
 */
export function runProperty<T>(property: fc.IProperty<T>, run: PropertyRun): void {
  const { seed, numRuns, fns } = run;
  const details = fc.check(property, { seed, numRuns, verbose: fc.VerbosityLevel.Verbose });
  if (!details.failed) return;
  const where = `  fast-check seed: ${details.seed}, path: ${details.counterexamplePath} (replays the shrunk instance)\n  replay: ${run.replay}`;
  if (details.counterexample === null) {
    // no counterexample: fast-check gave up (too many instances rejected by fc.pre) or was interrupted
    throw new Error(
      `property not checked: it stopped after ${details.numRuns} of ${numRuns} runs with ${details.numSkips} instances skipped\n${where}`,
    );
  }
  const shrunk = details.counterexample;
  const shrunkCause = cause(details.errorInstance, fns);
  const first = details.failures.length > 1 ? details.failures[0] : undefined;
  let firstCause: string | undefined;
  if (first !== undefined) {
    const rerun = property.run(first);
    firstCause = rerun && "error" in rerun ? cause(rerun.error, fns) : undefined;
  }
  // The first line is the cause the grader and the student read: the first failing instance's, unless
  // only the shrunk one carries the sandbox's verdict.
  if (
    first === undefined ||
    firstCause === undefined ||
    (/pgbook-sandbox\[/.test(shrunkCause) && !/pgbook-sandbox\[/.test(firstCause))
  ) {
    throw new Error(
      `${shrunkCause}\n  property failed at run ${details.numRuns} of ${numRuns} on (the arguments of the property):\n${listArgs(shrunk)}\n${where}`,
    );
  }
  throw new Error(
    `${firstCause}\n  property failed at run ${details.numRuns} of ${numRuns}; the first failing instance (the arguments of the property, as drawn):\n${listArgs(first)}\n` +
      `  shrunk to the simplest failing instance found:\n${listArgs(shrunk)}\n  which fails with: ${shrunkCause.split("\n")[0]}\n${where}`,
  );
}
