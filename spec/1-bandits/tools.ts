/**
 * Measuring tools of chapter 1's specs, written independently of src/ so the reference is never
 * checked against itself: a direct softmax, the average reward, exact expectations of a sampled
 * update by enumerating every (action, reward) outcome, the tolerances the contract allows, and a
 * distribution-free check that sampled actions follow πθ (DKW on the CDF over action indices). The
 * checks the spec files share are here too: a step against finite differences, the h² order of the
 * differences, the symbolic oracles' instances, and batches of sampled actions (through the seam).
 */
import fc from "fast-check";
import { expect, type TestContext } from "vitest";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { derive, stream } from "../../src/contract/random.ts";
import { dkwHalfWidth } from "../../measure/stats/bounds.ts";
import { numericGradient } from "../../measure/stats/finite-diff.ts";
import { scoresActionRewards, type DiscreteBandit } from "../../measure/arbitraries/bandit.ts";
import { gibbsOracle, type GibbsOracle } from "../../measure/symbolic.ts";
import { claim } from "../support/claim.ts";
import { expectClose, type Tolerance } from "../../measure/close.ts";
import { callMany } from "../support/impl.ts";
import { show } from "../support/property.ts";
import { maxAbs, maxAbsDiff } from "../support/vectors.ts";
import { ALPHA, BETA } from "../support/stat.ts";
import { FD, softmax } from "./literal.ts";

export { FD, shrinksLikeHSquared, softmax } from "./literal.ts";

export type { DiscreteBandit };

/** πθ with the largest score factored out, for the extreme instances (|θ| up to 700 and beyond). */
export function shiftedSoftmax(theta: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(theta));
  return softmax(Array.from(theta, (x) => x - m));
}

/** λθ = Σₐ πθ(a) r(a) by the literal softmax. */
export function lambda(theta: ArrayLike<number>, r: ArrayLike<number>): number {
  const p = softmax(theta);
  return p.reduce((s, pa, a) => s + pa * r[a], 0);
}

export function means(b: DiscreteBandit): number[] {
  return b.values.map((v, a) => v.reduce((s, x, j) => s + x * b.probs[a][j], 0));
}

/** Bernoulli arms as a discrete bandit. */
export function bernoulliArms(p: number[]): DiscreteBandit {
  return { values: p.map(() => [1, 0]), probs: p.map((q) => [q, 1 - q]) };
}

/**
 * E[update(a, R)] under A ~ πθ (literal softmax) and R ~ the arm's law, by enumeration:
 * Σₐ Σⱼ πθ(a) probs[a][j] · update(a, values[a][j]).
 */
export function enumerate(
  theta: ArrayLike<number>,
  b: DiscreteBandit,
  update: (a: number, reward: number) => ArrayLike<number>,
): number[] {
  const p = softmax(theta);
  const out = new Array<number>(theta.length).fill(0);
  for (let a = 0; a < p.length; a++) {
    for (let j = 0; j < b.values[a].length; j++) {
      const u = update(a, b.values[a][j]);
      const w = p[a] * b.probs[a][j];
      for (let i = 0; i < out.length; i++) out[i] += w * u[i];
    }
  }
  return out;
}

export { maxAbs, maxAbsDiff };

/**
 * What the contract's accuracy on a step θ' (each component within ACCURACY of the exact θ') allows on
 * the move it implies, (θ' − θ)/α: the absolute allowance on θ' divided by α.
 */
export function moveAllowance(next: ArrayLike<number>, alpha: number): number {
  return (ACCURACY.abs + ACCURACY.rel * maxAbs(next)) / alpha;
}

/** A tolerance widened by an absolute amount (another quantity's allowance carried into this one). */
export const widen = (t: Tolerance, abs: number): Tolerance => ({ rel: t.rel, abs: t.abs + abs });

/**
 * A step θ' = step() of REINFORCE's form θ + α·c·∇θ ln πθ(a) (c = R in (1), R − B in (13)), checked on its
 * move θ' − θ against α·c·(finite differences of ln πθ(a)): the differences' tolerance scaled by α|c|, plus
 * what the contract allows on θ' itself. The step must leave θ as it was. Returns θ'.
 */
export function expectScoreStep(
  theta: Float64Array,
  a: number,
  alpha: number,
  c: number,
  step: () => Float64Array,
  label: string,
): Float64Array {
  const before = Float64Array.from(theta);
  const next = step();
  expect(Array.from(theta)).toEqual(Array.from(before)); // the input, not a computed value: no mutation
  const fd = numericGradient((th) => Math.log(softmax(th)[a]), theta);
  const move = Float64Array.from(next, (x, i) => x - theta[i]);
  const want = Float64Array.from(fd, (g) => alpha * c * g);
  expectClose(
    move,
    want,
    widen({ rel: FD.rel, abs: alpha * Math.abs(c) * FD.abs }, ACCURACY.abs + ACCURACY.rel * maxAbs(next)),
    label,
  );
  return next;
}

