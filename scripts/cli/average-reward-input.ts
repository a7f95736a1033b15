/**
 * The exact report of `pgbook exact` for an average-reward MDP: validates the input file's data
 * (MDP, optional policy parameterization, θ or the policy's probabilities) and returns plain JSON with
 * the input's state and action names, λ, d, μ, V and Q in both normalizations, and ∇λ; with --fractions
 * also every number as an exact fraction (measure/exact-rational/). Every input problem throws
 * MdpInputError naming the JSON path.
 */
import {
  gain,
  policyGradient,
  relativeValues,
  stateActionDistribution,
  stateTransitions,
  stationaryDistribution,
  weightedScoreSum,
} from "../../src/average-return/exact.ts";
import { policyDim, policyProbs, TABULAR, type PolicySpec } from "../../src/average-return/policy.ts";
import { mdpShape } from "../../src/core/shapes.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { closedClasses, MdpInputError, validateMdp } from "../../src/average-return/validate.ts";
import {
  logLinearGradientExact,
  relativeValuesExact,
  stateActionExact,
  stationaryExact,
  tabularGradientExact,
  type RationalMdp,
} from "../../measure/exact-rational/average-return.ts";
import { show, ZERO, type Rational } from "../../measure/exact-rational/rational.ts";
import {
  exactLeaves,
  exactlyOne,
  numbersInFields,
  readPolicyTable,
  requireZeroTheta,
  showAll,
  uniformTable,
} from "./fractions.ts";

/** How the report is asked for: --fractions, and the policy's probabilities from --pi (parsed JSON). */
export interface ReportOptions {
  fractions?: boolean;
  pi?: unknown;
}

/** Validate the optional "policy" field: absent or {"kind": "tabular"}, or log-linear with features[s][a] of one length. */
export function validatePolicySpec(input: unknown, mdp: Mdp, path = "$.policy"): PolicySpec {
  if (input === undefined) return { kind: "tabular" };
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new MdpInputError(path, `expected an object like {"kind": "tabular"}`);
  const o = input as Record<string, unknown>;
  if (o.kind === "tabular") return { kind: "tabular" };
  if (o.kind !== "log-linear")
    throw new MdpInputError(`${path}.kind`, `expected "tabular" or "log-linear", got ${JSON.stringify(o.kind)}`);
  const { S, A } = mdpShape(mdp);
  const F = o.features;
  if (!Array.isArray(F) || F.length !== S)
    throw new MdpInputError(`${path}.features`, `expected ${S} rows (one per state) of per-action feature vectors`);
  let n = -1;
  const features = F.map((row, s) => {
    if (!Array.isArray(row) || row.length !== A)
      throw new MdpInputError(`${path}.features[${s}]`, `expected ${A} feature vectors (one per action)`);
    return row.map((f, a) => {
      const p = `${path}.features[${s}][${a}]`;
      if (!Array.isArray(f) || f.length === 0) throw new MdpInputError(p, "expected a non-empty array of numbers");
      if (n < 0) n = f.length;
      if (f.length !== n) throw new MdpInputError(p, `expected ${n} features like the first vector, got ${f.length}`);
      return f.map((x, i) => {
        if (typeof x !== "number" || !Number.isFinite(x))
          throw new MdpInputError(`${p}[${i}]`, `expected a finite number, got ${JSON.stringify(x)}`);
        return x;
      });
    });
  });
  return { kind: "log-linear", features };
}

/**
 * Validate θ: a flat array of the policy's dimension, or for a tabular policy also a nested [S][A]
 * array; an object {"theta": …} is unwrapped. Absent means θ = 0.
 */
export function validateTheta(input: unknown, mdp: Mdp, policy: PolicySpec, path = "$"): Float64Array {
  const dim = policyDim(mdp, policy);
  if (input === undefined) return new Float64Array(dim);
  if (typeof input === "object" && input !== null && !Array.isArray(input) && "theta" in input)
    return validateTheta(input.theta, mdp, policy, `${path}.theta`);
  if (!Array.isArray(input)) throw new MdpInputError(path, `expected θ as an array of ${dim} numbers`);
  const { S, A } = mdpShape(mdp);
  const nested = policy.kind === "tabular" && input.length === S && input.every(Array.isArray);
  const flat: unknown[] = nested ? [] : input;
  if (nested)
    input.forEach((row: unknown[], s: number) => {
      if (row.length !== A)
        throw new MdpInputError(`${path}[${s}]`, `expected ${A} numbers (one per action), got ${row.length}`);
      flat.push(...row);
    });
  if (flat.length !== dim)
    throw new MdpInputError(path, `expected ${dim} numbers for a ${policy.kind} policy, got ${flat.length}`);
  return Float64Array.from(flat, (x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new MdpInputError(
        nested ? `${path}[${Math.floor(i / A)}][${i % A}]` : `${path}[${i}]`,
        `expected a finite number, got ${JSON.stringify(x)}`,
      );
    return x;
  });
}

const nest = (x: ArrayLike<number>, A: number): number[][] =>
  Array.from({ length: x.length / A }, (_, s) => Array.from(x).slice(s * A, s * A + A));

/** The input with fraction strings in P, r and the features turned into numbers (for --fractions), so the float validators see numbers. */
function withNumbers(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const o = { ...(input as Record<string, unknown>) };
  numbersInFields(o, { P: "$.P", r: "$.r" });
  return o;
}

