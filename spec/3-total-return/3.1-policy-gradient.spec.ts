/**
 * §3.1 Policy gradient algorithm for total return: the exact total return J(θ), time-indexed action
 * values, the expected update (28) = ∇J, and the single-episode estimators (29), the full-return
 * variant and (30), checked exactly by enumerating every episode of small problems.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactExpectation, exactMoments } from "../../measure/total-return/enumerate.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import { problemErrors, validateProblem } from "../../src/total-return/problem.ts";
import { episodicFromJson, episodicReport, exactEpisodicJson, isEpisodicInput, withHorizon } from "../../scripts/cli/episodic-input.ts";
import { collapsed, LEARNING, learningCurves, learningProblem, learningStream, varianceTable } from "../../measure/total-return/experiments.ts";
import { errorRatio, numericGradient } from "../../measure/stats/finite-diff.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { baselineTable, episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { stepSize } from "../../measure/arbitraries/index.ts";
import { claim, testRng, testSeed } from "../support/claim.ts";
import { expectClose } from "../support/close.ts";
import { stream } from "../../src/contract/random.ts";
import { callMany, impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { expectMeanVector, expectRejected } from "../support/stat.ts";
import { chapterSettings, everySettingChanged, expectChapterSettings, uncaughtChanges } from "../support/figure-settings.ts";
import { enumerate, gibbsTable, immediateRewardTerm, layeredProblem, secondMoments, norm, returnFrom, scoreSum, type EpisodicProblem } from "./tools.ts";

/**
 * Tolerances. A result of the implementation against an exact value (enumeration, a hand derivation, the
 * book's literal formulas): the contract's ACCURACY. Two results of the implementation that must agree
 * (an estimator's enumerated mean against expectedUpdate): each may be off by ACCURACY, so twice that.
 * Finite differences against an analytic gradient: the book's FD tolerance 1e-7 + 1e-5·|analytic|.
 */
const BOTH = { rel: 2 * ACCURACY.rel, abs: 2 * ACCURACY.abs } as const;
const FD = { rel: 1e-5, abs: 1e-7 } as const;
const dim = (p: EpisodicProblem) => (p.features ? p.features[0][0].length : p.mdp.P.length * p.mdp.P[0].length);


