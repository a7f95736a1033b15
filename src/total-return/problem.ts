/** Shape, parameter count and validation of a finite-horizon problem (errors name the offending field). */
import { collectProblems, InputError, problemText, type AddProblem, type InputProblem } from "../core/problems.ts";
import type { EpisodicProblem } from "./types.ts";

export { problemShape, terminalMask } from "../core/shapes.ts";

const TOL = 1e-9;

/** Array.isArray for data read from JSON: its entries are unknown until checked. */
const isArray = (x: unknown): x is unknown[] => Array.isArray(x);
const isFiniteNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** A distribution over n outcomes at `path`: an array of n finite non-negative numbers summing to 1 (up to n·1e-9). */
function checkDistribution(xs: unknown, n: number, path: string, add: AddProblem): void {
  if (!isArray(xs)) return add(path, "must be an array");
  if (xs.length !== n) return add(path, `must have ${n} entries, has ${xs.length}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (!isFiniteNumber(x) || x < 0)
      return add(`${path}[${i}]`, `must be a finite non-negative number, got ${JSON.stringify(x)}`);
    sum += x;
  }
  if (Math.abs(sum - 1) > TOL * Math.max(1, n)) add(path, `must sum to 1, sums to ${sum}`);
}

/**
 * Every problem of a finite-horizon problem, each at its JSON path. `root` is the path prefix of the
 * problem's own fields, `mdpPath` that of the MDP's (the JSON input of `pgbook exact` may hold them at the top level).
 */
export function episodicProblems(p: EpisodicProblem, mdpPath = "$.mdp", root = "$"): InputProblem[] {
  const { problems, add } = collectProblems();
  const P = p.mdp?.P as unknown;
  const r = p.mdp?.r as unknown;
  if (!isArray(P) || P.length === 0) {
    add(`${mdpPath}.P`, "must be a non-empty array P[s][a][s']");
    return problems;
  }
  const S = P.length;
  const P0 = P[0];
  const A = isArray(P0) ? P0.length : 0;
  if (A === 0) add(`${mdpPath}.P[0]`, "must be a non-empty array of actions");
  P.forEach((row, s) => {
    if (!isArray(row) || row.length !== A) return add(`${mdpPath}.P[${s}]`, `must have ${A} actions`);
    row.forEach((dist, a) => checkDistribution(dist, S, `${mdpPath}.P[${s}][${a}]`, add));
  });
  if (!isArray(r) || r.length !== S) add(`${mdpPath}.r`, `must have ${S} rows r[s][a]`);
  else
    r.forEach((row, s) => {
      if (!isArray(row) || row.length !== A) return add(`${mdpPath}.r[${s}]`, `must have ${A} entries`);
      row.forEach((x, a) => {
        if (!isFiniteNumber(x)) add(`${mdpPath}.r[${s}][${a}]`, "must be a finite number");
      });
    });
  if (!Number.isInteger(p.horizon) || p.horizon < 1)
    add(`${root}.horizon`, `must be a positive integer, got ${JSON.stringify(p.horizon)}`);
  checkDistribution(p.initial, S, `${root}.initial`, add);
  if (p.terminal !== undefined) {
    if (!isArray(p.terminal)) add(`${root}.terminal`, "must be an array of state indices");
    else
      p.terminal.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0 || s >= S)
          add(`${root}.terminal[${i}]`, `must be a state index in 0..${S - 1}, got ${JSON.stringify(s)}`);
      });
  }
  if (p.features !== undefined) {
    const F = p.features as unknown;
    if (!isArray(F) || F.length !== S) add(`${root}.features`, `must have ${S} rows φ[s][a]`);
    else {
      const F0 = F[0];
      const F00 = isArray(F0) ? F0[0] : undefined;
      const d = isArray(F00) ? F00.length : 0;
      if (d === 0) add(`${root}.features[0][0]`, "must be a non-empty feature vector");
      F.forEach((row, s) => {
        if (!isArray(row) || row.length !== A) return add(`${root}.features[${s}]`, `must have ${A} feature vectors`);
        row.forEach((v, a) => {
          if (!isArray(v) || v.length !== d) add(`${root}.features[${s}][${a}]`, `must have ${d} entries`);
          else if (!v.every(isFiniteNumber)) add(`${root}.features[${s}][${a}]`, "entries must be finite numbers");
        });
      });
    }
  }
  return problems;
}

/** The problems of `episodicProblems` as text, each naming its JSON path ("$.mdp.P[1][0]: must sum to 1, sums to 0.9"). */
export function problemErrors(p: EpisodicProblem, mdpPath = "$.mdp", root = "$"): string[] {
  return episodicProblems(p, mdpPath, root).map(problemText);
}

/** Throw an InputError (a RangeError) listing every problem found, or return the problem unchanged. */
export function validateProblem(p: EpisodicProblem): EpisodicProblem {
  const problems = episodicProblems(p);
  if (problems.length) throw new InputError(problems, "invalid episodic problem");
  return p;
}
