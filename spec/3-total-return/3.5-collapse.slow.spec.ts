/**
 * Chapter 3, §3.5 (notes §3.1), in the slow tier: episodic REINFORCE on stop-or-play (T = 8, step size 1,
 * 300 episodes). Without a baseline, some runs lock onto "stop at once" (J = 1, against J ≈ 4 for always
 * playing); with the V_t or a running baseline, (almost) none do.
 *
 * Each claim is a rate test with an indifference zone (designRate): it fails with probability ≤ α = 1e-9
 * when the claim holds and with probability ≥ 1 − 10⁻³ beyond its p1. A run costs about 2 ms, so each
 * learner gets 6,000 runs: then the two zones do not overlap (p1 of "at most 1%" lies below p1 of "at
 * least 5%"), and no learner passes both claims but with probability ≤ 10⁻³ — in particular not one that
 * collapses 3% of the time. Each claim has a control whose collapse rate is known exactly: the real
 * runs, each replaced (by a coin drawn from its own stream) with a deterministic learner whose outcome
 * is certain — exact gradient descent (a sign error) always collapses, exact ascent never does.
 */
import { describe, expect, it, type TestContext } from "vitest";
import { collapsed, LEARNING, learningCurves, learningProblem } from "../../measure/total-return/experiments.ts";
import type { EpisodicEstimator } from "../../src/total-return/types.ts";
import { substream } from "../../src/contract/random.ts";
import { claim } from "../support/claim.ts";
import { impl } from "../support/impl.ts";
import { masterSeed } from "../../measure/seed.ts";
import { designRate, expectRateClaim, expectRateRejected } from "../support/stat.ts";

// Runs 0 … 499 are those of the figures "ch3-learning" and "ch3-collapse" (same experiment, same streams
// from the master seed); the checks add runs 500 … 5,999 from the same derivation.
const problem = learningProblem();
const { episodes: L, stepSize: STEP } = LEARNING;
const RUNS = 6000;

// The designs, fixed before any run is looked at.
const AT_MOST = { p0: 0.01, direction: "at-most" } as const;
const AT_LEAST = { p0: 0.05, direction: "at-least" } as const;
const design = (c: typeof AT_MOST | typeof AT_LEAST, label: string) => designRate(RUNS, c.p0, c.direction, { label });

/** The mean returns the learning figure's caption reports the first episode of. */
const CURVE_TARGET = 3.9;
const CURVE_TARGET_HIGH = 3.99;

/**
 * What the figures "ch3-learning" and "ch3-collapse" show of runs 0 … LEARNING.runs − 1, as facts for their
 * captions: the first episode at which the mean of J passes each target (−1: never), the mean final J
 * (two decimals, as printed), the number of runs collapsed at the last episode, and the first episode
 * from which no run is collapsed (−1: some run is collapsed at the end).
 */
function figureFacts(name: string, curves: Float64Array[]): Record<string, number> {
  const shown = curves.slice(0, LEARNING.runs);
  const mean = Array.from({ length: L + 1 }, (_, l) => shown.reduce((s, J) => s + J[l], 0) / shown.length);
  const down = Array.from({ length: L + 1 }, (_, l) => shown.filter((J) => collapsed(J[l])).length);
  let noneFrom = -1;
  for (let l = L; l >= 0 && down[l] === 0; l--) noneFrom = l;
  return {
    [`ch3.curves.${name}.firstAbove`]: mean.findIndex((m) => m > CURVE_TARGET),
    [`ch3.curves.${name}.firstAboveHigh`]: mean.findIndex((m) => m > CURVE_TARGET_HIGH),
    [`ch3.curves.${name}.finalMean`]: Math.round(100 * mean[L]) / 100,
    [`ch3.curves.${name}.collapsedAtEnd`]: down[L],
    [`ch3.curves.${name}.noneFrom`]: noneFrom,
    "ch3.curves.target": CURVE_TARGET,
    "ch3.curves.targetHigh": CURVE_TARGET_HIGH,
    "ch3.curves.runs": shown.length,
  };
}