describe("3.1 Policy gradient algorithm (total return over a horizon T)", () => {
  it("[eq 28] J(θ) by forward propagation equals the enumerated expected total return, and P(S_t = s) the enumerated marginals", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        const J = exactExpectation(list, (ep) => returnFrom(ep, 0));
        expectClose(impl.totalReturn(problem, theta), J, ACCURACY, "J(θ)");
        const ds = impl.stateDistributions(problem, theta);
        expect(ds.length).toBe(problem.horizon + 1);
        for (let t = 0; t <= problem.horizon; t++) {
          // an episode that stopped at a terminal state before t is still in that state at t
          const marg = problem.mdp.P.map((_, s) => exactExpectation(list, (ep) => (ep.states[Math.min(t, ep.states.length - 1)] === s ? 1 : 0)));
          expectClose(ds[t], marg, ACCURACY, `P(S_${t} = ·)`);
        }
      }),
      { implements: ["totalReturn", "stateDistributions"] },
    );
  });

  it("[eq 28] Q_t(s, a) and V_t(s) by backward induction equal the enumerated expected reward-to-go given S_t = s (and A_t = a)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        const { Q, V } = impl.timeIndexedValues(problem, theta);
        expect(Q.length).toBe(problem.horizon);
        const term = new Set(problem.terminal ?? []);
        // Enumeration identifies Q_t(s, a) only through P(S_t = s, A_t = a)·Q_t(s, a) = E[Ĝ_t; S_t = s, A_t = a]:
        // comparing the products (not the ratio) keeps the check well conditioned where (t, s) is rarely
        // reached, and no stricter than ACCURACY on Q_t itself (the probability multiplies both parts of the tolerance).
        for (let t = 0; t < problem.horizon; t++)
          for (let s = 0; s < problem.mdp.P.length; s++) {
            if (term.has(s)) {
              expectClose(V[t][s], 0, ACCURACY, `V_${t}(${s}) in a terminal state`);
              expectClose(Q[t][s], new Float64Array(problem.mdp.P[0].length), ACCURACY, `Q_${t}(${s}, ·) in a terminal state`);
              continue;
            }
            const at = (ep: { states: number[]; actions: number[] }) => ep.actions.length > t && ep.states[t] === s;
            const ps = exactExpectation(list, (ep) => (at(ep) ? 1 : 0));
            expectClose(ps * V[t][s], exactExpectation(list, (ep) => (at(ep) ? returnFrom(ep, t) : 0)), ACCURACY, `P(S_${t} = ${s})·V_${t}(${s})`);
            for (let a = 0; a < problem.mdp.P[0].length; a++) {
              const psa = exactExpectation(list, (ep) => (at(ep) && ep.actions[t] === a ? 1 : 0));
              const num = exactExpectation(list, (ep) => (at(ep) && ep.actions[t] === a ? returnFrom(ep, t) : 0));
              expectClose(psa * Q[t][s][a], num, ACCURACY, `P(S_${t} = ${s}, A_${t} = ${a})·Q_${t}(${s}, ${a})`);
            }
          }
      }),
      { implements: ["timeIndexedValues"] },
    );
  });

  it("[eq 28] the expected update Σ_t Σ_s P(S_t = s) Σ_a π Q_t ∇ln π equals central finite differences of J(θ) over random finite-horizon MDPs", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb({ maxS: 4, maxA: 3, maxT: 5 }), ({ problem, theta }) => {
        const g = impl.expectedUpdate(problem, theta);
        const fd = numericGradient((th) => impl.totalReturn(problem, th), theta);
        expectClose(fd, g, FD, "finite differences of J against expectedUpdate");
      }),
      { implements: ["expectedUpdate", "totalReturn"] },
    );
  });

  it("[eq 28] the finite-difference error of ∇J shrinks like h² (tolerance-free), on stop-or-play with features", (ctx) => {
    claim(ctx, "exact", { implements: ["expectedUpdate", "totalReturn"] });
    // stop-or-play with a shared 2-feature policy: φ(playing, play) = (1, 0), φ(playing, stop) = (0, 1)
    const problem: EpisodicProblem = { ...stopOrPlay(5), features: [[[1, 0], [0, 1]], [[0, 0], [0, 0]]] };
    const theta = Float64Array.from([0.3, -0.2]);
    const g = impl.expectedUpdate(problem, theta);
    const v = Float64Array.from([0.6, 0.8]);
    const ratio = errorRatio((th) => impl.totalReturn(problem, th), theta, v, g[0] * v[0] + g[1] * v[1]);
    claim(ctx, "exact", { facts: { errorRatio: ratio } });
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  it("[eq 28] episodicPolicy and episodicScore: Gibbs probabilities per state, score = finite differences of ln π(a|s)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb({ maxS: 3, maxA: 4 }), fc.nat(), fc.nat(), ({ problem, theta }, si, ai) => {
        const s = si % problem.mdp.P.length;
        const a = ai % problem.mdp.P[0].length;
        expectClose(impl.episodicPolicy(problem, theta, s), gibbsTable(problem, theta)[s], ACCURACY, `π(·|${s})`);
        const fd = numericGradient((th) => Math.log(impl.episodicPolicy(problem, th, s)[a]), theta);
        expectClose(fd, impl.episodicScore(problem, theta, s, a), FD, "finite differences of ln π against episodicScore");
      }),
      { implements: ["episodicPolicy", "episodicScore"] },
    );
  });

  it("[eq 28] the single-episode update (28) with the exact Q_t is unbiased: its enumerated mean equals ∇J", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const m = exactMoments(enumerate(problem, theta), (ep) => impl.update28(problem, theta, ep));
        expectClose(m.mean, impl.expectedUpdate(problem, theta), BOTH, "E[update28]");
      }),
      { implements: ["update28", "expectedUpdate"] },
    );
  });

  it("[eq 29] the reward-to-go estimator is unbiased: E[Σ_t Ĝ_t ∇ln π(A_t|S_t)] = ∇J, enumerating every episode", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const m = exactMoments(enumerate(problem, theta), (ep) => impl.reinforceRewardToGo(problem, theta, ep));
        expectClose(m.mean, impl.expectedUpdate(problem, theta), BOTH, "E[reinforceRewardToGo]");
        // and it is literally Σ_t Ĝ_t ∇ln π(A_t|S_t) on every episode
        for (const { episode } of enumerate(problem, theta).slice(0, 20)) {
          const want = scoreSum(problem, theta, episode, (t) => returnFrom(episode, t));
          expectClose(impl.reinforceRewardToGo(problem, theta, episode), want, ACCURACY, "reinforceRewardToGo(episode)");
        }
      }),
      { implements: ["reinforceRewardToGo", "expectedUpdate"] },
    );
  });

  it("[eq 29] the full-return variant Ĝ₀ Σ_t ∇ln π(A_t|S_t) is unbiased too", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        const m = exactMoments(list, (ep) => impl.reinforceFullReturn(problem, theta, ep));
        expectClose(m.mean, impl.expectedUpdate(problem, theta), BOTH, "E[reinforceFullReturn]");
        const { episode } = list[list.length - 1];
        const want = scoreSum(problem, theta, episode, () => returnFrom(episode, 0));
        expectClose(impl.reinforceFullReturn(problem, theta, episode), want, ACCURACY, "reinforceFullReturn(episode)");
      }),
      { implements: ["reinforceFullReturn", "expectedUpdate"] },
    );
  });

  it("[eq 30] (30) with exact advantages, and with the reward-to-go minus V_t, are unbiased", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        const g = impl.expectedUpdate(problem, theta);
        expectClose(exactMoments(list, (ep) => impl.update30(problem, theta, ep)).mean, g, BOTH, "E[update30]");
        expectClose(exactMoments(list, (ep) => impl.reinforceValueBaseline(problem, theta, ep)).mean, g, BOTH, "E[reinforceValueBaseline]");
      }),
      { implements: ["update30", "reinforceValueBaseline", "expectedUpdate"] },
    );
  });

  it("[eq 30] any baseline b_t(s) fixed before the episode leaves the estimator unbiased, and the running baseline moves b_t(S_t) toward Ĝ_t", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        problemArb().chain((x) => fc.record({ x: fc.constant(x), b: baselineTable(x.problem.horizon, x.problem.mdp.P.length), beta: stepSize() })),
        ({ x: { problem, theta }, b, beta }) => {
          const S = problem.mdp.P.length;
          const list = enumerate(problem, theta);
          expectClose(exactMoments(list, (ep) => impl.reinforceBaseline(problem, theta, ep, b)).mean, impl.expectedUpdate(problem, theta), BOTH, "E[reinforceBaseline]");
          // the running update: b_t(S_t) += β(Ĝ_t − b_t(S_t)) at each visited (t, S_t), nothing else moves
          const { episode } = list[0];
          const nb = impl.updateRunningBaseline(b, episode, beta);
          for (let t = 0; t < problem.horizon; t++) {
            const want = Array.from({ length: S }, (_, s) => {
              const visited = t < episode.actions.length && episode.states[t] === s;
              return visited ? b[t][s] + beta * (returnFrom(episode, t) - b[t][s]) : b[t][s];
            });
            expectClose(nb[t], want, ACCURACY, `updated b_${t}`);
          }
        },
      ),
      { implements: ["reinforceBaseline", "updateRunningBaseline", "expectedUpdate"] },
    );
  });
});

