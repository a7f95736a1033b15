/**
 * Statistical assertions with a stated false-failure rate (README, "How a claim is checked").
 *
 * Each assertion uses a fixed per-check rate α (default 1e-9; `PGBOOK_ALPHA` loosens it for
 * calibration runs), a distribution-free bound for samples in a known interval of width w, and
 * records its design in the test's facts. A negative control asserts the opposite: the check
 * must reject a deliberately wrong estimator; its miss rate β counts in the same budget, and its
 * design is asserted first (the control's exact bias must exceed the smallest detectable deviation).
 */
import type { TestContext } from "vitest";
import { bernsteinHalfWidth, detectableDeviation, hoeffdingHalfWidth } from "../../measure/stats/bounds.ts";
import { rateDesign, ratePassProbability, type RateDesign } from "../../measure/stats/binomial.ts";
import { meanAndVariance } from "../../measure/stats/moments.ts";
import { claim } from "./claim.ts";

/** The per-check false-failure rate of statistical assertions. */
export const ALPHA = Number(process.env.PGBOOK_ALPHA ?? 1e-9);
/** The per-check miss rate of negative controls (a control that is not rejected fails the suite, so β counts in the budget). */
export const BETA = Number(process.env.PGBOOK_BETA ?? 1e-9);
/**
 * The miss rate at which a rate claim's power is stated: the claim fails with probability at least
 * 1 − RATE_BETA whenever the true rate is at or beyond p1. A miss fails nothing, so it is printed
 * beside the budget, not in it.
 */
export const RATE_BETA = 1e-3;

export type BoundMethod = "hoeffding" | "bernstein";

export interface MeanCheck {
  n: number;
  mean: number;
  variance: number;
  target: number;
  error: number;
  halfWidth: number;
  detectable: number;
  alpha: number;
  method: BoundMethod;
}

export interface MeanOptions {
  /** Width of the interval that contains every sample (a bound known before sampling). */
  width: number;
  alpha?: number;
  beta?: number;
  method?: BoundMethod;
  /** A name for the quantity, used in messages and facts. */
  label?: string;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(6) : String(x);
}

/** Measure a sample mean against a target with a two-sided bound at rate α. Does not assert. */
export function measureMean(samples: ArrayLike<number>, target: number, o: MeanOptions): MeanCheck {
  const alpha = o.alpha ?? ALPHA;
  const method = o.method ?? "bernstein";
  const { n, mean, variance } = meanAndVariance(samples);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]))
      throw new Error(`${o.label ?? "sample"} ${i} is ${samples[i]}: samples must be finite`);
  }
  // Bernstein and Hoeffding each at α/2: the union of their failure events has probability ≤ α,
  // so the smaller of the two widths is a width at α.
  const hw =
    method === "hoeffding"
      ? hoeffdingHalfWidth(o.width, n, alpha)
      : Math.min(bernsteinHalfWidth(variance, o.width, n, alpha / 2), hoeffdingHalfWidth(o.width, n, alpha / 2));
  return {
    n,
    mean,
    variance,
    target,
    error: mean - target,
    halfWidth: hw,
    detectable: detectableFor(o.width, n, alpha, o.beta ?? BETA, method),
    alpha,
    method,
  };
}

/**
 * The smallest deviation the check rejects with probability ≥ 1 − β. The half-width never exceeds
 * Hoeffding's at the α it was computed with (α for "hoeffding", α/2 for "bernstein"), so a deviation
 * of that Hoeffding width plus a one-sided Hoeffding width at β is detected.
 */
function detectableFor(width: number, n: number, alpha: number, beta: number, method: BoundMethod): number {
  return detectableDeviation(width, n, method === "hoeffding" ? alpha : alpha / 2, beta);
}

function describe(c: MeanCheck, label: string): string {
  return `${label}: mean ${fmt(c.mean)} vs ${fmt(c.target)} (error ${fmt(c.error)}, half-width ${fmt(c.halfWidth)} at α=${c.alpha}, n=${c.n}, ${c.method})`;
}

function record(ctx: TestContext, c: MeanCheck, label: string, control: boolean, beta?: number): void {
  if (!control) noteErrorRatio(ctx, Math.abs(c.error) / c.halfWidth);
  claim(ctx, "monte-carlo", {
    samples: c.n,
    alpha: c.alpha,
    halfWidth: c.halfWidth,
    detectable: c.detectable,
    ...(control ? { control: true, beta: beta ?? BETA } : {}),
    facts: { [`${label}.mean`]: c.mean, [`${label}.target`]: c.target, [`${label}.halfWidth`]: c.halfWidth },
  });
}

