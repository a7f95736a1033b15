/**
 * §3.1 in the slow tier: episodic REINFORCE learning curves on stop-or-play (T = 8, step size 1,
 * 300 episodes, 500 seeded runs per learner). Without a baseline, some runs lock onto "stop at once"
 * (J = 1, against J ≈ 4 for always playing); with the V_t or a running baseline, none do.
 * Each rate check has a deterministic negative control: exact gradient descent (a sign error) always
 * collapses, exact gradient ascent never does, so the control's outcome is known without sampling.
 */
import { describe, expect, it, type TestContext } from "vitest";
import { collapsed, LEARNING, learningCurves, learningProblem } from "../../src/episodic/experiments.ts";
import type { EpisodicEstimator } from "../../src/episodic/types.ts";
import { claim } from "../support/claim.ts";
import { impl } from "../support/impl.ts";
import { masterSeed } from "../support/seed.ts";
import { expectRate } from "../support/stat.ts";

// The runs are those of the figure "ch3-learning" (same experiment, same seed derivation from the master seed).
const problem = learningProblem();
const { episodes: L, runs: RUNS, stepSize: STEP } = LEARNING;

function collapses(ctx: TestContext, estimator: EpisodicEstimator): number {
  const curves = learningCurves(masterSeed(), estimator, RUNS, impl.trainEpisodic);
  for (const J of curves) expect(J.length).toBe(L + 1);
  const k = curves.filter((J) => collapsed(J[L])).length;
  claim(ctx, "monte-carlo", { facts: { [`${estimator}.meanFinalJ`]: curves.reduce((s, J) => s + J[L], 0) / RUNS } });
  return k;
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

/** The control: the same rate check, fed the deterministic learner's outcome in all RUNS runs, must reject. */
function expectControlRejected(ctx: TestContext, successes: number, p0: number, direction: "at-least" | "at-most", label: string): void {
  expect(() => expectRate(ctx, successes, RUNS, p0, direction, { label })).toThrow(/contradict/);
  claim(ctx, "monte-carlo", { control: true, beta: 0, facts: { [`${label}.deterministic`]: true } });
}

describe("3.1 Episodic REINFORCE learning curves (slow tier)", () => {
  it("[eq 30] with the V_t baseline (and with a running baseline), at most 2% of runs collapse to stopping at once", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["trainEpisodic", "expectedUpdate", "totalReturn"], runs: RUNS });
    const v = collapses(ctx, "value-baseline");
    const b = collapses(ctx, "running-baseline");
    claim(ctx, "monte-carlo", { facts: { "valueBaseline.collapses": v, "runningBaseline.collapses": b } });
    expectRate(ctx, v, RUNS, 0.02, "at-most", { label: "valueBaseline.collapse" });
    expectRate(ctx, b, RUNS, 0.02, "at-most", { label: "runningBaseline.collapse" });
    // control: a sign error (exact descent) collapses in every run, which the same check rejects
    expect(exactLearnerCollapses(-1)).toBe(true);
    expectControlRejected(ctx, RUNS, 0.02, "at-most", "descent.collapse");
  });

  it("[eq 29] without a baseline (reward-to-go, and the full return), at least 5% of runs collapse", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["trainEpisodic", "expectedUpdate", "totalReturn"], runs: RUNS });
    const r = collapses(ctx, "reward-to-go");
    const f = collapses(ctx, "full-return");
    claim(ctx, "monte-carlo", { facts: { "rewardToGo.collapses": r, "fullReturn.collapses": f } });
    expectRate(ctx, r, RUNS, 0.05, "at-least", { label: "rewardToGo.collapse" });
    expectRate(ctx, f, RUNS, 0.05, "at-least", { label: "fullReturn.collapse" });
    // control: exact ascent never collapses, so "at least 5%" must be rejected for it (0.95^500 ≈ 7·10⁻¹²)
    expect(exactLearnerCollapses(1)).toBe(false);
    expectControlRejected(ctx, 0, 0.05, "at-least", "ascent.collapse");
  });
});