describe("3.1 Variance of the estimators, exactly, on the chapter's examples", () => {
  const estimators = {
    full: impl.reinforceFullReturn,
    rtg: impl.reinforceRewardToGo,
    vbase: impl.reinforceValueBaseline,
    u28: impl.update28,
    u30: impl.update30,
  };
  function variances(problem: EpisodicProblem, theta: Float64Array) {
    const list = enumerate(problem, theta);
    return Object.fromEntries(Object.entries(estimators).map(([k, f]) => [k, exactMoments(list, (ep) => f(problem, theta, ep)).totalVariance])) as Record<
      keyof typeof estimators,
      number
    >;
  }

  it("[eq 29] [eq 30] repeated choice (T = 3, uniform policy): total variances 4.875 (full return), 2.125 (reward-to-go), 0.375 (V_t baseline), derived by hand", (ctx) => {
    claim(ctx, "exact", { implements: Object.keys(estimators).map((k) => ({ full: "reinforceFullReturn", rtg: "reinforceRewardToGo", vbase: "reinforceValueBaseline", u28: "update28", u30: "update30" })[k]!) });
    // One state, actions pay 1 and 0, π = (½, ½). Let X_t = 1[A_t = pay] − ½ = ±½ (iid); the score's "pay"
    // component is X_t and the "skip" component −X_t, so each total variance is twice that of the pay component.
    // Full return: ĝ = G₀·Y with G₀ = 3/2 + Y, Y = ΣX_t; E[Y²] = 3/4, E[Y³] = 0, E[Y⁴] = 2·(1/8)(81/16) + 2·(3/8)(1/16) = 21/16,
    //   Var = (9/4)(3/4) + 21/16 − (3/4)² = 39/16 per component → 39/8 = 4.875.
    // Reward-to-go: ĝ = Σ_t X_t Σ_{k≥t}(X_k + ½) = ΣX_t² + Σ_{t<k} X_t X_k + ½ Σ_t (3 − t) X_t,
    //   ΣX_t² = 3/4 constant; the rest are uncorrelated: 3·(1/16) + ¼·(9 + 4 + 1)/4 = 3/16 + 14/16 = 17/16 → 17/8 = 2.125.
    // V_t baseline: V_t = (3 − t)/2, so Ĝ_t − V_t = Σ_{k≥t} X_k and ĝ = 3/4 + Σ_{t<k} X_t X_k: Var 3/16 → 3/8 = 0.375.
    // (30) with exact advantages: Q_t − V_t = X_t, so ĝ = ΣX_t² = 3/4 exactly: variance 0.
    const v = variances(repeatedChoice(3), new Float64Array(2));
    expectClose(v.full, 39 / 8, ACCURACY, "variance (full return)");
    expectClose(v.rtg, 17 / 8, ACCURACY, "variance (reward-to-go)");
    expectClose(v.vbase, 3 / 8, ACCURACY, "variance (V_t baseline)");
    expectClose(v.u30, 0, ACCURACY, "variance of (30)");
    claim(ctx, "exact", { facts: { "var.full": v.full, "var.rewardToGo": v.rtg, "var.valueBaseline": v.vbase, "ratio.rtg/full": v.rtg / v.full, "ratio.vbase/rtg": v.vbase / v.rtg } });
  });

  it("[eq 29] [eq 30] stop-or-play and the checked answer: reward-to-go ≤ full return, the V_t baseline lower still (ratios recorded)", (ctx) => {
    claim(ctx, "exact", { implements: ["reinforceFullReturn", "reinforceRewardToGo", "reinforceValueBaseline"] });
    const sp = variances(stopOrPlay(4), new Float64Array(4));
    const ca = variances(checkedAnswer(), new Float64Array(12));
    claim(ctx, "exact", {
      facts: {
        "stopOrPlay.var.full": sp.full,
        "stopOrPlay.var.rewardToGo": sp.rtg,
        "stopOrPlay.var.valueBaseline": sp.vbase,
        "stopOrPlay.ratio.rtg/full": sp.rtg / sp.full,
        "stopOrPlay.ratio.vbase/rtg": sp.vbase / sp.rtg,
        "checkedAnswer.var.full": ca.full,
        "checkedAnswer.var.rewardToGo": ca.rtg,
        "checkedAnswer.var.valueBaseline": ca.vbase,
        "checkedAnswer.ratio.vbase/rtg": ca.vbase / ca.rtg,
      },
    });
    // the numbers the variance figure's caption prints, rounded as printed
    const sig = (x: number, n: number) => Number(x.toPrecision(n));
    claim(ctx, "exact", {
      facts: {
        "ch3.variance.stopOrPlay.full": sig(sp.full, 3),
        "ch3.variance.stopOrPlay.rewardToGo": sig(sp.rtg, 3),
        "ch3.variance.stopOrPlay.ratio": sig(sp.rtg / sp.full, 2),
        "ch3.variance.stopOrPlay.valueBaseline": sig(sp.vbase, 2),
        "ch3.variance.stopOrPlay.factor": Math.round(sp.rtg / sp.vbase),
        "ch3.variance.checkedAnswer.full": sig(ca.full, 3),
        "ch3.variance.checkedAnswer.rewardToGo": sig(ca.rtg, 3),
        "ch3.variance.checkedAnswer.valueBaseline": sig(ca.vbase, 3),
      },
    });
    // stop-or-play: dropping past rewards cuts the variance by at least a quarter, the baseline by 90% more
    expect(sp.rtg).toBeLessThan(0.75 * sp.full);
    expect(sp.vbase).toBeLessThan(0.1 * sp.rtg);
    // checked answer: the only reward is R_T, so every reward-to-go equals the full return: equal variances
    expectClose(ca.rtg, ca.full, BOTH, "checked answer: variance of reward-to-go against full return");
    expect(ca.vbase).toBeLessThan(0.75 * ca.rtg);
  });
});

describe("3.1 Variance without enumeration: moment recursions (checked here, used in the slow tier)", () => {
  it("[eq 29] [eq 30] on small layered problems, E‖ĝ‖² of the estimators under test equals the forward–backward moment recursions", (ctx) => {
    checkProperty(
      ctx,
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 3 }), (seed, K, A, T) => {
        const rng = stream(`layered/${seed}`);
        const problem = layeredProblem(rng, K, A, T);
        const theta = Float64Array.from({ length: problem.mdp.P.length * A }, () => 4 * rng() - 2);
        const list = enumerate(problem, theta);
        const { V } = impl.timeIndexedValues(problem, theta);
        const second = (f: (ep: { states: number[]; actions: number[]; rewards: number[] }) => ArrayLike<number>) => {
          const m = exactMoments(list, f);
          return m.totalVariance + norm(m.mean) ** 2;
        };
        const want = secondMoments(problem, theta);
        expectClose(second((ep) => impl.reinforceFullReturn(problem, theta, ep)), want.full, ACCURACY, "E‖ĝ‖² (full return)");
        expectClose(second((ep) => impl.reinforceRewardToGo(problem, theta, ep)), want.rtg, ACCURACY, "E‖ĝ‖² (reward-to-go)");
        expectClose(second((ep) => impl.reinforceBaseline(problem, theta, ep, V)), want.vbase, ACCURACY, "E‖ĝ‖² (V_t baseline)");
      }),
      { implements: ["reinforceFullReturn", "reinforceRewardToGo", "reinforceBaseline", "timeIndexedValues"], numRuns: 40 },
    );
  });
});

