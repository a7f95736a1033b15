/**
 * The episodic branch of `pgbook exact`: a pure function from the parsed JSON input to the JSON result
 * (J, V₀, Q₀, ∇J). Input: an MDP ("P", "r" at the top level or under "mdp"), "horizon" (or the CLI's
 * --horizon), "initial", optional "terminal", "features" and "theta" (default zeros). Errors name JSON paths.
 */
import { expectedUpdate, timeIndexedValues, totalReturn } from "../../src/total-return/exact.ts";
import { problemErrors, problemShape } from "../../src/total-return/problem.ts";
import type { EpisodicProblem } from "../../src/total-return/types.ts";

export interface EpisodicExactOptions {
  /** A horizon from the command line; it overrides the JSON's "horizon". */
  horizon?: number;
}

export interface EpisodicExactResult {
  kind: "episodic";
  horizon: number;
  policy: "tabular" | "log-linear";
  theta: number[];
  /** J(θ) = E[R₁ + … + R_T]. */
  J: number;
  /** V₀(s) for every state. */
  V0: number[];
  /** Q₀(s, a) for every state and action. */
  Q0: number[][];
  /** ∇J(θ), the expected update of (28). */
  gradJ: number[];
}

/** An input is episodic when it names a horizon (in the JSON or on the command line). */
export function isEpisodicInput(input: unknown, o: EpisodicExactOptions = {}): boolean {
  return o.horizon !== undefined || (typeof input === "object" && input !== null && "horizon" in input);
}

function fail(errs: string[]): never {
  // one line (the CLI prints the first line of a message): the first error, then the others after "; "
  throw new RangeError(errs.join("; "));
}

/** Parse and check the JSON input of an episodic problem; every error names its JSON path. */
export function episodicFromJson(input: unknown, o: EpisodicExactOptions = {}): { problem: EpisodicProblem; theta: Float64Array } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail(["$: must be a JSON object"]);
  const obj = input as Record<string, unknown>;
  const nested = typeof obj.mdp === "object" && obj.mdp !== null;
  const src = (nested ? obj.mdp : obj) as Record<string, unknown>;
  const mdpPath = nested ? "$.mdp" : "$";
  const horizon = o.horizon ?? obj.horizon;
  if (horizon === undefined) fail(["$.horizon: missing (give it in the JSON or with --horizon)"]);
  if (obj.initial === undefined) fail(["$.initial: missing (the distribution of the first state)"]);
  // features at the top level, or as in the average-reward input: "policy": {"kind": "log-linear", "features": φ}
  const pol = obj.policy as { kind?: unknown; features?: unknown } | undefined;
  if (pol !== undefined && (typeof pol !== "object" || pol === null || (pol.kind !== "tabular" && pol.kind !== "log-linear")))
    fail(['$.policy: must be {"kind": "tabular"} or {"kind": "log-linear", "features": φ}']);
  const features = pol?.kind === "log-linear" ? pol.features : obj.features;
  if (pol?.kind === "log-linear" && features === undefined) fail(["$.policy.features: missing"]);
  const problem = {
    mdp: { P: src.P, r: src.r },
    horizon,
    initial: obj.initial,
    ...(obj.terminal !== undefined ? { terminal: obj.terminal } : {}),
    ...(features !== undefined ? { features } : {}),
  } as EpisodicProblem;
  const errs = problemErrors(problem, mdpPath, "$").map((e) => {
    const e2 = pol?.kind === "log-linear" ? e.replace("$.features", "$.policy.features") : e;
    return o.horizon !== undefined ? e2.replace("$.horizon:", "--horizon:") : e2;
  });
  if (errs.length) fail(errs);
  const { d } = problemShape(problem);
  let theta = new Float64Array(d);
  if (obj.theta !== undefined) {
    // a nested θ[s][a] (tabular) is read row by row, as θ[s·A + a]
    const th = Array.isArray(obj.theta) && !problem.features && obj.theta.every((row) => Array.isArray(row)) ? (obj.theta as unknown[][]).flat() : obj.theta;
    if (!Array.isArray(th) || th.length !== d) fail([`$.theta: must be an array of ${d} numbers (${problem.features ? "one per feature" : "one per state and action, θ[s·A + a]"})`]);
    const bad = th.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
    if (bad >= 0) fail([`$.theta[${bad}]: must be a finite number`]);
    theta = Float64Array.from(th as number[]);
  }
  return { problem, theta };
}

/** `pgbook exact` on episodic input: J(θ), V₀, Q₀ and ∇J as plain JSON data. */
export function exactEpisodicJson(input: unknown, o: EpisodicExactOptions = {}): EpisodicExactResult {
  const { problem, theta } = episodicFromJson(input, o);
  const { Q, V } = timeIndexedValues(problem, theta);
  return {
    kind: "episodic",
    horizon: problem.horizon,
    policy: problem.features ? "log-linear" : "tabular",
    theta: Array.from(theta),
    J: totalReturn(problem, theta),
    V0: Array.from(V[0]),
    Q0: Q[0].map((q) => Array.from(q)),
    gradJ: Array.from(expectedUpdate(problem, theta)),
  };
}

/**
 * The `pgbook exact` entry for episodic input: `thetaInput` comes from `--theta <file>` (an array, or an
 * object {"theta": …}) and overrides the input's own "theta"; `horizon` from `--horizon`.
 */
export function episodicReport(input: unknown, thetaInput?: unknown, horizon?: number): EpisodicExactResult {
  if (thetaInput === undefined) return exactEpisodicJson(input, { horizon });
  const th = typeof thetaInput === "object" && thetaInput !== null && !Array.isArray(thetaInput) && "theta" in thetaInput ? (thetaInput as { theta: unknown }).theta : thetaInput;
  if (typeof input !== "object" || input === null || Array.isArray(input)) return exactEpisodicJson(input, { horizon });
  try {
    return exactEpisodicJson({ ...input, theta: th }, { horizon });
  } catch (e) {
    throw new RangeError((e as Error).message.replace(/\$\.theta/g, "theta:$"));
  }
}

/** `--horizon <T>` on the command line: the input with its "horizon" set (or a RangeError naming --horizon). */
export function withHorizon(input: unknown, horizon: string): unknown {
  const T = Number(horizon);
  if (!/^\s*\d+\s*$/.test(horizon) || !Number.isInteger(T) || T < 1) throw new RangeError(`--horizon: must be a positive integer, got ${JSON.stringify(horizon)}`);
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  return { ...input, horizon: T };
}