/** Refuse a policy under which the chain has two closed classes (possible when π puts zero on some actions). */
function requireUnichainUnder(mdp: Mdp, pi: Float64Array, path: string): void {
  const { S } = mdpShape(mdp);
  const M = stateTransitions(mdp, pi);
  const chain: Mdp = {
    P: Array.from({ length: S }, (_, s) => [Array.from(M.subarray(s * S, s * S + S))]),
    r: Array.from({ length: S }, () => [0]),
  };
  const classes = closedClasses(chain);
  if (classes.length > 1) {
    const set = (c: number[]) => `{${c.join(", ")}}`;
    throw new MdpInputError(
      path,
      `under this policy states ${set(classes[0])} and ${set(classes[1])} form separate closed classes: the chain is not unichain, so d and λ are not unique`,
    );
  }
}

/** The report's numbers again, as exact fractions: the MDP read exactly from `input` (already validated in floats). */
function fractionsReport(
  input: Record<string, unknown>,
  policy: PolicySpec,
  pi: Rational[][],
): Record<string, unknown> {
  const P = exactLeaves(input.P, "$.P") as Rational[][][];
  P.forEach((Ps, s) => Ps.forEach((row, a) => exactlyOne(row, `$.P[${s}][${a}]`, "probabilities")));
  const exact: RationalMdp = { P, r: exactLeaves(input.r, "$.r") as Rational[][] };
  const d = stationaryExact(exact, pi);
  const ref = relativeValuesExact(exact, pi, "reference");
  const bias = relativeValuesExact(exact, pi, "bias");
  let gradient: unknown = null;
  if (policy.kind === "log-linear") {
    const features = exactLeaves(
      (input.policy as { features: unknown }).features,
      "$.policy.features",
    ) as Rational[][][];
    gradient = showAll(logLinearGradientExact(exact, pi, features));
  } else if (pi.every((row) => row.every((p) => p.compare(ZERO) > 0)))
    gradient = showAll(tabularGradientExact(exact, pi));
  return {
    pi: showAll(pi),
    lambda: show(ref.gain),
    d: showAll(d),
    mu: showAll(stateActionExact(d, pi)),
    reference: { V: showAll(ref.V), Q: showAll(ref.Q) },
    bias: { V: showAll(bias.V), Q: showAll(bias.Q) },
    gradient,
  };
}

/**
 * The full exact report for an average-reward MDP input, with θ (or, with `o.pi`, the policy's
 * probabilities as a tabular policy) and, with `o.fractions`, the same numbers as exact fractions.
 */
export function averageRewardReport(
  input: unknown,
  thetaInput?: unknown,
  o: ReportOptions = {},
): Record<string, unknown> {
  const data = o.fractions ? withNumbers(input) : input;
  const mdp = validateMdp(data);
  const { S, A } = mdpShape(mdp);
  const policy = validatePolicySpec((data as Record<string, unknown>).policy, mdp);
  let pi: Float64Array;
  let theta: Float64Array | null = null;
  let exactPi: Rational[][] | null = null;
  if (o.pi !== undefined) {
    if (policy.kind !== "tabular")
      throw new MdpInputError(
        "$.policy",
        '--pi gives the probabilities of a tabular policy; a log-linear policy\'s come from θ (drop --pi, or the "policy" field)',
      );
    const table = readPolicyTable(o.pi, S, A, { exact: o.fractions === true });
    requireUnichainUnder(mdp, table.float, "pi:$");
    pi = table.float;
    exactPi = table.exact;
  } else {
    theta = validateTheta(thetaInput, mdp, policy, "theta:$");
    if (o.fractions) requireZeroTheta(thetaInput, theta, policy.kind === "tabular" ? A : theta.length, "theta:$");
    pi = policyProbs(mdp, policy, theta);
  }
  const ref = relativeValues(mdp, pi, "reference");
  const bias = relativeValues(mdp, pi, "bias");
  const mu = stateActionDistribution(mdp, pi);
  // with --pi, ∇λ of the tabular Gibbs policy at θ = ln π: defined only when every π(a|s) > 0
  const grad = theta
    ? policyGradient(mdp, policy, theta)
    : pi.every((p) => p > 0)
      ? weightedScoreSum(mdp, TABULAR, pi, (s, a) => mu[s * A + a] * bias.Q[s * A + a])
      : null;
  const report: Record<string, unknown> = {
    kind: "average-reward",
    states: S,
    actions: A,
    // the input's labels, as validateMdp checked them (one string per state, per action)
    ...(mdp.stateNames ? { stateNames: mdp.stateNames } : {}),
    ...(mdp.actionNames ? { actionNames: mdp.actionNames } : {}),
    policy: policy.kind,
    ...(theta ? { theta: Array.from(theta) } : {}),
    pi: nest(pi, A),
    lambda: gain(mdp, pi),
    d: Array.from(stationaryDistribution(mdp, pi)),
    mu: nest(mu, A),
    reference: { normalization: "V(0) = 0", V: Array.from(ref.V), Q: nest(ref.Q, A) },
    bias: { normalization: "sum_s d(s) V(s) = 0", V: Array.from(bias.V), Q: nest(bias.Q, A) },
    gradient: grad === null ? null : policy.kind === "tabular" ? nest(grad, A) : Array.from(grad),
  };
  if (grad === null)
    report.gradientNote = "π puts zero on some action: no Gibbs θ gives it, so ∇θλ is not defined there";
  if (o.fractions)
    report.fractions = fractionsReport(input as Record<string, unknown>, policy, exactPi ?? uniformTable(S, A)); // read from the input as written, strings and all
  return report;
}