/** Whether each of the RUNS runs of a learner ends collapsed (J(θ_L) < 2). */
function collapses(ctx: TestContext, estimator: EpisodicEstimator): boolean[] {
  const curves = learningCurves(masterSeed(), estimator, RUNS, impl.trainEpisodic);
  for (const J of curves) expect(J.length).toBe(L + 1);
  const name = estimator.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
  claim(ctx, "monte-carlo", {
    facts: { [`ch3.${name}.meanFinalJ`]: curves.reduce((s, J) => s + J[L], 0) / RUNS, ...figureFacts(name, curves) },
  });
  return curves.map((J) => collapsed(J[L]));
}

/** θ_{ℓ+1} = θ_ℓ + sign·α ∇J(θ_ℓ) with the exact gradient: deterministic, so its outcome is known in every run. */
function exactLearnerCollapses(sign: 1 | -1): boolean {
  let theta = new Float64Array(4);
  for (let l = 0; l < L; l++) {
    const g = impl.expectedUpdate(problem, theta);
    theta = theta.map((x, i) => x + sign * STEP * g[i]);
  }
  return collapsed(impl.totalReturn(problem, theta));
}

/** Run i is replaced with probability q, by a coin from its own stream (independent of the run's outcome). */
function replaced(estimator: EpisodicEstimator, i: number, q: number): boolean {
  return substream(masterSeed(), "ch3-learning-control", estimator, i)() < q;
}

describe("3.5 Episodic REINFORCE learning curves (slow tier)", () => {
  it("[eq 30] with the V_t baseline (and with a running baseline), at most 1% of runs collapse to stopping at once", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["trainEpisodic", "expectedUpdate", "totalReturn"], runs: 2 * RUNS });
    const d = design(AT_MOST, "ch3.valueBaselineCollapse");
    // the zones of the two claims do not overlap: "at most 1%" fails w.p. ≥ 1 − β at every rate ≥ its p1, "at least
    // 5%" at every rate ≤ its p1, so with p1(at most) ≤ p1(at least) every rate fails one of them w.p. ≥ 1 − β
    const other = design(AT_LEAST, "ch3.rewardToGoCollapse");
    claim(ctx, "monte-carlo", { facts: { "ch3.collapse.runs": RUNS } });
    expect(d.p1).toBeLessThanOrEqual(other.p1);
    const v = collapses(ctx, "value-baseline");
    const b = collapses(ctx, "running-baseline");
    const count = (xs: boolean[]) => xs.filter(Boolean).length;
    expectRateClaim(ctx, count(v), d, { label: "ch3.valueBaselineCollapse" });
    expectRateClaim(ctx, count(b), design(AT_MOST, "ch3.runningBaselineCollapse"), {
      label: "ch3.runningBaselineCollapse",
    });
    // control: the V_t-baseline runs, each replaced with probability q by exact descent, which collapses in every run
    // (asserted): its collapse rate is at least q exactly, which the same test must reject
    const q = 0.035;
    expect(exactLearnerCollapses(-1)).toBe(true);
    const control = v.map((c, i) => replaced("value-baseline", i, q) || c);
    claim(ctx, "monte-carlo", { facts: { "ch3.descentMix.q": q } });
    expectRateRejected(ctx, count(control), d, q, { label: "ch3.descentMixCollapse" });
  });

  it("[eq 29] without a baseline (reward-to-go, and the full return), at least 5% of runs collapse", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["trainEpisodic", "expectedUpdate", "totalReturn"], runs: 2 * RUNS });
    const d = design(AT_LEAST, "ch3.rewardToGoCollapse");
    const r = collapses(ctx, "reward-to-go");
    const f = collapses(ctx, "full-return");
    const count = (xs: boolean[]) => xs.filter(Boolean).length;
    expectRateClaim(ctx, count(r), d, { label: "ch3.rewardToGoCollapse" });
    expectRateClaim(ctx, count(f), design(AT_LEAST, "ch3.fullReturnCollapse"), { label: "ch3.fullReturnCollapse" });
    // control: the reward-to-go runs, each replaced with probability q by exact ascent, which never collapses
    // (asserted): its collapse rate is at most 1 − q = 2% exactly, which the same test must reject
    const q = 0.98;
    expect(exactLearnerCollapses(1)).toBe(false);
    const control = r.map((c, i) => !replaced("reward-to-go", i, q) && c);
    claim(ctx, "monte-carlo", { facts: { "ch3.ascentMix.q": q } });
    expectRateRejected(ctx, count(control), d, 1 - q, { label: "ch3.ascentMixCollapse" });
  });
});
