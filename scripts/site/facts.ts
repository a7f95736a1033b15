/**
 * Numbers in a chapter that come from the checks. A chapter writes `{{fig1.concentrated.successes}}`
 * where the number belongs, and the site builder puts in the value that the checks recorded under that
 * name (`claim(ctx, …, { facts })`, spec/support/claim.ts), so a caption's counts, runs and settings
 * are those of the runs that were checked, never typed. A name no check recorded, or one that two
 * checks recorded with different values, stops the build with the place where it is used.
 *
 *   {{name}}              the value: integers with thousands separators (1,100), other numbers as
 *                         recorded (0.05), strings as they are
 *   {{name | percent}}    a share as a percentage with at most one decimal (0.8003 → 80%, 0.8947 → 89.5%)
 *   {{name | percent-down}} / {{name | percent-up}}
 *                         the same rounded down / up to the decimal shown (for bounds stated in the
 *                         safe direction: "fails at rates ≤ 80%" when p1 = 0.80014)
 *
 * Names are dotted words (at least one dot: `fig1.runs`), so TeX such as `{{x}}` is left alone.
 */
import type { TestResult } from "../lib/run-specs.ts";

export type FactValue = number | string | boolean;

export interface Fact {
  value: FactValue;
  /** The checks that recorded it (full names), and whether they disagree. */
  from: string[];
  conflict?: FactValue;
}

/** Every fact recorded by a check, by name. */
export function collectFacts(tests: TestResult[]): Map<string, Fact> {
  const out = new Map<string, Fact>();
  for (const t of tests)
    for (const [k, v] of Object.entries(t.meta?.facts ?? {})) {
      const f = out.get(k);
      if (!f) out.set(k, { value: v, from: [t.fullName] });
      else {
        f.from.push(t.fullName);
        if (!Object.is(f.value, v) && f.conflict === undefined) f.conflict = v;
      }
    }
  return out;
}

const FORMATS = ["percent", "percent-down", "percent-up"] as const;
type Format = (typeof FORMATS)[number];

/** The placeholder syntax: `{{ a.b.c }}` or `{{ a.b.c | format }}`. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)\s*(?:\|\s*([a-z-]+)\s*)?\}\}/g;

/** A fact's value as text, in a format. Throws on a format that does not fit the value. */
export function formatFact(v: FactValue, format?: string): string {
  if (format === undefined) {
    if (typeof v !== "number") return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
    return String(v);
  }
  if (!(FORMATS as readonly string[]).includes(format))
    throw new Error(`unknown format "${format}" (known: ${FORMATS.join(", ")})`);
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new Error(`format "${format}" needs a number, the value is ${JSON.stringify(v)}`);
  // in tenths of a percent, with a guard against the binary representation (0.805 · 1000 = 804.999…)
  const tenths = v * 1000;
  const round: Record<Format, (x: number) => number> = {
    percent: (x) => Math.round(x),
    "percent-down": (x) => Math.floor(x + 1e-9),
    "percent-up": (x) => Math.ceil(x - 1e-9),
  };
  return `${(round[format as Format](tenths) / 10).toFixed(1).replace(/\.0$/, "")}%`;
}

export interface FillError {
  line: number;
  message: string;
}

/**
 * Replace every placeholder in a chapter's source by its fact. Lines are kept (values hold no line
 * breaks), so the file:line of everything after still points into the source.
 */
export function fillFacts(
  src: string,
  facts: Map<string, Fact>,
): { text: string; errors: FillError[]; used: string[] } {
  const errors: FillError[] = [];
  const used: string[] = [];
  const lines = src.split("\n").map((l, i) =>
    l.replace(PLACEHOLDER, (whole, name: string, format?: string) => {
      const f = facts.get(name);
      if (!f) {
        errors.push({ line: i + 1, message: `unknown fact ${whole}: no check recorded "${name}"${near(name, facts)}` });
        return whole;
      }
      if (f.conflict !== undefined) {
        errors.push({
          line: i + 1,
          message: `fact ${whole} is ambiguous: checks recorded ${JSON.stringify(f.value)} and ${JSON.stringify(f.conflict)} (${f.from.slice(0, 3).join("; ")})`,
        });
        return whole;
      }
      try {
        used.push(name);
        return formatFact(f.value, format);
      } catch (e) {
        errors.push({ line: i + 1, message: `${whole}: ${(e as Error).message}` });
        return whole;
      }
    }),
  );
  return { text: lines.join("\n"), errors, used };
}

/** A hint naming recorded facts that share the unknown name's first part. */
function near(name: string, facts: Map<string, Fact>): string {
  const head = name.split(".")[0];
  const same = [...facts.keys()].filter((k) => k.split(".")[0] === head).sort();
  if (!same.length) return "";
  return ` (recorded under "${head}.": ${same.slice(0, 8).join(", ")}${same.length > 8 ? `, … ${same.length - 8} more` : ""})`;
}
