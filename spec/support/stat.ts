/**
 * Statistical assertions with a stated false-failure rate (shared/statistics.md).
 *
 * Each assertion uses a fixed per-check rate α (default 1e-9; `PGBOOK_ALPHA` loosens it for
 * calibration runs), a distribution-free bound for samples in a known interval of width w, and
 * records its design in the test's facts. A negative control asserts the opposite: the check
 * must reject a deliberately wrong estimator; its miss rate β counts in the same budget, and its
 * design is asserted first (the control's exact bias must exceed the smallest detectable deviation).
 */
import type { TestContext } from "vitest";
import { bernsteinHalfWidth, detectableDeviation, hoeffdingHalfWidth } from "../../src/stats/bounds.ts";
import { binomialCdf, binomialSf } from "../../src/stats/binomial.ts";
import { meanAndVariance } from "../../src/stats/moments.ts";
import { claim } from "./claim.ts";

/** The per-check false-failure rate of statistical assertions. */
export const ALPHA = Number(process.env.PGBOOK_ALPHA ?? 1e-9);
/** The per-check miss rate of negative controls. */
export const BETA = Number(process.env.PGBOOK_BETA ?? 1e-9);

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
    if (!Number.isFinite(samples[i])) throw new Error(`${o.label ?? "sample"} ${i} is ${samples[i]}: samples must be finite`);
  }
  const hw =
    method === "hoeffding" ? hoeffdingHalfWidth(o.width, n, alpha) : Math.min(bernsteinHalfWidth(variance, o.width, n, alpha), hoeffdingHalfWidth(o.width, n, alpha / 2));
  return {
    n,
    mean,
    variance,
    target,
    error: mean - target,
    halfWidth: hw,
    detectable: detectableDeviation(o.width, n, alpha, o.beta ?? BETA),
    alpha,
    method,
  };
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
    detectable: detectableDeviation(o.width, rows.length, alpha, o.beta ?? BETA),
    facts: { [`${o.label ?? "mean"}.components`]: d },
  });
  if (bad.length) throw failure(ctx, `statistical check failed in ${bad.length} of ${d} components:\n  ${bad.join("\n  ")}`);
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
    throw failure(ctx, `negative control underpowered: exact bias ${fmt(exactBias)} ≤ detectable deviation ${fmt(c.detectable)} (n=${c.n})`);
  if (Math.abs(c.error) <= c.halfWidth)
    throw failure(ctx, `negative control NOT rejected: ${describe(c, label)}; the check cannot tell this wrong estimator apart`);
  return c;
}

/**
 * Assert a success rate: `successes` of `m` independent runs, claim "the rate is at least p0"
 * (rejected when P(Binom(m, p0) ≤ successes) < α) or "at most p0" (rejected when P(≥ successes) < α).
 */
export function expectRate(
  ctx: TestContext,
  successes: number,
  m: number,
  p0: number,
  direction: "at-least" | "at-most",
  o: { alpha?: number; label?: string; control?: boolean } = {},
): number {
  const alpha = o.alpha ?? ALPHA;
  const label = o.label ?? "rate";
  const p = direction === "at-least" ? binomialCdf(successes, m, p0) : binomialSf(successes, m, p0);
  claim(ctx, "monte-carlo", {
    runs: m,
    alpha,
    facts: { [`${label}.successes`]: successes, [`${label}.runs`]: m, [`${label}.p0`]: p0, [`${label}.pValue`]: p },
  });
  if (p < alpha)
    throw failure(ctx, `${label}: ${successes} of ${m} runs contradict "rate ${direction === "at-least" ? "≥" : "≤"} ${p0}" (p-value ${p.toExponential(3)} < α=${alpha})`);
  return p;
}
