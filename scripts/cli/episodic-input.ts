/**
 * The episodic branch of `pgbook exact`: a pure function from the parsed JSON input to the JSON result
 * (J, V₀, Q₀, ∇J). Input: an MDP ("P", "r" at the top level or under "mdp"), "horizon" (or the CLI's
 * --horizon), "initial", optional "terminal", "features", "theta" (default zeros) and names ("stateNames",
 * "actionNames" beside P, echoed in the result). Errors name JSON paths.
 * With --fractions the same numbers also come as exact fractions (measure/exact-rational/total-return.ts).
 */
import { expectedUpdate, timeIndexedValues, totalReturn } from "../../src/total-return/exact.ts";
import { problemErrors, problemShape } from "../../src/total-return/problem.ts";
import type { EpisodicProblem } from "../../src/total-return/types.ts";
import { MdpInputError } from "../../src/average-return/validate.ts";
import {
  expectedUpdateExact,
  timeValuesExact,
  totalReturnExact,
  type RationalProblem,
} from "../../measure/exact-rational/total-return.ts";
import { show, type Rational } from "../../measure/exact-rational/rational.ts";
import type { ReportOptions } from "./average-reward-input.ts";
import {
  exactLeaves,
  exactlyOne,
  numbersForStrings,
  numbersInFields,
  readPolicyTable,
  requireZeroTheta,
  showAll,
  uniformTable,
  type ProbabilityTable,
} from "./fractions.ts";

export interface EpisodicExactOptions {
  /** A horizon from the command line; it overrides the JSON's "horizon". */
  horizon?: number;
}

export interface EpisodicExactResult {
  kind: "episodic";
  horizon: number;
  /** The input's labels, when it has them. */
  stateNames?: string[];
  actionNames?: string[];
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

/** The labels beside P and r, when the input has them (checked by labelProblems once the shape is known). */
function labelsIn(src: { stateNames?: unknown; actionNames?: unknown }): {
  stateNames?: string[];
  actionNames?: string[];
} {
  return {
    ...(src.stateNames !== undefined ? { stateNames: src.stateNames as string[] } : {}),
    ...(src.actionNames !== undefined ? { actionNames: src.actionNames as string[] } : {}),
  };
}

/** Problems of an optional list of names at `path`: n strings, one per state (or action). */
function labelProblems(names: unknown, path: string, n: number, what: string): string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names) || names.length !== n) return [`${path}: must be ${n} strings, one per ${what}`];
  const bad = names.findIndex((x) => typeof x !== "string");
  return bad < 0 ? [] : [`${path}[${bad}]: must be a string, got ${JSON.stringify(names[bad])}`];
}