describe("3.1 The chapter's figures show checked numbers", () => {
  it("[eq 29] [eq 30] the variance figure's table equals the variances enumerated here with the estimators under test", (ctx) => {
    claim(ctx, "exact", { implements: ["reinforceFullReturn", "reinforceRewardToGo", "reinforceValueBaseline", "update28", "update30"] });
    const table = varianceTable(impl);
    const examples: Record<string, EpisodicProblem> = {
      "repeated choice (T = 3)": repeatedChoice(3),
      "stop or play (T = 4)": stopOrPlay(4),
      "checked answer (T = 3)": checkedAnswer(),
    };
    const fns: Record<string, (p: EpisodicProblem, th: Float64Array, ep: { states: number[]; actions: number[]; rewards: number[] }) => ArrayLike<number>> = {
      "full return": impl.reinforceFullReturn,
      "reward-to-go (29)": impl.reinforceRewardToGo,
      "reward-to-go − V_t (30)": impl.reinforceValueBaseline,
      "exact Q_t (28)": impl.update28,
      "exact Q_t − V_t (30)": impl.update30,
    };
    expect(table).toHaveLength(15);
    claim(ctx, "exact", { facts: { "ch3.variance.estimators": new Set(table.map((r) => r.estimator)).size } });
    for (const row of table) {
      const p = examples[row.example];
      const th = new Float64Array(dim(p));
      const v = exactMoments(enumerate(p, th), (ep) => fns[row.estimator](p, th, ep)).totalVariance;
      expectClose(v, row.variance, ACCURACY, `${row.example}, ${row.estimator}`);
    }
    expectClose(table.find((r) => r.example.startsWith("repeated") && r.estimator === "full return")!.variance, 39 / 8, ACCURACY, "repeated choice, full return");
  });

  it("[eq 29] [eq 30] the learning figures' runs are trainEpisodic's runs on stop-or-play (T = 8) from the experiment's streams", (ctx) => {
    claim(ctx, "exact", { implements: ["trainEpisodic"] });
    const seed = testSeed(ctx);
    const curves = learningCurves(seed, "value-baseline", 2, impl.trainEpisodic);
    expect(curves).toHaveLength(2);
    const direct = impl.trainEpisodic(learningProblem(), { estimator: "value-baseline", episodes: LEARNING.episodes, stepSize: LEARNING.stepSize }, learningStream(seed, "value-baseline", 1));
    expectClose(curves[1], direct.J, ACCURACY, "learning curve of run 1");
    // J(θ₀) for the uniform policy: Σ_{t<8} 2^{−t}·¾ = ¾·(2 − 2^{−7}) ≈ 1.494, which "collapsed" (J < 2) counts
    expectClose(curves[0][0], 0.75 * (2 - 2 ** -7), ACCURACY, "J(θ₀)");
    expect(collapsed(curves[0][0])).toBe(true);
  });

  // the learning experiment's settings, as its figures and its checks run it (measure/total-return/experiments.ts)
  const learningSettings = () => ({ horizon: learningProblem().horizon, episodes: LEARNING.episodes, stepSize: LEARNING.stepSize, runs: LEARNING.runs });

  it("[eq 29] [eq 30] the learning figures' settings are the chapter's: the `::: figure ch3-learning` and `ch3-collapse` lines state the experiment's horizon, episodes, step size and runs", (ctx) => {
    claim(ctx, "exact");
    const actual = learningSettings();
    const problem = learningProblem();
    // what always playing earns: ½ per step over the whole horizon (play is action 0 of state "playing")
    const alwaysPlay = problem.horizon * problem.mdp.r[0][0];
    claim(ctx, "exact", {
      facts: {
        "ch3.learning.horizon": actual.horizon,
        "ch3.learning.episodes": actual.episodes,
        "ch3.learning.stepSize": actual.stepSize,
        "ch3.learning.runs": actual.runs,
        "ch3.learning.alwaysPlay": alwaysPlay,
      },
    });
    expectChapterSettings(ctx, "03-total-return.md", "ch3-learning", actual);
    expectChapterSettings(ctx, "03-total-return.md", "ch3-collapse", actual);
  });

  it("[eq 29] [eq 30] negative control: the settings check catches a change of any setting of the learning figures", (ctx) => {
    claim(ctx, "exact", { control: true });
    for (const id of ["ch3-learning", "ch3-collapse"]) {
      const stated = chapterSettings(ctx, "03-total-return.md", id);
      if (!stated) return;
      expect(uncaughtChanges(stated.settings, everySettingChanged(stated.settings)), id).toEqual([]);
    }
  });
});

describe("3.1 Negative controls: wrong estimators, each with its bias computed", () => {

  it("[eq 29] a reward-to-go that starts one step late (omits R_{t+1}) is biased by exactly −E[Σ_t r(S_t, A_t) ∇ln π]", (ctx) => {
    claim(ctx, "exact", { implements: ["expectedUpdate"], control: true });
    // On stop-or-play (uniform policy) the dropped term is the whole signal of "stop" (its reward comes at once)
    for (const problem of [stopOrPlay(4), repeatedChoice(3)]) {
      const theta = new Float64Array(dim(problem));
      const late = exactMoments(enumerate(problem, theta), (ep) => scoreSum(problem, theta, ep, (t) => returnFrom(ep, t + 1)));
      const g = impl.expectedUpdate(problem, theta);
      const bias = immediateRewardTerm(problem, theta);
      expectClose(late.mean, Float64Array.from(g, (x, i) => x - bias[i]), ACCURACY, "E[late reward-to-go]");
      expect(norm(bias)).toBeGreaterThan(0.1);
      claim(ctx, "exact", { facts: { [`${problem.mdp.stateNames?.[0]}.lateStart.biasNorm`]: norm(bias) } });
    }
  });

  it("[eq 30] a baseline that depends on the action (peeks at R_{t+1}) is biased; the same bias over random instances", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        const list = enumerate(problem, theta);
        // Σ_t (Ĝ_t − R_{t+1}) ∇ln π: the "baseline" R_{t+1} = r(S_t, A_t) depends on A_t
        const peek = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => returnFrom(ep, t) - ep.rewards[t]));
        const g = impl.expectedUpdate(problem, theta);
        const bias = immediateRewardTerm(problem, theta);
        expectClose(peek.mean, Float64Array.from(g, (x, i) => x - bias[i]), ACCURACY, "E[peeking baseline]");
      }),
      { implements: ["expectedUpdate"] },
    );
    // and the bias is not zero on the chapter's example: |b| = 0.25 on stop-or-play (derived: stop pays 1, play 0.5 …)
    const problem = stopOrPlay(4);
    const bias = immediateRewardTerm(problem, new Float64Array(4));
    // t-th decision is reached with probability 2^{-t}; ∂/∂θ_stop of Σ_a π r = π(1−π)(1 − 0.5) = 1/8 per visit:
    // Σ_{t<4} 2^{-t}/8 = (15/8)/8 = 15/64 on θ_stop, −15/64 on θ_play, 0 in "done": norm 15√2/64
    expectClose(norm(bias), (15 * Math.SQRT2) / 64, ACCURACY, "‖bias‖");
    claim(ctx, "property", { control: true, facts: { "stopOrPlay.peek.biasNorm": norm(bias) } });
  });
});

