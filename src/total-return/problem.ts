/** Shape, parameter count and validation of a finite-horizon problem (errors name the offending field). */
import type { EpisodicProblem } from "./types.ts";

export { problemShape, terminalMask } from "../core/shapes.ts";

const TOL = 1e-9;

function isDistribution(xs: unknown, n: number): string | null {
  if (!Array.isArray(xs)) return "must be an array";
  if (xs.length !== n) return `must have ${n} entries, has ${xs.length}`;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) return `[${i}]: must be a finite non-negative number, got ${JSON.stringify(x)}`;
    sum += x;
  }
  if (Math.abs(sum - 1) > TOL * Math.max(1, n)) return `must sum to 1, sums to ${sum}`;
  return null;
}

/**
 * Check a problem and return the list of problems found, each naming its JSON path ("$.mdp.P[1][0]: …").
 * `root` is the path prefix of the MDP fields (the JSON input of `pgbook exact` may hold them at the top level).
 */
export function problemErrors(p: EpisodicProblem, mdpPath = "$.mdp", root = "$"): string[] {
  const errs: string[] = [];
  const P = p.mdp?.P as unknown;
  const r = p.mdp?.r as unknown;
  if (!Array.isArray(P) || P.length === 0) return [`${mdpPath}.P: must be a non-empty array P[s][a][s']`];
  const S = P.length;
  const A = Array.isArray(P[0]) ? P[0].length : 0;
  if (A === 0) errs.push(`${mdpPath}.P[0]: must be a non-empty array of actions`);
  for (let s = 0; s < S; s++) {
    if (!Array.isArray(P[s]) || P[s].length !== A) {
      errs.push(`${mdpPath}.P[${s}]: must have ${A} actions`);
      continue;
    }
    for (let a = 0; a < A; a++) {
      const e = isDistribution(P[s][a], S);
      if (e) errs.push(`${mdpPath}.P[${s}][${a}]${e.startsWith("[") ? "" : ": "}${e}`);
    }
  }
  if (!Array.isArray(r) || r.length !== S) errs.push(`${mdpPath}.r: must have ${S} rows r[s][a]`);
  else
    for (let s = 0; s < S; s++) {
      if (!Array.isArray(r[s]) || r[s].length !== A) errs.push(`${mdpPath}.r[${s}]: must have ${A} entries`);
      else for (let a = 0; a < A; a++) if (typeof r[s][a] !== "number" || !Number.isFinite(r[s][a])) errs.push(`${mdpPath}.r[${s}][${a}]: must be a finite number`);
    }
  if (!Number.isInteger(p.horizon) || p.horizon < 1) errs.push(`${root}.horizon: must be a positive integer, got ${JSON.stringify(p.horizon)}`);
  const ei = isDistribution(p.initial, S);
  if (ei) errs.push(`${root}.initial${ei.startsWith("[") ? "" : ": "}${ei}`);
  if (p.terminal !== undefined) {
    if (!Array.isArray(p.terminal)) errs.push(`${root}.terminal: must be an array of state indices`);
    else
      p.terminal.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0 || s >= S) errs.push(`${root}.terminal[${i}]: must be a state index in 0..${S - 1}, got ${JSON.stringify(s)}`);
      });
  }
  if (p.features !== undefined) {
    const F = p.features as unknown;
    if (!Array.isArray(F) || F.length !== S) errs.push(`${root}.features: must have ${S} rows φ[s][a]`);
    else {
      const d = Array.isArray(F[0]) && Array.isArray(F[0][0]) ? F[0][0].length : 0;
      if (d === 0) errs.push(`${root}.features[0][0]: must be a non-empty feature vector`);
      for (let s = 0; s < S; s++) {
        if (!Array.isArray(F[s]) || F[s].length !== A) {
          errs.push(`${root}.features[${s}]: must have ${A} feature vectors`);
          continue;
        }
        for (let a = 0; a < A; a++) {
          const v = F[s][a];
          if (!Array.isArray(v) || v.length !== d) errs.push(`${root}.features[${s}][${a}]: must have ${d} entries`);
          else if (v.some((x) => typeof x !== "number" || !Number.isFinite(x))) errs.push(`${root}.features[${s}][${a}]: entries must be finite numbers`);
        }
      }
    }
  }
  return errs;
}

/** Throw a RangeError listing every problem found, or return the problem unchanged. */
export function validateProblem(p: EpisodicProblem): EpisodicProblem {
  const errs = problemErrors(p);
  if (errs.length) throw new RangeError(`invalid episodic problem:\n  ${errs.join("\n  ")}`);
  return p;
}
