/** Section 2.4, long runs: the TD critic converges for a fixed policy; the actor-critic approaches λ*. */
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim, testSeed } from "../support/claim.ts";
import { expectRate } from "../support/stat.ts";
import { fastStream, stream } from "../../src/random.ts";
import { homeWork, HOME_WORK_OPTIMAL_GAIN, withTransient } from "../../src/mdp/examples.ts";
import { optimalValues } from "../../src/mdp/optimal.ts";
import { actorCriticExperiment } from "../../src/mdp/experiments.ts";
import type { CriticSpec } from "../../src/mdp/td.ts";
import { maxAbsDiff, spreadOfDifference } from "./tools.ts";

const TAB = { kind: "tabular" } as const;
const M = 20; // independent seeded runs per claim
const P0 = 0.9; // claimed success rate: rejected (at α = 1e-9) only if the successes are implausibly few for it

/**
 * Decreasing critic steps β_t = 10 / (100 + t): Σβ = ∞, Σβ² < ∞ (Robbins–Monro). A slower decay
 * such as 0.5/(1 + t/1000)^0.7 leaves errors of 0.1–0.25 after 200,000 steps on these MDPs.
 */
const decreasing = (t: number) => 10 / (100 + t);

describe("2.4 TD learning for a fixed policy (slow)", () => {
  it("[eq 25] [eq 26] [eq 27] tabular critic: Q_t → Q_π up to a constant on recurrent pairs and λ_t → λ_π in ≥ 90% of runs; the flipped sign fails", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["runActorCritic", "relativeValues", "gain"] });
    // withTransient at θ = 0: state 2 is transient (never revisited), so only pairs of states 0 and 1 are checked.
    const mdp = withTransient;
    const theta = new Float64Array(6);
    const pi = impl.policyProbs(mdp, TAB, theta);
    const { Q, gain } = impl.relativeValues(mdp, pi, "bias");
    const recurrent = (i: number) => i < 4;
    const eps = 0.05;
    const runOnce = (i: number, wrongSign: boolean) => {
      const rng = fastStream(stream(testSeed(ctx, wrongSign ? "wrong" : "right", i)));
      const res = impl.runActorCritic(mdp, TAB, TAB, { steps: 200_000, alpha: 0, beta: decreasing, theta0: theta, s0: 2, wrongSign }, rng);
      const err = Math.max(spreadOfDifference(res.psi, Q, recurrent), Math.abs(res.lambda - gain));
      return { ok: err <= eps, err };
    };
    const right = Array.from({ length: M }, (_, i) => runOnce(i, false));
    const worst = Math.max(...right.map((r) => r.err));
    claim(ctx, "monte-carlo", { facts: { epsilon: eps, worstError: worst } });
    expectRate(ctx, right.filter((r) => r.ok).length, M, P0, "at-least", { label: "tabular critic within ε" });
    const wrong = Array.from({ length: M }, (_, i) => runOnce(i, true));
    claim(ctx, "monte-carlo", { control: true });
    expect(() => expectRate(ctx, wrong.filter((r) => r.ok).length, M, P0, "at-least", { label: "flipped sign within ε" })).toThrow(/contradict/);
  });

  it("[eq 25] [eq 26] [eq 27] linear critic: (ψ_t, λ_t) → the projected fixed point (ψ*, λ_π) in ≥ 90% of runs", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["runActorCritic", "linearTdFixedPoint"] });
    const mdp = homeWork;
    const theta = Float64Array.of(0.5, -0.5, 0.3, 0);
    const pi = impl.policyProbs(mdp, TAB, theta);
    // two features on four pairs, no combination constant: a unique fixed point, a projection of Q_π
    // (random features can make Φᵀ D_μ (I − M) Φ nearly singular, and then 200,000 steps are not enough)
    const features = [[[1, 0], [0, 1]], [[1, 1], [0, 0]]];
    const critic: CriticSpec = { kind: "linear", features };
    const fp = impl.linearTdFixedPoint(mdp, pi, features);
    const eps = 0.05;
    let worst = 0;
    let ok = 0;
    for (let i = 0; i < M; i++) {
      const rng = fastStream(stream(testSeed(ctx, i)));
      const res = impl.runActorCritic(mdp, TAB, critic, { steps: 200_000, alpha: 0, beta: decreasing, theta0: theta }, rng);
      const err = Math.max(maxAbsDiff(res.psi, fp.psi), Math.abs(res.lambda - fp.lambda));
      worst = Math.max(worst, err);
      if (err <= eps) ok++;
    }
    claim(ctx, "monte-carlo", { facts: { epsilon: eps, worstError: worst, fixedPointLambda: fp.lambda } });
    expectRate(ctx, ok, M, P0, "at-least", { label: "linear critic within ε" });
  });
});

describe("2.4 The actor-critic (slow)", () => {
  it("[eq 24] on home/work the actor-critic's λθ is within 0.005 of λ* = 5/7 after 100,000 steps in ≥ 90% of runs; with the critic's sign flipped it is not", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["runActorCritic"] });
    // λ* = 5/7 by hand (src/mdp/examples.ts) and by relative value iteration
    expect(optimalValues(homeWork).gain).toBeCloseTo(HOME_WORK_OPTIMAL_GAIN, 10);
    const eps = 0.005;
    const good = actorCriticExperiment({ seed: testSeed(ctx), run: impl.runActorCritic });
    const finals = good.runs.map((r) => r.trace.at(-1)!.gain);
    claim(ctx, "monte-carlo", { facts: { epsilon: eps, worstFinalGain: Math.min(...finals), alpha: good.alpha, beta: good.beta, steps: good.steps } });
    expectRate(ctx, finals.filter((g) => g >= HOME_WORK_OPTIMAL_GAIN - eps).length, finals.length, P0, "at-least", { label: "reached λ* − ε" });
    const bad = actorCriticExperiment({ seed: testSeed(ctx), wrongSign: true, run: impl.runActorCritic });
    const badFinals = bad.runs.map((r) => r.trace.at(-1)!.gain);
    claim(ctx, "monte-carlo", { control: true });
    expect(() =>
      expectRate(ctx, badFinals.filter((g) => g >= HOME_WORK_OPTIMAL_GAIN - eps).length, badFinals.length, P0, "at-least", { label: "flipped critic reached λ* − ε" }),
    ).toThrow(/contradict/);
  });
});