describe("3.1 Errata: the printed forms fail, the corrected forms hold", () => {
  it("[eq 28] [erratum q-time-index] (28) with a time-independent Q (Q₀ at every step) is biased where the horizon matters; with Q_t it is exact", (ctx) => {
    claim(ctx, "exact", { implements: ["timeIndexedValues", "update28", "expectedUpdate"], control: true });
    // Stop-or-play, T = 4, uniform policy. Backward induction by hand: Q_t(stop) = 1, Q_t(play) = ½ + V_{t+1},
    // V_4 = 0 → Q_3(play) = ½, V_3 = ¾ → Q_2(play) = 5/4, V_2 = 9/8 → Q_1(play) = 13/8, V_1 = 21/16 → Q_0(play) = 29/16.
    const problem = stopOrPlay(4);
    const theta = new Float64Array(4);
    const { Q } = impl.timeIndexedValues(problem, theta);
    expectClose(Array.from(Q, (q) => q[0][0]), [29 / 16, 13 / 8, 5 / 4, 1 / 2], ACCURACY, "Q_t(playing, play)");
    expectClose(Array.from(Q, (q) => q[0][1]), [1, 1, 1, 1], ACCURACY, "Q_t(playing, stop)");
    const list = enumerate(problem, theta);
    const g = impl.expectedUpdate(problem, theta);
    // the printed form, read with the whole-horizon Q₀ at every step
    const printed = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => Q[0][ep.states[t]][ep.actions[t]]));
    // bias on θ_play: Σ_t P(S_t = playing)·π(play)·(Q₀ − Q_t)(play)·∂ln π(play) = ¼ Σ_t 2^{−t}(Q₀ − Q_t)(play)
    //   = ¼ (0 + (3/16)/2 + (9/16)/4 + (21/16)/8) = 51/512, and −51/512 on θ_stop
    expectClose(printed.mean, [g[0] + 51 / 512, g[1] - 51 / 512, 0, 0], ACCURACY, "E[(28) with Q₀]");
    const corrected = exactMoments(list, (ep) => impl.update28(problem, theta, ep));
    expectClose(corrected.mean, g, BOTH, "E[update28]");
    claim(ctx, "exact", { facts: { "printed.bias.play": 51 / 512 } });
  });

  it("[eq 29] [erratum reward-to-go-includes-rt] the rollout's rewards must run to R_T: with R_{t+1}, …, R_{T−1} the checked answer gets no signal at all", (ctx) => {
    claim(ctx, "exact", { implements: ["reinforceRewardToGo", "expectedUpdate"], control: true });
    // J = π(1|on0) π(0|on1) π(1|on2) = 1/8 at θ = 0; ∂J/∂θ_{s,a} = ±J/2 = ±1/16 on the target (+) and the other bit (−).
    const problem = checkedAnswer();
    const theta = new Float64Array(12);
    const g = impl.expectedUpdate(problem, theta);
    const want = [-1, 1, 1, -1, -1, 1, 0, 0, 0, 0, 0, 0].map((x) => x / 16);
    expectClose(g, want, ACCURACY, "∇J on the checked answer");
    const list = enumerate(problem, theta);
    const T = problem.horizon;
    // printed list: Q̂_t = R_{t+1} + … + R_{T−1}, i.e. Σ_{k=t}^{T−2} R_{k+1}: zero on every episode here
    const printed = exactMoments(list, (ep) => scoreSum(problem, theta, ep, (t) => returnFrom(ep, t, T - 1)));
    expect(norm(printed.mean)).toBe(0);
    expect(printed.totalVariance).toBe(0);
    const corrected = exactMoments(list, (ep) => impl.reinforceRewardToGo(problem, theta, ep));
    expectClose(corrected.mean, want, ACCURACY, "E[reinforceRewardToGo]");
    // on random instances the printed list is biased by −E[Σ_t R_T ∇ln π(A_t|S_t)] whenever that is non-zero
    claim(ctx, "exact", { facts: { "printed.biasNorm": norm(want) } });
  });

  it("[eq 30] [erratum eq30-means-eq28] (30) is the V_t-baselined version of (28), not of itself, and it has less variance", (ctx) => {
    claim(ctx, "exact", { implements: ["update28", "update30", "timeIndexedValues"] });
    const baselined = (problem: EpisodicProblem, theta: Float64Array, ep: { states: number[]; actions: number[]; rewards: number[] }, x: Float64Array) => {
      const { V } = impl.timeIndexedValues(problem, theta);
      const sub = scoreSum(problem, theta, ep, (t) => V[t][ep.states[t]]);
      return Float64Array.from(x, (v, i) => v - sub[i]);
    };
    checkProperty(
      ctx,
      fc.property(problemArb(), ({ problem, theta }) => {
        for (const { episode } of enumerate(problem, theta).slice(0, 30)) {
          const u28 = impl.update28(problem, theta, episode);
          const u30 = impl.update30(problem, theta, episode);
          // corrected: baselining (28) with V_t gives (30), episode by episode
          expectClose(baselined(problem, theta, episode, u28), u30, BOTH, "update28 − Σ_t V_t ∇ln π against update30");
        }
      }),
      { implements: ["update28", "update30"] },
    );
    // printed: "the baselined version of (30)" would subtract V_t once more, which is not (30) — on stop-or-play
    // the first episode (play, play, play, play) differs by Σ_t V_t(playing)·½ ≠ 0
    const problem = stopOrPlay(4);
    const theta = new Float64Array(4);
    const ep = enumerate(problem, theta)[0].episode;
    expect(ep.actions).toEqual([0, 0, 0, 0]);
    const u30 = impl.update30(problem, theta, ep);
    const twice = baselined(problem, theta, ep, u30);
    // Σ_t V_t(playing)·∂_play ln π(play) = ½(45/32 + 21/16 + 9/8 + 3/4) = ½·147/32 = 147/64
    expectClose(twice[0] - u30[0], -147 / 64, BOTH, "the second subtraction of V_t");
    // "more efficient": exact variances of (30) below those of (28) on the chapter's examples
    for (const p of [repeatedChoice(3), stopOrPlay(4), checkedAnswer()]) {
      const th = new Float64Array(dim(p));
      const list = enumerate(p, th);
      const v28 = exactMoments(list, (e) => impl.update28(p, th, e)).totalVariance;
      const v30 = exactMoments(list, (e) => impl.update30(p, th, e)).totalVariance;
      expect(v30).toBeLessThan(v28);
      claim(ctx, "exact", { facts: { [`${p.mdp.stateNames?.[0]}.var28`]: v28, [`${p.mdp.stateNames?.[0]}.var30`]: v30 } });
    }
  });
});

