/**
 * Validation of MDP input at the edges (CLI, grader, examples): every message names the place as a
 * JSON path (`$.P[2][1]`), so a reader can find the bad entry in their file.
 */
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/** A bad input: `path` is the JSON path of the offending value, `message` starts with it. */
export class MdpInputError extends Error {
  override name = "MdpInputError";
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Rows of P may miss 1 by this much (JSON decimals such as 0.1 + 0.2 + 0.7 round). */
export const SUM_TOLERANCE = 1e-9;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function arrayAt(x: unknown, path: string, length?: number, what = "an array"): unknown[] {
  if (!Array.isArray(x)) throw new MdpInputError(path, `expected ${what}, got ${describeValue(x)}`);
  if (length !== undefined && x.length !== length) throw new MdpInputError(path, `expected ${length} entries, got ${x.length}`);
  return x;
}

function numberAt(x: unknown, path: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new MdpInputError(path, `expected a finite number, got ${describeValue(x)}`);
  return x;
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === "string") return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + "…" : x)}`;
  return typeof x === "object" ? "an object" : String(x);
}

/** Check a list of names (states or actions): strings, the right count. */
function namesAt(x: unknown, path: string, n: number): string[] {
  const a = arrayAt(x, path, n);
  a.forEach((v, i) => {
    if (typeof v !== "string") throw new MdpInputError(`${path}[${i}]`, `expected a string, got ${describeValue(v)}`);
  });
  return a as string[];
}

/**
 * Validate plain data as a unichain MDP: `P[s][a][s']` non-negative rows summing to 1, `r[s][a]`
 * finite, consistent shapes, and a single closed class under a full-support policy.
 */
export function validateMdp(input: unknown, root = "$"): Mdp {
  if (!isObject(input)) throw new MdpInputError(root, `expected an object with fields "P" and "r", got ${describeValue(input)}`);
  if (!("P" in input)) throw new MdpInputError(root, `missing field "P" (transition probabilities P[s][a][s'])`);
  if (!("r" in input)) throw new MdpInputError(root, `missing field "r" (rewards r[s][a])`);
  const Praw = arrayAt(input.P, `${root}.P`);
  const S = Praw.length;
  if (S === 0) throw new MdpInputError(`${root}.P`, "an MDP needs at least one state");
  const first = arrayAt(Praw[0], `${root}.P[0]`);
  const A = first.length;
  if (A === 0) throw new MdpInputError(`${root}.P[0]`, "an MDP needs at least one action");
  const P: number[][][] = [];
  for (let s = 0; s < S; s++) {
    const row = arrayAt(Praw[s], `${root}.P[${s}]`, A);
    const Ps: number[][] = [];
    for (let a = 0; a < A; a++) {
      const path = `${root}.P[${s}][${a}]`;
      const dist = arrayAt(row[a], path, S);
      let sum = 0;
      const out = dist.map((v, t) => {
        const p = numberAt(v, `${path}[${t}]`);
        if (p < 0) throw new MdpInputError(`${path}[${t}]`, `negative probability ${p}`);
        sum += p;
        return p;
      });
      if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new MdpInputError(path, `probabilities sum to ${sum}, not 1 (state ${s}, action ${a})`);
      Ps.push(out);
    }
    P.push(Ps);
  }
  const rRaw = arrayAt(input.r, `${root}.r`, S);
  const r = rRaw.map((row, s) => arrayAt(row, `${root}.r[${s}]`, A).map((v, a) => numberAt(v, `${root}.r[${s}][${a}]`)));
  const mdp: Mdp = { P, r };
  if (input.stateNames !== undefined) mdp.stateNames = namesAt(input.stateNames, `${root}.stateNames`, S);
  if (input.actionNames !== undefined) mdp.actionNames = namesAt(input.actionNames, `${root}.actionNames`, A);
  const classes = closedClasses(mdp);
  if (classes.length > 1) {
    const show = (c: number[]) => `{${c.join(", ")}}`;
    throw new MdpInputError(
      `${root}.P`,
      `not unichain: under a policy that tries every action, states ${show(classes[0])} and ${show(classes[1])} form separate closed classes`,
    );
  }
  return mdp;
}

/**
 * The closed communicating classes of the chain of a full-support policy. Its edges are the
 * pairs (s, s') with P[s][a][s'] > 0 for some a, whatever the policy's probabilities, so
 * unichain-ness of every full-support policy is one graph question.
 */
export function closedClasses(mdp: Mdp): number[][] {
  const { S, A } = mdpShape(mdp);
  const reach: Uint8Array[] = [];
  for (let s = 0; s < S; s++) {
    const seen = new Uint8Array(S);
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const u = stack.pop()!;
      for (let a = 0; a < A; a++)
        for (let v = 0; v < S; v++)
          if (mdp.P[u][a][v] > 0 && !seen[v]) {
            seen[v] = 1;
            stack.push(v);
          }
    }
    reach.push(seen);
  }
  // s is recurrent when every state it reaches reaches it back; recurrent states split into classes.
  const recurrent = (s: number) => reach[s].every((r, t) => !r || reach[t][s]);
  const assigned = new Uint8Array(S);
  const classes: number[][] = [];
  for (let s = 0; s < S; s++) {
    if (assigned[s] || !recurrent(s)) continue;
    const c: number[] = [];
    for (let t = 0; t < S; t++)
      if (reach[s][t]) {
        c.push(t);
        assigned[t] = 1;
      }
    classes.push(c);
  }
  return classes;
}