/** Parse and check the JSON input of an episodic problem; every error names its JSON path. */
export function episodicFromJson(
  input: unknown,
  o: EpisodicExactOptions = {},
): { problem: EpisodicProblem; theta: Float64Array } {
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
  if (
    pol !== undefined &&
    (typeof pol !== "object" || pol === null || (pol.kind !== "tabular" && pol.kind !== "log-linear"))
  )
    fail(['$.policy: must be {"kind": "tabular"} or {"kind": "log-linear", "features": φ}']);
  const features = pol?.kind === "log-linear" ? pol.features : obj.features;
  if (pol?.kind === "log-linear" && features === undefined) fail(["$.policy.features: missing"]);
  const problem = {
    mdp: { P: src.P, r: src.r, ...labelsIn(src) },
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
  const { S, A, d } = problemShape(problem);
  const labelErrs = [
    ...labelProblems(problem.mdp.stateNames, `${mdpPath}.stateNames`, S, "state"),
    ...labelProblems(problem.mdp.actionNames, `${mdpPath}.actionNames`, A, "action"),
  ];
  if (labelErrs.length) fail(labelErrs);
  let theta = new Float64Array(d);
  if (obj.theta !== undefined) {
    // a nested θ[s][a] (tabular) is read row by row, as θ[s·A + a]
    const th =
      Array.isArray(obj.theta) && !problem.features && obj.theta.every((row) => Array.isArray(row))
        ? (obj.theta as unknown[][]).flat()
        : obj.theta;
    if (!Array.isArray(th) || th.length !== d)
      fail([
        `$.theta: must be an array of ${d} numbers (${problem.features ? "one per feature" : "one per state and action, θ[s·A + a]"})`,
      ]);
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
    ...labelsIn(problem.mdp),
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
  const th =
    typeof thetaInput === "object" && thetaInput !== null && !Array.isArray(thetaInput) && "theta" in thetaInput
      ? thetaInput.theta
      : thetaInput;
  if (typeof input !== "object" || input === null || Array.isArray(input)) return exactEpisodicJson(input, { horizon });
  try {
    return exactEpisodicJson({ ...input, theta: th }, { horizon });
  } catch (e) {
    throw new RangeError((e as Error).message.replace(/\$\.theta/g, "theta:$"), { cause: e });
  }
}

/** `--horizon <T>` on the command line: the input with its "horizon" set (or a RangeError naming --horizon). */
export function withHorizon(input: unknown, horizon: string): unknown {
  const T = Number(horizon);
  if (!/^\s*\d+\s*$/.test(horizon) || !Number.isInteger(T) || T < 1)
    throw new RangeError(`--horizon: must be a positive integer, got ${JSON.stringify(horizon)}`);
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  return { ...input, horizon: T };
}

/** The input with fraction strings turned into numbers where an episodic problem holds numbers (for --fractions). */
function episodicNumbers(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const o = { ...(input as Record<string, unknown>) };
  const nested = typeof o.mdp === "object" && o.mdp !== null && !Array.isArray(o.mdp);
  const src = nested ? { ...(o.mdp as Record<string, unknown>) } : o;
  const at = nested ? "$.mdp" : "$";
  if ("P" in src) src.P = numbersForStrings(src.P, `${at}.P`);
  if ("r" in src) src.r = numbersForStrings(src.r, `${at}.r`);
  if (nested) o.mdp = src;
  numbersInFields(o, { initial: "$.initial", features: "$.features" });
  return o;
}

/** J, V₀, Q₀ and ∇J again as exact fractions, from the input (already validated in floats) read exactly. */
function episodicFractions(
  data: Record<string, unknown>,
  horizon: number,
  pi: Rational[][] | null,
): Record<string, unknown> {
  const nested = typeof data.mdp === "object" && data.mdp !== null;
  const src = (nested ? data.mdp : data) as Record<string, unknown>;
  const at = nested ? "$.mdp" : "$";
  const P = exactLeaves(src.P, `${at}.P`) as Rational[][][];
  P.forEach((Ps, s) => Ps.forEach((row, a) => exactlyOne(row, `${at}.P[${s}][${a}]`, "probabilities")));
  const initial = exactLeaves(data.initial, "$.initial") as Rational[];
  exactlyOne(initial, "$.initial", "the initial probabilities");
  const pol = data.policy as { kind?: unknown; features?: unknown } | undefined;
  const featuresAt =
    pol?.kind === "log-linear"
      ? { v: pol.features, path: "$.policy.features" }
      : data.features !== undefined
        ? { v: data.features, path: "$.features" }
        : null;
  const problem: RationalProblem = {
    mdp: { P, r: exactLeaves(src.r, `${at}.r`) as Rational[][] },
    horizon,
    initial,
    terminal: (data.terminal as number[] | undefined) ?? [],
    ...(featuresAt ? { features: exactLeaves(featuresAt.v, featuresAt.path) as Rational[][][] } : {}),
  };
  const table = pi ?? uniformTable(P.length, P[0].length);
  const { Q, V } = timeValuesExact(problem, table);
  return {
    pi: showAll(table),
    J: show(totalReturnExact(problem, table)),
    V0: showAll(V[0]),
    Q0: showAll(Q[0]),
    gradJ: showAll(expectedUpdateExact(problem, table)),
  };
}

/**
 * `pgbook exact` on episodic input with the options of the average-reward kind: `o.pi` gives a tabular
 * policy's probabilities (every one positive: the float report evaluates the Gibbs policy at θ = ln π),
 * and `o.fractions` adds J, V₀, Q₀ and ∇J as exact fractions (θ must then be 0, or the policy given by --pi).
 */
export function episodicReportWith(
  input: unknown,
  thetaInput: unknown,
  o: ReportOptions = {},
): EpisodicExactResult & { fractions?: Record<string, unknown> } {
  if (!o.fractions && o.pi === undefined) return episodicReport(input, thetaInput);
  const data = o.fractions ? episodicNumbers(input) : input;
  let table: ProbabilityTable | null = null;
  if (o.pi !== undefined) {
    const { problem } = episodicFromJson(data);
    if (problem.features)
      throw new MdpInputError(
        (data as { policy?: unknown }).policy ? "$.policy" : "$.features",
        "--pi gives the probabilities of a tabular policy; this problem's policy is log-linear (drop --pi)",
      );
    const { S, A } = problemShape(problem);
    table = readPolicyTable(o.pi, S, A, { exact: o.fractions === true, positive: true });
  }
  const float = episodicReport(data, table ? Array.from(table.float, Math.log) : thetaInput);
  if (!o.fractions) return float;
  if (!table) {
    const A = float.Q0[0]?.length ?? 1;
    if (thetaInput !== undefined) requireZeroTheta(thetaInput, float.theta, A, "theta:$");
    else requireZeroTheta({ theta: (data as { theta?: unknown }).theta }, float.theta, A, "$");
  }
  // read from the input as written (fraction strings and all), with the horizon the float report used
  return {
    ...float,
    fractions: episodicFractions(input as Record<string, unknown>, float.horizon, table?.exact ?? null),
  };
}