describe("3.1 Monte Carlo: the sampler and the estimator together", () => {
  it("[eq 29] sampleEpisode draws well-formed episodes: possible transitions, R_{t+1} = r(S_t, A_t), T steps or a stop at a terminal state", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb({ maxS: 4, maxA: 3, maxT: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ problem, theta }, seed) => {
        const rng = stream(`sample/${seed}`);
        const term = new Set(problem.terminal ?? []);
        for (let k = 0; k < 20; k++) {
          const ep = impl.sampleEpisode(problem, theta, rng);
          const n = ep.actions.length;
          expect(ep.states).toHaveLength(n + 1);
          expect(ep.rewards).toHaveLength(n);
          expect(problem.initial[ep.states[0]]).toBeGreaterThan(0);
          for (let t = 0; t < n; t++) {
            expect(term.has(ep.states[t])).toBe(false);
            expect(ep.rewards[t]).toBe(problem.mdp.r[ep.states[t]][ep.actions[t]]);
            expect(problem.mdp.P[ep.states[t]][ep.actions[t]][ep.states[t + 1]]).toBeGreaterThan(0);
          }
          // it ends at the horizon, or earlier exactly when it has entered a terminal state
          expect(n === problem.horizon || term.has(ep.states[n])).toBe(true);
        }
      }),
      { implements: ["sampleEpisode"], numRuns: 50 },
    );
  });

  it("[eq 29] on the checked answer, the mean of 30,000 sampled reward-to-go estimates agrees with ∇J; the printed rollout (no R_T) is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleEpisode", "reinforceRewardToGo", "expectedUpdate"] });
    // Enumerable, but here the claim is about the sampler: episodes drawn by sampleEpisode must make the
    // estimator's average converge to ∇J. θ puts π(correct bit) = 0.8 at each step (logit gap ln 4):
    // J = 0.8³ = 0.512 and ∂J/∂θ_{on2, 1} = J·(1 − 0.8) = 0.1024.
    const problem = checkedAnswer();
    const theta = new Float64Array(12);
    theta[1] = theta[2] = theta[5] = Math.log(4); // on0 → 1, on1 → 0, on2 → 1
    const g = impl.expectedUpdate(problem, theta);
    expectClose(g[5], 0.1024, ACCURACY, "∂J/∂θ_{on2, 1}");
    const n = 30_000;
    const rng = testRng(ctx, "episodes");
    // the calls of a loop (sampleEpisode, then reinforceRewardToGo) in batches: only sampleEpisode draws
    // from rng, so the stream advances exactly as in the loop
    const eps = callMany("sampleEpisode", Array.from({ length: n }, () => [problem, theta, rng]));
    const rows = callMany("reinforceRewardToGo", eps.map((ep) => [problem, theta, ep]));
    const printed = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ep = eps[k];
      // the printed rollout R_{t+1}, …, R_{T−1} ignores R_T, the only reward: every estimate is 0, bias −0.1024
      printed[k] = scoreSum(problem, theta, ep, (t) => returnFrom(ep, t, problem.horizon - 1))[5];
    }
    // each state is visited at most once and Ĝ_t ∈ {0, 1}, so every component lies in [−1, 1]: width 2
    expectMeanVector(ctx, rows, g, { width: 2, label: "rewardToGo" });
    expectRejected(ctx, printed, g[5], -g[5], { width: 2, label: "printedRollout" });
  });
});

describe("3.1 Episodic REINFORCE: one episode, one update", () => {
  it("[eq 29] [eq 30] trainEpisodic takes θ_{ℓ+1} = θ_ℓ + α ĝ(episode ℓ) and records the exact J(θ_ℓ); replayable from its stream", (ctx) => {
    claim(ctx, "exact", { implements: ["trainEpisodic", "sampleEpisode", "reinforceRewardToGo", "reinforceFullReturn", "reinforceValueBaseline", "reinforceBaseline", "updateRunningBaseline", "timeIndexedValues", "totalReturn"] });
    const problem = stopOrPlay(4);
    const seed = testSeed(ctx, "train");
    for (const estimator of ["full-return", "reward-to-go", "value-baseline", "running-baseline"] as const) {
      const res = impl.trainEpisodic(problem, { estimator, episodes: 3, stepSize: 0.5, baselineStep: 0.5 }, stream(seed));
      // replay the same three episodes by hand: the sampler must draw from the stream exactly as trainEpisodic does
      const rng = stream(seed);
      let theta = new Float64Array(4);
      let b: ArrayLike<number>[] = Array.from({ length: 4 }, () => new Float64Array(2));
      expectClose(res.J[0], impl.totalReturn(problem, theta), BOTH, `${estimator}: J(θ₀)`);
      for (let l = 0; l < 3; l++) {
        const ep = impl.sampleEpisode(problem, theta, rng);
        const g =
          estimator === "full-return"
            ? scoreSum(problem, theta, ep, () => returnFrom(ep, 0))
            : estimator === "reward-to-go"
              ? scoreSum(problem, theta, ep, (t) => returnFrom(ep, t))
              : estimator === "value-baseline"
                ? scoreSum(problem, theta, ep, (t) => returnFrom(ep, t) - impl.timeIndexedValues(problem, theta).V[t][ep.states[t]])
                : scoreSum(problem, theta, ep, (t) => returnFrom(ep, t) - b[t][ep.states[t]]);
        if (estimator === "running-baseline") b = impl.updateRunningBaseline(b, ep, 0.5);
        theta = theta.map((x, i) => x + 0.5 * g[i]);
        expectClose(res.J[l + 1], impl.totalReturn(problem, theta), BOTH, `${estimator}: J(θ_${l + 1})`);
      }
      expectClose(res.theta, theta, ACCURACY, `${estimator}: θ after 3 episodes`);
    }
  });
});

