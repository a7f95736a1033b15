/**
 * A third oracle for the gradients of Chapter 1, beside finite differences and the closed forms:
 * mathjs's symbolic `derivative`. The Gibbs policy's functions are written out as expressions in the
 * scores t0 … t{k−1} (and rewards r0 … r{k−1}), differentiated symbolically once per k, compiled, and
 * evaluated in float64. Nothing of the closed forms (4), (5), (9), (11) enters: the derivatives are
 * mathjs's rules applied to the definitions (2), (3) and (7).
 */
import { derivative, parse, type EvalFunction } from "mathjs";

const theta = (i: number) => `t${i}`;
const reward = (i: number) => `r${i}`;
const range = (k: number) => Array.from({ length: k }, (_, i) => i);

/** Σ_b e^{θ_b} as text. */
function partition(k: number): string {
  return range(k)
    .map((b) => `exp(${theta(b)})`)
    .join(" + ");
}

/** Eq. (2): πθ(a) = e^{θ_a} / Σ_b e^{θ_b}. */
export function gibbsProbExpression(k: number, a: number): string {
  return `exp(${theta(a)}) / (${partition(k)})`;
}

/** Eq. (3): ln πθ(a) = θ_a − ln Σ_b e^{θ_b}. */
export function gibbsLogProbExpression(k: number, a: number): string {
  return `${theta(a)} - log(${partition(k)})`;
}

/** Eq. (7): λθ = Σ_a πθ(a) r(a), with the rewards as symbols r0 … r{k−1}. */
export function averageRewardExpression(k: number): string {
  return `(${range(k)
    .map((a) => `${reward(a)} * exp(${theta(a)})`)
    .join(" + ")}) / (${partition(k)})`;
}

/** The gradient of an expression in the given variables: one symbolic derivative per variable, compiled. */
export interface SymbolicGradient {
  /** The derivatives as text (mathjs's unsimplified form), one per variable. */
  derivatives: string[];
  /** The gradient's value at a point (every symbol of the expression bound in `scope`). */
  at(scope: Record<string, number>): Float64Array;
}

/**
 * Differentiate `expression` with respect to each of `variables` (without mathjs's simplifier, which
 * costs ~20 ms a derivative and changes nothing here) and compile the results.
 */
export function symbolicGradient(expression: string, variables: readonly string[]): SymbolicGradient {
  const node = parse(expression);
  const parts = variables.map((v) => derivative(node, v, { simplify: false }));
  const compiled: EvalFunction[] = parts.map((p) => p.compile());
  return {
    derivatives: parts.map((p) => p.toString()),
    at: (scope) => Float64Array.from(compiled, (c) => c.evaluate({ ...scope }) as number),
  };
}

/** The symbolic oracle for a k-action Gibbs policy, built once and evaluated at any θ (and r). */
export interface GibbsOracle {
  k: number;
  /** ∇θ ln πθ(a), by differentiating (3). */
  score(theta: ArrayLike<number>, a: number): Float64Array;
  /** ∇θ πθ(a), by differentiating (2). */
  policyGradient(theta: ArrayLike<number>, a: number): Float64Array;
  /** ∇θ λθ, by differentiating (7). */
  averageRewardGradient(theta: ArrayLike<number>, r: ArrayLike<number>): Float64Array;
}

/** A value computed on first use and kept by its owner (the oracle object), not by the module. */
function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

/**
 * The oracle for k actions. Each of its three gradients is differentiated and compiled on its first
 * use (k² derivatives for the score and for ∇π, k for ∇λ) and reused after, so a check that needs one
 * of them pays for that one only.
 */
export function gibbsOracle(k: number): GibbsOracle {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`gibbsOracle(${k}): k must be a positive integer`);
  const vars = range(k).map(theta);
  const lnPi = range(k).map((a) => once(() => symbolicGradient(gibbsLogProbExpression(k, a), vars)));
  const pi = range(k).map((a) => once(() => symbolicGradient(gibbsProbExpression(k, a), vars)));
  const lambda = once(() => symbolicGradient(averageRewardExpression(k), vars));
  const scope = (th: ArrayLike<number>, r?: ArrayLike<number>): Record<string, number> => {
    if (th.length !== k) throw new RangeError(`gibbsOracle(${k}): θ has ${th.length} entries`);
    if (r && r.length !== k) throw new RangeError(`gibbsOracle(${k}): r has ${r.length} entries`);
    const s: Record<string, number> = {};
    for (let i = 0; i < k; i++) {
      s[theta(i)] = th[i];
      if (r) s[reward(i)] = r[i];
    }
    return s;
  };
  const action = (a: number) => {
    if (!(Number.isInteger(a) && a >= 0 && a < k)) throw new RangeError(`gibbsOracle(${k}): no action ${a}`);
    return a;
  };
  return {
    k,
    score: (th, a) => lnPi[action(a)]().at(scope(th)),
    policyGradient: (th, a) => pi[action(a)]().at(scope(th)),
    averageRewardGradient: (th, r) => lambda().at(scope(th, r)),
  };
}
