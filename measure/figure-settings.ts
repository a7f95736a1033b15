/**
 * A figure's settings as its chapter states them, in machine-readable form on the directive line:
 *
 *   ::: figure fig1 armProbabilities=0.6,0.4 theta0=0,0 stepSize=0.05 steps=1500 runs=1000
 *
 * Each setting is `name=v` or `name=v1,v2,…` with decimal numbers. The site builder reads the line
 * (markdown.ts) and the [fig N] checks compare it with the experiment they ran (`settingsMismatches`),
 * so a chapter cannot state one step size while the figure and its checks use another. No
 * dependencies: specs import this file too.
 */

/** Named settings: every value a list of numbers (a scalar is a list of one). */
export type StatedSettings = Record<string, number[]>;

export interface FigureLine {
  id?: string;
  settings: StatedSettings;
  errors: string[];
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse the info of a `::: figure <id> name=v,…` line (with or without the leading `::: figure`). */
export function parseFigureLine(info: string): FigureLine {
  const words = info
    .trim()
    .replace(/^:::\s*/, "")
    .split(/\s+/)
    .filter(Boolean);
  if (words[0] === "figure") words.shift();
  const [id, ...rest] = words;
  const settings: StatedSettings = {};
  const errors: string[] = [];
  for (const w of rest) {
    const eq = w.indexOf("=");
    const name = eq > 0 ? w.slice(0, eq) : "";
    const values = eq > 0 ? w.slice(eq + 1).split(",") : [];
    if (!NAME.test(name) || values.length === 0 || !values.every((v) => NUMBER.test(v))) {
      errors.push(
        `figure setting "${w}" is not of the form name=number or name=n1,n2,… (e.g. stepSize=0.05 or armProbabilities=0.6,0.4)`,
      );
      continue;
    }
    if (Object.hasOwn(settings, name)) errors.push(`figure setting "${name}" is stated twice`);
    settings[name] = values.map(Number);
  }
  return { id, settings, errors };
}

/** The settings stated on the `::: figure <id>` line of a chapter's markdown, with the line's number (1-based). */
export function statedSettings(markdown: string, id: string): { line: number; settings: StatedSettings } {
  const lines = markdown.split("\n");
  const found: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*:::\s*figure(\s|$)/.test(l) && parseFigureLine(l).id === id) found.push(i);
  });
  if (found.length !== 1) throw new Error(`the chapter has ${found.length} \`::: figure ${id}\` lines, not one`);
  const p = parseFigureLine(lines[found[0]]);
  if (p.errors.length) throw new Error(`line ${found[0] + 1}: ${p.errors.join("; ")}`);
  return { line: found[0] + 1, settings: p.settings };
}

/**
 * Where an experiment's settings differ from a chapter's: a setting stated with other values, a
 * setting of the experiment the chapter does not state, or one the chapter states that the experiment
 * does not have. Values must be equal as numbers (settings are typed, not computed). Empty when they agree.
 */
export function settingsMismatches(
  stated: StatedSettings,
  actual: Record<string, number | readonly number[]>,
): string[] {
  const out: string[] = [];
  const list = (v: number | readonly number[]) => (typeof v === "number" ? [v] : [...v]);
  for (const [name, v] of Object.entries(actual)) {
    const a = list(v);
    if (!Object.hasOwn(stated, name))
      out.push(`${name}: the experiment has ${a.join(",")}, the chapter does not state it`);
    else if (stated[name].length !== a.length || stated[name].some((x, i) => x !== a[i]))
      out.push(`${name}: the chapter states ${stated[name].join(",")}, the experiment has ${a.join(",")}`);
  }
  for (const name of Object.keys(stated))
    if (!Object.hasOwn(actual, name))
      out.push(`${name}: the chapter states ${stated[name].join(",")}, the experiment has no such setting`);
  return out;
}