describe("3.1 The finite-horizon problem as data: every malformed field is named", () => {
  it("[eq 28] problemErrors lists each bad field of a problem (T, initial distribution, terminal states, features) at its JSON path; validateProblem throws them all", (ctx) => {
    claim(ctx, "exact");
    const good = (): EpisodicProblem => ({
      mdp: { P: [[[0.5, 0.5, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]], [[0, 0, 1], [0, 0, 1]]], r: [[1, 0], [0, 2], [0, 0]] },
      horizon: 3,
      initial: [0.5, 0.5, 0],
      terminal: [0, 2],
      features: [[[1, 0], [0, 1]], [[1, 1], [0, 0]], [[0, 0], [0, 0]]],
    });
    expect(problemErrors(good())).toEqual([]);
    const { terminal: _t, features: _f, ...bare } = good();
    expect(problemErrors(bare as EpisodicProblem)).toEqual([]);
    expect(validateProblem(bare as EpisodicProblem)).toBe(bare);
    const errorsOf = (edit: (p: EpisodicProblem & Record<string, unknown>) => void) => {
      const p = good() as EpisodicProblem & Record<string, unknown>;
      edit(p);
      return problemErrors(p);
    };
    const only = (edit: (p: EpisodicProblem & Record<string, unknown>) => void, path: string) => {
      const errs = errorsOf(edit);
      expect(errs, path).toHaveLength(1);
      expect(errs[0].startsWith(path), `${errs[0]} should start with ${path}`).toBe(true);
    };
    only((p) => (p.mdp.P = []), "$.mdp.P:");
    only((p) => (p.mdp.P[1] = [[0, 1, 0]]), "$.mdp.P[1]:");
    only((p) => (p.mdp.P[0][1] = [NaN, 0, 1]), "$.mdp.P[0][1][0]:");
    only((p) => (p.mdp.P[0][1] = [1.5, -0.5, 0]), "$.mdp.P[0][1][1]:");
    // rows may miss 1 by up to 1e-9 per entry (here 3e-9 for 3 states): 2e-9 is rounding, 1e-6 is not
    expect(errorsOf((p) => (p.mdp.P[0][1] = [0, 0, 1 + 2e-9]))).toEqual([]);
    only((p) => (p.mdp.P[0][1] = [0, 0, 1 + 1e-6]), "$.mdp.P[0][1]: must sum to 1");
    only((p) => (p.mdp.r[1] = [0]), "$.mdp.r[1]:");
    only((p) => (p.mdp.r[0][1] = NaN), "$.mdp.r[0][1]:");
    only((p) => (p.initial = [0.5, -0.5, 1]), "$.initial[1]:");
    only((p) => ((p as Record<string, unknown>).initial = 7), "$.initial: must be an array");
    only((p) => (p.horizon = 0), "$.horizon:");
    only((p) => (p.terminal = [1.5]), "$.terminal[0]:");
    only((p) => (p.terminal = [-1]), "$.terminal[0]:");
    only((p) => (p.terminal = [3]), "$.terminal[0]:");
    expect(errorsOf((p) => (p.terminal = [0]))).toEqual([]);
    only((p) => (p.features = [[[], []], [[], []], [[], []]]), "$.features[0][0]:");
    only((p) => (p.features![1] = [[1, 1]]), "$.features[1]:");
    only((p) => (p.features![0][1] = [0, NaN]), "$.features[0][1]:");
    only((p) => (p.features![2][0] = [0]), "$.features[2][0]:");
    expect(() => validateProblem({ ...good(), horizon: 0, initial: [1, 1, 0] })).toThrow(/\$\.horizon[\s\S]*\$\.initial/);
  });
});

describe("3.1 The finite-horizon problem as JSON input (pgbook exact): each way to get it wrong is named", () => {
  it("[eq 28] episodicFromJson, episodicReport and withHorizon: the input's fields, a nested or flat θ, θ from --theta, --horizon, each error at its path", (ctx) => {
    claim(ctx, "exact");
    const base = { P: [[[1, 0], [0, 1]], [[0, 1], [1, 0]]], r: [[1, 0], [0, 2]], horizon: 2, initial: [1, 0] };
    expect([isEpisodicInput(null), isEpisodicInput(5), isEpisodicInput({}), isEpisodicInput({ horizon: 3 }), isEpisodicInput(null, { horizon: 2 })]).toEqual([false, false, false, true, true]);
    const ok = episodicFromJson(base);
    expect(ok.problem.horizon).toBe(2);
    expect(Array.from(ok.theta)).toEqual([0, 0, 0, 0]);
    const fails = (input: unknown, msg: RegExp, o = {}) => expect(() => episodicFromJson(input, o)).toThrow(msg);
    fails([1], /^\$: must be a JSON object/);
    fails({ ...base, horizon: undefined }, /^\$\.horizon: missing/);
    fails({ ...base, initial: undefined }, /^\$\.initial: missing/);
    for (const policy of [5, null, { kind: "other" }]) fails({ ...base, policy }, /^\$\.policy: must be/);
    expect(episodicFromJson({ ...base, policy: { kind: "tabular" } }).theta).toHaveLength(4);
    fails({ ...base, policy: { kind: "log-linear" } }, /^\$\.policy\.features: missing/);
    expect(episodicFromJson({ ...base, policy: { kind: "log-linear", features: [[[1], [0]], [[0], [1]]] } }).theta).toHaveLength(1);
    fails({ ...base, horizon: 0 }, /^--horizon:/, { horizon: 0 });
    // θ nested per state (tabular) is read row by row; a mixed list is not a table
    expect(Array.from(episodicFromJson({ ...base, theta: [[1, 2], [3, 4]] }).theta)).toEqual([1, 2, 3, 4]);
    expect(Array.from(episodicFromJson({ ...base, theta: [1, 2, 3, 4] }).theta)).toEqual([1, 2, 3, 4]);
    fails({ ...base, theta: [[0, 0], 0, 0] }, /^\$\.theta: must be an array of 4 numbers/);
    fails({ ...base, theta: [NaN, 0, 0, 0] }, /^\$\.theta\[0\]: must be a finite number/);
    fails({ ...base, theta: [0, 0, "1", 0] }, /^\$\.theta\[2\]: must be a finite number/);
    // --theta overrides the input's θ, as an array or as {"theta": …}; its errors are named theta:$
    const J = (theta: number[]) => exactEpisodicJson({ ...base, theta }).J;
    expectClose(episodicReport({ ...base, theta: [9, 9, 9, 9] }, [1, 0, 0, 0]).J, J([1, 0, 0, 0]), ACCURACY, "J with --theta");
    expectClose(episodicReport({ ...base, theta: [9, 9, 9, 9] }, { theta: [0, 1, 0, 0] }).J, J([0, 1, 0, 0]), ACCURACY, "J with --theta {theta}");
    expect(() => episodicReport(base, 5)).toThrow(/^theta:\$/);
    expect(() => episodicReport(null, [0, 0, 0, 0])).toThrow(/^\$: must be a JSON object/);
    // --horizon: only a plain positive integer; it overrides the input's horizon, also with --theta
    expect(episodicReport(base, [0, 0, 0, 0], 3).horizon).toBe(3);
    expect(episodicReport(base, undefined, 3).horizon).toBe(3);
    expect(withHorizon(base, " 12 ")).toEqual({ ...base, horizon: 12 });
    for (const bad of ["3x", "x3", "3.5", "0", "-1", ""]) expect(() => withHorizon(base, bad)).toThrow(/^--horizon:/);
    expect(withHorizon([1, 2], "3")).toEqual([1, 2]);
    expect(withHorizon(null, "3")).toBeNull();
  });
});

