/**
 * The exact report of `pgbook exact` for an average-reward MDP: validates the input file's data
 * (MDP, optional policy parameterization, θ) and returns plain JSON with λ, d, μ, V and Q in both
 * normalizations, and ∇λ. Every input problem throws MdpInputError naming the JSON path.
 */
import { gain, policyGradient, relativeValues, stateActionDistribution, stationaryDistribution } from "../../src/average-return/exact.ts";
import { policyDim, policyProbs, type PolicySpec } from "../../src/average-return/policy.ts";
import { mdpShape } from "../../src/core/shapes.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { MdpInputError, validateMdp } from "../../src/average-return/validate.ts";

/** Validate the optional "policy" field: absent or {"kind": "tabular"}, or log-linear with features[s][a] of one length. */
export function validatePolicySpec(input: unknown, mdp: Mdp, path = "$.policy"): PolicySpec {
  if (input === undefined) return { kind: "tabular" };
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new MdpInputError(path, `expected an object like {"kind": "tabular"}`);
  const o = input as Record<string, unknown>;
  if (o.kind === "tabular") return { kind: "tabular" };
  if (o.kind !== "log-linear") throw new MdpInputError(`${path}.kind`, `expected "tabular" or "log-linear", got ${JSON.stringify(o.kind)}`);
  const { S, A } = mdpShape(mdp);
  const F = o.features;
  if (!Array.isArray(F) || F.length !== S) throw new MdpInputError(`${path}.features`, `expected ${S} rows (one per state) of per-action feature vectors`);
  let n = -1;
  const features = F.map((row, s) => {
    if (!Array.isArray(row) || row.length !== A) throw new MdpInputError(`${path}.features[${s}]`, `expected ${A} feature vectors (one per action)`);
    return row.map((f, a) => {
      const p = `${path}.features[${s}][${a}]`;
      if (!Array.isArray(f) || f.length === 0) throw new MdpInputError(p, "expected a non-empty array of numbers");
      if (n < 0) n = f.length;
      if (f.length !== n) throw new MdpInputError(p, `expected ${n} features like the first vector, got ${f.length}`);
      return f.map((x, i) => {
        if (typeof x !== "number" || !Number.isFinite(x)) throw new MdpInputError(`${p}[${i}]`, `expected a finite number, got ${JSON.stringify(x)}`);
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
  if (typeof input === "object" && input !== null && !Array.isArray(input) && "theta" in input) return validateTheta((input as { theta: unknown }).theta, mdp, policy, `${path}.theta`);
  if (!Array.isArray(input)) throw new MdpInputError(path, `expected θ as an array of ${dim} numbers`);
  const { S, A } = mdpShape(mdp);
  const nested = policy.kind === "tabular" && input.length === S && input.every(Array.isArray);
  const flat: unknown[] = nested ? [] : input;
  if (nested)
    input.forEach((row: unknown[], s: number) => {
      if (row.length !== A) throw new MdpInputError(`${path}[${s}]`, `expected ${A} numbers (one per action), got ${row.length}`);
      flat.push(...row);
    });
  if (flat.length !== dim) throw new MdpInputError(path, `expected ${dim} numbers for a ${policy.kind} policy, got ${flat.length}`);
  return Float64Array.from(flat, (x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw new MdpInputError(nested ? `${path}[${Math.floor(i / A)}][${i % A}]` : `${path}[${i}]`, `expected a finite number, got ${JSON.stringify(x)}`);
    return x;
  });
}

const nest = (x: ArrayLike<number>, A: number): number[][] => Array.from({ length: x.length / A }, (_, s) => Array.from(x).slice(s * A, s * A + A));

/** The full exact report for an average-reward MDP input and optional θ input. */
export function averageRewardReport(input: unknown, thetaInput?: unknown): Record<string, unknown> {
  const mdp = validateMdp(input);
  const { S, A } = mdpShape(mdp);
  const policy = validatePolicySpec((input as Record<string, unknown>).policy, mdp);
  const theta = validateTheta(thetaInput, mdp, policy, "theta:$");
  const pi = policyProbs(mdp, policy, theta);
  const ref = relativeValues(mdp, pi, "reference");
  const bias = relativeValues(mdp, pi, "bias");
  const grad = policyGradient(mdp, policy, theta);
  return {
    kind: "average-reward",
    states: S,
    actions: A,
    policy: policy.kind,
    theta: Array.from(theta),
    pi: nest(pi, A),
    lambda: gain(mdp, pi),
    d: Array.from(stationaryDistribution(mdp, pi)),
    mu: nest(stateActionDistribution(mdp, pi), A),
    reference: { normalization: "V(0) = 0", V: Array.from(ref.V), Q: nest(ref.Q, A) },
    bias: { normalization: "sum_s d(s) V(s) = 0", V: Array.from(bias.V), Q: nest(bias.Q, A) },
    gradient: policy.kind === "tabular" ? nest(grad, A) : Array.from(grad),
  };
}