/** The numbers of actions the symbolic oracles are written for (measure/symbolic.ts). */
export const SYMBOLIC_K = [2, 3, 4, 5];
/** A symbolic oracle for each number of actions in SYMBOLIC_K. */
export const symbolicOracles = (): Map<number, GibbsOracle> => new Map(SYMBOLIC_K.map((k) => [k, gibbsOracle(k)]));
/** Random scores, an action and rewards for a number of actions drawn from SYMBOLIC_K. */
export const symbolicInstances = () => fc.constantFrom(...SYMBOLIC_K).chain((k) => scoresActionRewards(k));

/**
 * n actions A ~ πθ sampled by the implementation under test from a stream of their own (`seed` derived
 * with "actions"), in one batch (callMany) instead of one call per sample.
 */
export function sampledActions(seed: string, theta: Float64Array, n: number): number[] {
  const actRng = stream(derive(seed, "actions"));
  return callMany(
    "sampleAction",
    Array.from({ length: n }, () => [theta, actRng]),
  );
}

/**
 * The contract's allowance on a sum Σⱼ xⱼ·yⱼ of products of contract values (each within ACCURACY of
 * exact, |x| and |y| their sizes): Σⱼ (|xⱼ|·(abs + rel|yⱼ|) + |yⱼ|·(abs + rel|xⱼ|)).
 */
export function productSumAllowance(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < xs.length; j++) {
    const x = Math.abs(xs[j]);
    const y = Math.abs(ys[j]);
    s += x * (ACCURACY.abs + ACCURACY.rel * y) + y * (ACCURACY.abs + ACCURACY.rel * x);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Sampled actions against πθ: the DKW bound on the empirical CDF over action indices.

/** F(i) = Σ_{a ≤ i} p(a), the CDF over action indices. */
export function cdf(p: ArrayLike<number>): number[] {
  let s = 0;
  return Array.from(p, (x) => (s += x));
}

/** sup over actions i of |F(i) − G(i)| for two laws on the same actions (i < k − 1: both CDFs are 1 at the last). */
export function cdfDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const f = cdf(p);
  const g = cdf(q);
  let d = 0;
  for (let i = 0; i < f.length - 1; i++) d = Math.max(d, Math.abs(f[i] - g[i]));
  return d;
}

/**
 * The design of the check: `draws` values of θ, `n` sampled actions at each. The rate α is split
 * evenly over the draws (Bonferroni); at each, DKW–Massart gives
 *   P(sup_i |F̂ₙ(i) − F(i)| > ε) ≤ 2e^{−2nε²} = α/draws  for ε = √(ln(2·draws/α)/(2n)),
 * whatever the law of the actions (discrete laws included). A sampler whose CDF G differs from F by
 * Δ = sup_i |G(i) − F(i)| at one θ passes that θ's check only if F̂ₙ(i*) strays Δ − ε from G(i*), which
 * has probability ≤ e^{−2n(Δ−ε)²} (Hoeffding, one-sided): so Δ ≥ detectable = ε + √(ln(1/β)/(2n)) at
 * any one draw is caught with probability ≥ 1 − β.
 */
export interface ActionLawDesign {
  draws: number;
  n: number;
  alpha: number;
  alphaEach: number;
  epsilon: number;
  beta: number;
  detectable: number;
}

export function actionLawDesign(draws: number, n: number, alpha = ALPHA, beta = BETA): ActionLawDesign {
  const alphaEach = alpha / draws;
  const epsilon = dkwHalfWidth(n, alphaEach);
  return { draws, n, alpha, alphaEach, epsilon, beta, detectable: epsilon + Math.sqrt(Math.log(1 / beta) / (2 * n)) };
}

/** One θ draw of the check: θ, the law the actions are claimed to follow, the sampled actions. */
export interface ActionSample {
  theta: ArrayLike<number>;
  p: ArrayLike<number>;
  actions: ArrayLike<number>;
}

interface Deviation {
  sup: number;
  at: number;
  freq: number[];
}

function deviation(s: ActionSample, what: string, index: number): Deviation {
  const k = s.p.length;
  const freq = new Array<number>(k).fill(0);
  for (let t = 0; t < s.actions.length; t++) {
    const a = s.actions[t];
    if (!(Number.isInteger(a) && a >= 0 && a < k))
      throw new Error(
        `${what} returned ${show(a)} at θ#${index} = ${show(s.theta)} (draw ${t}): an action must be an integer in [0, ${k})`,
      );
    freq[a] += 1 / s.actions.length;
  }
  const f = cdf(s.p);
  const fh = cdf(freq);
  let sup = 0;
  let at = 0;
  for (let i = 0; i < k - 1; i++) {
    const d = Math.abs(fh[i] - f[i]);
    if (d > sup) [sup, at] = [d, i];
  }
  return { sup, at, freq };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(6) : String(x));
const vec = (x: ArrayLike<number>) => `[${Array.from(x, (v) => v.toPrecision(4)).join(", ")}]`;