describe("3.1 The chapter's examples are the problems their descriptions state", () => {
  const oneHot = (S: number, s: number) => Array.from({ length: S }, (_, k) => (k === s ? 1 : 0));

  it("[eq 29] repeated choice and stop-or-play, field by field: one state paying 1 or 0; play 0.5 or stop 1 into the absorbing terminal state", (ctx) => {
    claim(ctx, "exact");
    expect(repeatedChoice()).toEqual({ mdp: { P: [[[1], [1]]], r: [[1, 0]], stateNames: ["s"], actionNames: ["pay", "skip"] }, horizon: 3, initial: [1] });
    expect(repeatedChoice(5).horizon).toBe(5);
    expect(stopOrPlay()).toEqual({
      mdp: { P: [[[1, 0], [0, 1]], [[0, 1], [0, 1]]], r: [[0.5, 1], [0, 0]], stateNames: ["playing", "done"], actionNames: ["play", "stop"] },
      horizon: 4,
      initial: [1, 0],
      terminal: [1],
    });
    // "stop" ends the episode: under the uniform policy on T = 4 an episode has k + 1 steps (k plays, then a stop,
    // probability 2^{−(k+1)}) for k < 4, or 4 plays (probability 1/16): 5 episodes, their probabilities summing to 1
    const list = enumerate(stopOrPlay(4), new Float64Array(4));
    expect(list.map((w) => w.episode.actions.length).sort()).toEqual([1, 2, 3, 4, 4]);
    expect(list.reduce((acc, w) => acc + w.prob, 0)).toBeCloseTo(1, 14);
    for (const { episode, prob } of list) {
      const stopped = episode.actions.at(-1) === 1;
      expect(episode.states.at(-1)).toBe(stopped ? 1 : 0);
      expect(prob).toBe(2 ** -(stopped ? episode.actions.length : 4));
    }
  });

  it("[eq 29] the checked answer, by hand for target 1, 0, 1 and by every action sequence for other targets: on_k while on track, off_k after a miss, reward 1 at step T only for the target", (ctx) => {
    claim(ctx, "exact");
    // target 1, 0, 1: states on0 on1 on2 off1 off2 end = 0…5; on_k goes to on_{k+1} on the target bit, else off_{k+1}
    const to = (s: number) => oneHot(6, s);
    expect(checkedAnswer()).toEqual({
      mdp: {
        P: [
          [to(3), to(1)],
          [to(2), to(4)],
          [to(5), to(5)],
          [to(4), to(4)],
          [to(5), to(5)],
          [to(5), to(5)],
        ],
        r: [[0, 0], [0, 0], [0, 1], [0, 0], [0, 0], [0, 0]],
        stateNames: ["on0", "on1", "on2", "off1", "off2", "end"],
        actionNames: ["0", "1"],
      },
      horizon: 3,
      initial: to(0),
      terminal: [5],
    });
    for (const target of [[0], [1], [0, 1], [1, 1, 0, 0], [0, 1, 1, 0]]) {
      const p = checkedAnswer(target);
      const n = target.length;
      const names = [...target.map((_, k) => `on${k}`), ...target.slice(1).map((_, k) => `off${k + 1}`), "end"];
      expect(p.mdp.stateNames).toEqual(names);
      expect(p.horizon).toBe(n);
      expect(p.terminal).toEqual([2 * n - 1]);
      expect(p.initial).toEqual(oneHot(2 * n, 0));
      // every transition is deterministic, so the uniform policy's episodes are the 2^n bit strings, each of length n
      const list = enumerate(p, new Float64Array(2 * n * 2));
      expect(list).toHaveLength(2 ** n);
      for (const { episode, prob } of list) {
        expect(prob).toBeCloseTo(2 ** -n, 14);
        expect(episode.actions).toHaveLength(n);
        const miss = episode.actions.findIndex((a, k) => a !== target[k]);
        // the path by name: on0 … on_k up to the first miss at step k, then off_{k+1} …, and "end" after step n
        const path = episode.states.map((s) => names[s]);
        const want = Array.from({ length: n + 1 }, (_, t) => (t === n ? "end" : miss < 0 || t <= miss ? `on${t}` : `off${t}`));
        expect(path).toEqual(want);
        expect(episode.rewards).toEqual(Array.from({ length: n }, (_, t) => (t === n - 1 && miss < 0 ? 1 : 0)));
      }
      // the end state is absorbing whatever the action, and pays nothing
      expect(p.mdp.P[2 * n - 1]).toEqual([oneHot(2 * n, 2 * n - 1), oneHot(2 * n, 2 * n - 1)]);
      expect(p.mdp.r[2 * n - 1]).toEqual([0, 0]);
    }
  });

  it("[eq 30] a learning run \"collapses\" exactly when its final J is below 2 (stopping within the first two steps of stop-or-play)", (ctx) => {
    claim(ctx, "exact");
    // on stop-or-play, stopping at once earns 1 and playing once then stopping 1.5 (collapsed); playing twice then
    // stopping earns exactly 2 (not collapsed); the best policy on T = 8 plays seven times, then stops: 3.5 + 1 = 4.5
    expect(collapsed(1)).toBe(true);
    expect(collapsed(1.5)).toBe(true);
    expect(collapsed(2 - 2 ** -50)).toBe(true);
    expect(collapsed(2)).toBe(false);
    expect(collapsed(4.5)).toBe(false);
  });
});