/** Keep the largest |error| / half-width of the test's assertions (read by the calibration command). */
function noteErrorRatio(ctx: TestContext, ratio: number): void {
  const prev = ctx.task.meta.pgbook?.facts?.maxErrorRatio;
  const worst = typeof prev === "number" ? Math.max(prev, ratio) : ratio;
  claim(ctx, "monte-carlo", { facts: { maxErrorRatio: worst } });
}

function failure(ctx: TestContext, msg: string): Error {
  const m = ctx.task.meta.pgbook;
  return new Error(`${msg}\n  seed: ${m?.seed}\n  replay: ${m?.replay}`);
}

/**
 * Assert that the sample mean agrees with `target`: |mean − target| ≤ half-width, a check that
 * fails with probability at most α when the claim is true.
 */
export function expectMean(ctx: TestContext, samples: ArrayLike<number>, target: number, o: MeanOptions): MeanCheck {
  const label = o.label ?? "mean";
  const c = measureMean(samples, target, o);
  record(ctx, c, label, false);
  if (!(Math.abs(c.error) <= c.halfWidth)) throw failure(ctx, `statistical check failed, ${describe(c, label)}`);
  return c;
}

/**
 * Assert that a vector-valued sample mean agrees with `target` in every component. The rate α is
 * split evenly over the d components (Bonferroni), so the whole check keeps rate α.
 */
export function expectMeanVector(
  ctx: TestContext,
  rows: ArrayLike<number>[],
  target: ArrayLike<number>,
  o: MeanOptions,
): MeanCheck[] {
  const d = target.length;
  const alpha = (o.alpha ?? ALPHA) / d;
  const out: MeanCheck[] = [];
  const bad: string[] = [];
  for (let j = 0; j < d; j++) {
    const col = Float64Array.from(rows, (r) => r[j]);
    const c = measureMean(col, target[j], { ...o, alpha });
    out.push(c);
    if (!(Math.abs(c.error) <= c.halfWidth)) bad.push(describe(c, `${o.label ?? "mean"}[${j}]`));
  }
  noteErrorRatio(ctx, Math.max(...out.map((c) => Math.abs(c.error) / c.halfWidth)));
  const worst = out.reduce((a, b) => (a.halfWidth > b.halfWidth ? a : b));
  claim(ctx, "monte-carlo", {
    samples: rows.length,
    alpha: o.alpha ?? ALPHA,
    halfWidth: worst.halfWidth,
    detectable: detectableFor(o.width, rows.length, alpha, o.beta ?? BETA, o.method ?? "bernstein"),
    facts: { [`${o.label ?? "mean"}.components`]: d },
  });
  if (bad.length)
    throw failure(ctx, `statistical check failed in ${bad.length} of ${d} components:\n  ${bad.join("\n  ")}`);
  return out;
}

/**
 * A negative control: the check must reject a wrong estimator whose exact mean differs from the
 * target by `exactBias`. The design is asserted first — |exactBias| must exceed the deviation the
 * check detects with miss rate β — then the samples must fall outside the half-width.
 */
export function expectRejected(
  ctx: TestContext,
  samples: ArrayLike<number>,
  target: number,
  exactBias: number,
  o: MeanOptions,
): MeanCheck {
  const label = o.label ?? "control";
  const c = measureMean(samples, target, o);
  const beta = o.beta ?? BETA;
  record(ctx, c, label, true, beta);
  claim(ctx, "monte-carlo", { facts: { [`${label}.exactBias`]: exactBias } });
  if (!(Math.abs(exactBias) > c.detectable))
    throw failure(
      ctx,
      `negative control underpowered: exact bias ${fmt(exactBias)} ≤ detectable deviation ${fmt(c.detectable)} (n=${c.n})`,
    );
  if (Math.abs(c.error) <= c.halfWidth)
    throw failure(
      ctx,
      `negative control NOT rejected: ${describe(c, label)}; the check cannot tell this wrong estimator apart`,
    );
  return c;
}

export type { RateDesign };

export interface RateOptions {
  alpha?: number;
  /** The miss rate at which the power p1 is stated (default RATE_BETA). */
  beta?: number;
  label?: string;
}

/**
 * The design of a rate claim on `runs` runs (measure/stats/binomial.ts, rateDesign), asserted before any
 * run is looked at: its exact false-failure rate is at most α and its pass probability at p1 at most β.
 */
