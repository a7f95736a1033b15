/**
 * Validation of MDP input at the edges (CLI, grader, examples): every message names the place as a
 * JSON path (`$.P[2][1]`), so a reader can find the bad entry in their file.
 */
import { collectProblems, InputError, type AddProblem, type InputProblem } from "../core/problems.ts";
import { mdpShape } from "../core/shapes.ts";
import type { Mdp } from "./types.ts";

/**
 * Bad MDP input: the problems found, each named by its JSON path; the message lists them on one line
 * ("$.P[0][0]: probabilities sum to 0.9, not 1 (state 0, action 0)"), `path` is the first one's.
 */
export class MdpInputError extends InputError {
  override name = "MdpInputError";
  constructor(path: string, problem: string);
  constructor(problems: readonly InputProblem[]);
  constructor(pathOrProblems: string | readonly InputProblem[], problem = "") {
    super(typeof pathOrProblems === "string" ? [{ path: pathOrProblems, problem }] : pathOrProblems);
  }
}

/** Rows of P may miss 1 by this much (JSON decimals such as 0.1 + 0.2 + 0.7 round). */
export const SUM_TOLERANCE = 1e-9;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === "string") return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + "…" : x)}`;
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint" || x === undefined) return String(x);
  return typeof x === "object" ? "an object" : `a ${typeof x}`;
}

// Each check records its problems with `add` and returns undefined instead of the value.

/** x as an array (of `length` entries when given). */
function arrayAt(add: AddProblem, x: unknown, path: string, length?: number, what = "an array"): unknown[] | undefined {
  if (!Array.isArray(x)) return add(path, `expected ${what}, got ${describeValue(x)}`);
  if (length !== undefined && x.length !== length) return add(path, `expected ${length} entries, got ${x.length}`);
  return x as unknown[];
}

function numberAt(add: AddProblem, x: unknown, path: string): number | undefined {
  if (typeof x !== "number" || !Number.isFinite(x))
    return add(path, `expected a finite number, got ${describeValue(x)}`);
  return x;
}

/** A list of names (states or actions): strings, the right count. */
function namesAt(add: AddProblem, x: unknown, path: string, n: number): string[] | undefined {
  const a = arrayAt(add, x, path, n);
  if (!a) return undefined;
  let ok = true;
  a.forEach((v, i) => {
    if (typeof v === "string") return;
    add(`${path}[${i}]`, `expected a string, got ${describeValue(v)}`);
    ok = false;
  });
  return ok ? (a as string[]) : undefined;
}

/** One row P[s][a][·]: S finite non-negative numbers summing to 1 (every bad entry is recorded). */
function distributionAt(
  add: AddProblem,
  x: unknown,
  path: string,
  S: number,
  s: number,
  a: number,
): number[] | undefined {
  const dist = arrayAt(add, x, path, S);
  if (!dist) return undefined;
  let ok = true;
  let sum = 0;
  dist.forEach((v, t) => {
    const p = numberAt(add, v, `${path}[${t}]`);
    if (p !== undefined && p < 0) add(`${path}[${t}]`, `negative probability ${p}`);
    if (p === undefined || p < 0) ok = false;
    else sum += p;
  });
  if (!ok) return undefined; // no sum to speak of
  if (Math.abs(sum - 1) > SUM_TOLERANCE)
    return add(path, `probabilities sum to ${sum}, not 1 (state ${s}, action ${a})`);
  return dist.slice() as number[];
}

/**
 * Validate plain data as a unichain MDP: `P[s][a][s']` non-negative rows summing to 1, `r[s][a]`
 * finite, consistent shapes, and a single closed class under a full-support policy. Every problem of
 * the data is reported at once (one MdpInputError); the unichain test runs on well-formed data only.
 */
export function validateMdp(input: unknown, root = "$"): Mdp {
  if (!isObject(input))
    throw new MdpInputError(root, `expected an object with fields "P" and "r", got ${describeValue(input)}`);
  const { problems, add } = collectProblems();
  if (!("P" in input)) add(root, `missing field "P" (transition probabilities P[s][a][s'])`);
  if (!("r" in input)) add(root, `missing field "r" (rewards r[s][a])`);
  if (problems.length) throw new MdpInputError(problems);
  const Praw = arrayAt(add, input.P, `${root}.P`) ?? [];
  const S = Praw.length;
  if (problems.length === 0 && S === 0) add(`${root}.P`, "an MDP needs at least one state");
  const A = S > 0 ? (arrayAt(add, Praw[0], `${root}.P[0]`)?.length ?? 0) : 0;
  if (problems.length === 0 && A === 0) add(`${root}.P[0]`, "an MDP needs at least one action");
  if (problems.length) throw new MdpInputError(problems); // no shape yet to check the rest against
  const P = Praw.map((row, s) =>
    (arrayAt(add, row, `${root}.P[${s}]`, A) ?? []).map(
      (dist, a) => distributionAt(add, dist, `${root}.P[${s}][${a}]`, S, s, a) ?? [],
    ),
  );
  const rRaw = arrayAt(add, input.r, `${root}.r`, S) ?? [];
  const r = rRaw.map((row, s) =>
    (arrayAt(add, row, `${root}.r[${s}]`, A) ?? []).map((v, a) => numberAt(add, v, `${root}.r[${s}][${a}]`) ?? 0),
  );
  const mdp: Mdp = { P, r };
  if (input.stateNames !== undefined) mdp.stateNames = namesAt(add, input.stateNames, `${root}.stateNames`, S);
  if (input.actionNames !== undefined) mdp.actionNames = namesAt(add, input.actionNames, `${root}.actionNames`, A);
  if (problems.length) throw new MdpInputError(problems);
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
