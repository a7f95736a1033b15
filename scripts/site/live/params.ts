/**
 * A live figure's parameters: what a reader may change (a number on a slider among listed values, a choice,
 * a seed), each with the value the checks used, and what the page says about a set of values (the checked
 * settings, or the reader's, which no check ran). Plain data, so the build embeds it in the page as JSON and
 * the page script, the worker and the build read it alike. No dependencies: the browser bundles this file.
 */

export type ParamValue = number | string;
/** Values by parameter name. */
export type ParamValues = Record<string, ParamValue>;

interface ParamBase {
  name: string;
  /** What the reader reads beside the control and in the status line, e.g. "step size α". */
  label: string;
  /**
   * True for a parameter that changes only how much of the checked runs the figure draws, never the runs
   * (e.g. how many of a check's runs it shows): any value of it keeps the settings the checks used.
   */
  view?: boolean;
}

/** A number picked on a slider among `values` (increasing; the checked value is one of them). */
export interface SliderParam extends ParamBase {
  kind: "slider";
  values: number[];
  checked: number;
}

/** One of a few named options. */
export interface ChoiceParam extends ParamBase {
  kind: "choice";
  options: { value: string; label: string }[];
  checked: string;
}

/** The seed the runs' streams derive from (src/contract/random.ts): any short text. */
export interface SeedParam extends ParamBase {
  kind: "seed";
  checked: string;
}

/** A setting the figure is drawn with that a reader does not change (it has no control). */
export interface FixedParam extends ParamBase {
  kind: "fixed";
  checked: ParamValue;
}

export type ParamDef = SliderParam | ChoiceParam | SeedParam | FixedParam;

/** The longest seed a reader may type (a check's own seed, its file and title, runs to about 300). */
export const SEED_MAX_LENGTH = 500;

/**
 * A slider over `values` and the checked value, which joins the list if it is not on it (the checked
 * value comes from the checks' facts or settings; the list is the figure's choice of alternatives).
 */
export function slider(name: string, label: string, values: readonly number[], checked: number): SliderParam {
  const all = [...new Set([...values, checked])].sort((a, b) => a - b);
  const bad = all.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`parameter "${name}": the slider's value ${bad} is not a finite number`);
  return { name, label, kind: "slider", values: all, checked };
}

/** The seed parameter, checked at `checked` (the checks' master seed, or a check's own seed). */
export function seedParam(checked: string, label = "seed"): SeedParam {
  return { name: "seed", label, kind: "seed", checked };
}

/** The values the checks used. */
export function checkedValues(defs: readonly ParamDef[]): ParamValues {
  return Object.fromEntries(defs.map((d) => [d.name, d.checked]));
}

/** What is wrong with `values` for `defs`: a missing or unknown parameter, or a value the parameter does not offer. */
export function paramProblems(defs: readonly ParamDef[], values: ParamValues): string[] {
  const out: string[] = [];
  for (const d of defs) {
    if (!Object.hasOwn(values, d.name)) {
      out.push(`parameter "${d.name}" has no value`);
      continue;
    }
    const v = values[d.name];
    const where = `parameter "${d.name}" = ${JSON.stringify(v)}`;
    if (d.kind === "slider" && !(typeof v === "number" && d.values.includes(v)))
      out.push(`${where} is not one of the slider's values ${d.values.join(", ")}`);
    if (d.kind === "choice" && !d.options.some((o) => o.value === v))
      out.push(`${where} is not one of ${d.options.map((o) => o.value).join(", ")}`);
    if (d.kind === "seed" && !(typeof v === "string" && seedProblem(v) === undefined))
      out.push(`${where}: ${typeof v === "string" ? seedProblem(v) : "a seed is text"}`);
    if (d.kind === "fixed" && v !== d.checked) out.push(`${where} is fixed at ${JSON.stringify(d.checked)}`);
  }
  for (const name of Object.keys(values))
    if (!defs.some((d) => d.name === name)) out.push(`"${name}" is not a parameter of this figure`);
  return out;
}

/** Why `seed` cannot seed a run, or undefined when it can. */
export function seedProblem(seed: string): string | undefined {
  if (seed.trim() === "") return "a seed cannot be empty";
  if (seed.length > SEED_MAX_LENGTH) return `a seed has at most ${SEED_MAX_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(seed)) return "a seed has no control characters";
  return undefined;
}

/** A value as the page shows it: integers with thousands separators (100,000), other numbers as written. */
export function formatValue(v: ParamValue): string {
  if (typeof v === "string") return v;
  return Number.isInteger(v) ? v.toLocaleString("en-US") : String(v);
}

/** How the page shows a value: a choice by its label, a long seed cut at `seedWidth` characters. */
function shown(d: ParamDef, v: ParamValue, seedWidth: number): string {
  if (d.kind === "choice") return d.options.find((o) => o.value === v)?.label ?? String(v);
  const s = formatValue(v);
  return d.kind === "seed" && s.length > seedWidth ? `${s.slice(0, seedWidth - 1)}…` : s;
}

/** "step size α = 0.05, runs = 1,000" for the parameters `defs` at `values` (a long seed cut at `seedWidth`). */
export function describeSettings(defs: readonly ParamDef[], values: ParamValues, seedWidth = 48): string {
  return defs.map((d) => `${d.label} = ${shown(d, values[d.name], seedWidth)}`).join(", ");
}

/** The parameters whose value in `values` is not the checked one: the figure differs from the static one. */
export function movedParams(defs: readonly ParamDef[], values: ParamValues): ParamDef[] {
  return defs.filter((d) => values[d.name] !== d.checked);
}

/** The parameters moved away from the settings the checks used (`view` ones never are). */
export function changedParams(defs: readonly ParamDef[], values: ParamValues): ParamDef[] {
  return movedParams(defs, values).filter((d) => !d.view);
}

/**
 * What the status line under a live figure says of `values`: that they are the checks' settings (listed),
 * or that they are the reader's, not checked, with the checks' values of the parameters that differ.
 */
export function statusText(defs: readonly ParamDef[], values: ParamValues): string {
  const changed = changedParams(defs, values);
  if (changed.length === 0) return `These are the settings the checks used: ${describeSettings(defs, values)}.`;
  return (
    `Your settings (${describeSettings(changed, values)}): not checked — ` +
    `the checks used ${describeSettings(changed, checkedValues(defs))}.`
  );
}

/** A number parameter of `values`, for a figure's data function; an error naming it when it is absent or not a number. */
export function numberParam(values: ParamValues, name: string): number {
  const v = values[name];
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new Error(`parameter "${name}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** A text parameter of `values` (a seed, a choice); an error naming it when it is absent or not text. */
export function textParam(values: ParamValues, name: string): string {
  const v = values[name];
  if (typeof v !== "string") throw new Error(`parameter "${name}" must be text, got ${JSON.stringify(v)}`);
  return v;
}