export function designRate(
  runs: number,
  p0: number,
  direction: "at-least" | "at-most",
  o: RateOptions = {},
): RateDesign {
  const d = rateDesign(runs, p0, direction, o.alpha ?? ALPHA, o.beta ?? RATE_BETA);
  if (!(d.falseFailure <= d.alpha) || !(ratePassProbability(d, d.p1) <= d.beta * (1 + 1e-9)))
    throw new Error(
      `rate design of ${o.label ?? "rate"} is inconsistent: false failure ${d.falseFailure} (α ${d.alpha}), pass at p1 ${d.miss} (β ${d.beta})`,
    );
  return d;
}

const pct = (p: number) => `${(100 * p).toFixed(p > 0.001 && p < 0.999 ? 1 : 3).replace(/\.0$/, "")}%`;

function needs(d: RateDesign): string {
  return d.direction === "at-least" ? `≥ ${d.critical}` : `≤ ${d.critical}`;
}

function recordRate(
  ctx: TestContext,
  k: number,
  d: RateDesign,
  label: string,
  control: boolean,
  extra: Record<string, number> = {},
): void {
  claim(ctx, "monte-carlo", {
    runs: d.runs,
    ...(control ? {} : { alpha: d.alpha, p1: d.p1, powerBeta: d.beta }),
    facts: {
      [`${label}.successes`]: k,
      [`${label}.runs`]: d.runs,
      [`${label}.p0`]: d.p0,
      [`${label}.critical`]: d.critical,
      [`${label}.p1`]: d.p1,
      [`${label}.falseFailure`]: d.falseFailure,
      ...Object.fromEntries(Object.entries(extra).map(([k2, v]) => [`${label}.${k2}`, v])),
    },
  });
}

/**
 * Assert a rate claim "at least p0 of the runs succeed" (or "at most"): `successes` of `d.runs`
 * independent runs, passing when the count meets the design's critical count. It fails with
 * probability at most α when the claim holds and at least 1 − β when the true rate is ≤ p1 (≥ p1
 * for "at most"); p1 is recorded for the badge.
 */
export function expectRateClaim(ctx: TestContext, successes: number, d: RateDesign, o: { label?: string } = {}): void {
  const label = o.label ?? "rate";
  recordRate(ctx, successes, d, label, false);
  const ok = d.direction === "at-least" ? successes >= d.critical : successes <= d.critical;
  if (!ok)
    throw failure(
      ctx,
      `${label}: ${successes} of ${d.runs} runs succeeded, the claim "rate ${d.direction === "at-least" ? "≥" : "≤"} ${pct(d.p0)}" needs ${needs(d)} ` +
        `(false-failure rate ${d.falseFailure.toExponential(2)} at ${pct(d.p0)}; fails with probability ≥ ${1 - d.beta} at ${pct(d.p1)})`,
    );
}

/**
 * A negative control for a rate claim: a learner whose success rate is known to be at most
 * `controlRate` (at least, for "at most" claims) — computed exactly, or certain — must fail the same
 * test. The design is asserted first: the exact probability that the control passes, P(pass at
 * controlRate), must be at most BETA; that probability is the control's miss rate, counted in the budget.
 */
export function expectRateRejected(
  ctx: TestContext,
  successes: number,
  d: RateDesign,
  controlRate: number,
  o: { label?: string } = {},
): void {
  const label = o.label ?? "control";
  const miss = ratePassProbability(d, controlRate);
  recordRate(ctx, successes, d, label, true, { controlRate, miss });
  claim(ctx, "monte-carlo", { control: true, beta: Math.max(miss, Number.MIN_VALUE) });
  if (!(miss <= BETA))
    throw failure(
      ctx,
      `negative control underpowered: a learner at rate ${pct(controlRate)} passes "${label}" with probability ${miss.toExponential(2)} > β=${BETA} (${d.runs} runs, needs ${needs(d)})`,
    );
  const passed = d.direction === "at-least" ? successes >= d.critical : successes <= d.critical;
  if (passed)
    throw failure(
      ctx,
      `negative control NOT rejected: ${label}: ${successes} of ${d.runs} runs succeeded, the claim needs ${needs(d)}; the test cannot tell this learner apart`,
    );
}

/**
 * Assert a success rate: `successes` of `m` independent runs, claim "the rate is at least p0"
 * (or "at most p0"), by the design of designRate(m, p0, direction).
 */
export function expectRate(
  ctx: TestContext,
  successes: number,
  m: number,
  p0: number,
  direction: "at-least" | "at-most",
  o: { alpha?: number; label?: string } = {},
): RateDesign {
  const d = designRate(m, p0, direction, o);
  expectRateClaim(ctx, successes, d, o);
  return d;
}