/** The failure line of one θ draw, in the statistical checks' format (the grader reads it: label, mean, target, error, half-width, α, n). */
function finding(s: ActionSample, d: Deviation, j: number, design: ActionLawDesign): string {
  const fi = cdf(s.p)[d.at];
  const fhat = cdf(d.freq)[d.at];
  return (
    `cdf P(A ≤ ${d.at}) at θ#${j}: mean ${fmt(fhat)} vs ${fmt(fi)} (error ${fmt(fhat - fi)}, half-width ${fmt(design.epsilon)} at α=${fmt(design.alphaEach)}, n=${s.actions.length})\n` +
    `    θ#${j} = ${show(s.theta)}; πθ = ${vec(s.p)}; frequencies of the sampled actions ${vec(d.freq)}`
  );
}

function failure(ctx: TestContext, msg: string): Error {
  const m = ctx.task.meta.pgbook;
  return new Error(`${msg}\n  seed: ${m?.seed}\n  replay: ${m?.replay}`);
}

/** Failing draws of θ a message shows (the largest deviations), so it stays readable. */
const SHOWN = 3;

/** The outcome of the check at each draw, and the failure message (null when every draw passes). Records nothing. */
export function measureActionLaw(
  samples: ActionSample[],
  design: ActionLawDesign,
  what: string,
): { sup: number[]; ratio: number; message: string | null } {
  if (samples.length !== design.draws || samples.some((s) => s.actions.length !== design.n))
    throw new Error(
      `measureActionLaw: ${samples.length} draws of θ, the design has ${design.draws} of ${design.n} actions each`,
    );
  const devs = samples.map((s, j) => deviation(s, what, j));
  const bad = devs.map((d, j) => [d, j] as const).filter(([d]) => !(d.sup <= design.epsilon));
  const worstFirst = [...bad].sort(([a], [b]) => b.sup - a.sup);
  const message = bad.length
    ? `statistical check failed: the actions drawn by ${what} do not follow πθ at ${bad.length} of ${design.draws} draws of θ ` +
      `(DKW: sup over actions i of |F̂(i) − F(i)| must stay within ε = ${fmt(design.epsilon)}, α/${design.draws} at each draw, n = ${design.n} actions per θ)\n  ` +
      worstFirst
        .slice(0, SHOWN)
        .map(([d, j]) => finding(samples[j], d, j, design))
        .join("\n  ") +
      (bad.length > SHOWN ? `\n  (and ${bad.length - SHOWN} more draws of θ outside the band)` : "")
    : null;
  return { sup: devs.map((d) => d.sup), ratio: Math.max(...devs.map((d) => d.sup / design.epsilon)), message };
}

/**
 * Assert that the actions sampled at each θ follow πθ: at every draw, sup_i |F̂ₙ(i) − F(i)| ≤ ε (the
 * design above; false-failure rate ≤ α in all). `what` names the sampler in messages.
 */
export function expectActionLaw(
  ctx: TestContext,
  samples: ActionSample[],
  design: ActionLawDesign,
  what: string,
): void {
  const r = measureActionLaw(samples, design, what);
  const prev = ctx.task.meta.pgbook?.facts?.maxErrorRatio;
  claim(ctx, "monte-carlo", {
    samples: design.draws * design.n,
    alpha: design.alpha,
    halfWidth: design.epsilon,
    detectable: design.detectable,
    facts: {
      thetaDraws: design.draws,
      actionsPerTheta: design.n,
      dkwEpsilon: design.epsilon,
      detectableSupDeviation: design.detectable,
      largestSupDeviation: Math.max(...r.sup),
      maxErrorRatio: typeof prev === "number" ? Math.max(prev, r.ratio) : r.ratio,
    },
  });
  if (r.message) throw failure(ctx, r.message);
}

/**
 * A negative control: a sampler whose law `q` at each θ is known exactly must fail the same check.
 * The design is asserted first — at some draw the exact distance sup_i |G(i) − F(i)| must reach the
 * detectable deviation, so the control passes with probability ≤ β — then the check must reject it.
 */
export function expectActionLawRejected(
  ctx: TestContext,
  samples: (ActionSample & { q: ArrayLike<number> })[],
  design: ActionLawDesign,
  label: string,
): void {
  const distances = samples.map((s) => cdfDistance(s.q, s.p));
  const best = Math.max(...distances);
  const r = measureActionLaw(samples, design, label);
  claim(ctx, "monte-carlo", {
    samples: design.draws * design.n,
    control: true,
    beta: design.beta,
    halfWidth: design.epsilon,
    detectable: design.detectable,
    facts: {
      [`${label}.largestExactDistance`]: best,
      [`${label}.drawsDetectable`]: distances.filter((d) => d >= design.detectable).length,
      [`${label}.largestSupDeviation`]: Math.max(...r.sup),
      detectableSupDeviation: design.detectable,
    },
  });
  if (!(best >= design.detectable))
    throw failure(
      ctx,
      `negative control underpowered: ${label}'s law is at most ${fmt(best)} from πθ in CDF distance over the ${design.draws} draws of θ, below the detectable ${fmt(design.detectable)}`,
    );
  if (!r.message)
    throw failure(
      ctx,
      `negative control NOT rejected: ${label} passed the check of πθ; the check cannot tell this sampler apart`,
    );
}
