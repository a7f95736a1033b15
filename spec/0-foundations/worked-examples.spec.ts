/**
 * The worked examples of Chapters 2 and 3 in exact fractions. Each check computes the example's numbers
 * exactly (measure/exact-rational/, Gauss–Jordan and backward induction over fractions), finds them
 * written as those fractions in the chapter's text, and compares the implementation's floats with them
 * at the contract's tolerance for that quantity. Its negative control changes the example (a
 * perturbed P, reward or horizon): the fractions move, and the same check rejects both the text and
 * the implementation's floats on the changed example.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACCURACY, RESIDUAL } from "../../src/contract/accuracy.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import type { Episode, EpisodicProblem } from "../../src/total-return/types.ts";
import { homeWork, periodic } from "../../measure/average-return/examples.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import { enumerateEpisodes, exactMoments } from "../../measure/total-return/enumerate.ts";
import {
  deterministicPolicy,
  evaluationDistanceBound,
  expectedRolloutExact,
  mdpFromDecimals,
  relativeValuesExact,
  stateRewardsExact,
  stationaryDistanceBound,
  stationaryExact,
  tabularGradientExact,
  uniformPolicy,
  type RationalMdp,
  type RationalPolicy,
} from "../../measure/exact-rational/average-return.ts";
import {
  episodesExact,
  expectedUpdateExact,
  momentsExact,
  problemFromDecimals,
  returnFromExact,
  scoreSumExact,
  timeValuesExact,
  totalReturnExact,
} from "../../measure/exact-rational/total-return.ts";
import { rational, show, tex, ZERO, type Rational } from "../../measure/exact-rational/rational.ts";
import { claim } from "../support/claim.ts";
import { describeMismatch, mismatch, type Tolerance } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";

const root = path.resolve(import.meta.dirname, "../..");
/** A chapter's text with every run of white space made one space, so a statement may break across lines. */
const chapter = (file: string): string => readFileSync(path.join(root, "chapters", file), "utf8").replace(/\s+/g, " ");

/** One number of a worked example: the implementation's floats, the exact fractions, the tolerance. */
interface Comparison {
  what: string;
  actual: ArrayLike<number>;
  exact: Rational[];
  tol: Tolerance;
}

/** What a worked example states (its sentences, built from the exact fractions) and how the implementation compares. */
interface Worked {
  file: string;
  /** Text the chapter must contain, made from the fractions (so no number is typed here). */
  statements: string[];
  comparisons: Comparison[];
  facts?: Record<string, string>;
}

const num = (x: Rational) => x.valueOf();
const slash = (xs: Rational[]) => xs.map(show).join(", ");

/** The statements missing from the chapter, and the comparisons outside their tolerance (as messages). */
function verdict(w: Worked): { missing: string[]; mismatches: string[] } {
  const text = chapter(w.file);
  return {
    missing: w.statements.filter((s) => !text.includes(s)),
    mismatches: w.comparisons.flatMap((c) => {
      const m = mismatch(c.actual, c.exact.map(num), c.tol);
      return m ? [describeMismatch(c.what, m, c.tol)] : [];
    }),
  };
}

/** The claim: every statement is in the chapter, every comparison holds. */
function expectHolds(w: Worked): void {
  const { missing, mismatches } = verdict(w);
  expect(missing, `${w.file} should state these exact fractions`).toEqual([]);
  expect(mismatches, "the implementation against the exact fractions").toEqual([]);
}

/**
 * The control: on the changed example the statements are no longer the chapter's, and the implementation's
 * floats there are outside the tolerance of the original example's fractions, in some comparison each.
 */
function expectRejected(changed: Worked, original: Worked): void {
  expect(
    verdict(changed).missing.length,
    "the changed example's fractions should not be the chapter's",
  ).toBeGreaterThan(0);
  const caught = changed.comparisons.filter(
    (c, i) => mismatch(c.actual, original.comparisons[i].exact.map(num), original.comparisons[i].tol) !== null,
  );
  expect(caught.length, "the implementation on the changed example should miss the original fractions").toBeGreaterThan(
    0,
  );
}

/** A worked example: its check's title, how its control changes it, the example and its changed copy, the functions used. */
type WorkedCase = [title: string, change: string, make: () => Worked, makeChanged: () => Worked, fns: string[]];

/**
 * Each example's check (the text states its fractions and the implementation computes them) and its negative
 * control (the example changed: the same check rejects the text and the implementation), titled by its first tag.
 */
function checkWorkedExamples(cases: WorkedCase[]): void {
  for (const [title, change, make, makeChanged, fns] of cases) {
    it(title, (ctx) => {
      claim(ctx, "exact", { implements: fns });
      const w = make();
      expectHolds(w);
      if (w.facts) claim(ctx, "exact", { facts: w.facts });
    });
    it(`${title.slice(0, title.indexOf("]") + 1)} negative control: ${change}, the fractions change and the same check rejects the text and the implementation`, (ctx) => {
      claim(ctx, "exact", { implements: fns, control: true });
      expectRejected(makeChanged(), make());
    });
  }
}

// ——— Chapter 2: tolerances from the contract's residuals (src/contract/chapter2.ts) ———

const rmax = (mdp: Mdp) => Math.max(1, ...mdp.r.flat().map(Math.abs));
const flatPi = (pi: RationalPolicy) => Float64Array.from(pi.flat(), num);

/** d is judged by its residual (≤ RESIDUAL): it may be stationaryDistanceBound away from the exact one. */
function dTolerance(exact: RationalMdp, pi: RationalPolicy): Tolerance {
  return { rel: ACCURACY.rel, abs: ACCURACY.abs + stationaryDistanceBound(exact, pi, RESIDUAL) };
}

/** λ = Σ μ r to ACCURACY with μ = dπ from that d: off by at most S·max|r|·(δd + A·accuracy of μ). */
function gainTolerance(mdp: Mdp, exact: RationalMdp, pi: RationalPolicy): Tolerance {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const dd = stationaryDistanceBound(exact, pi, RESIDUAL);
  return {
    rel: ACCURACY.rel,
    abs: ACCURACY.abs * rmax(mdp) + S * rmax(mdp) * (dd + A * (ACCURACY.abs + ACCURACY.rel)),
  };
}

/**
 * Q, V and the gain of relativeValues are judged by residuals of RESIDUAL·max(1, ‖Q‖∞) each (the Q equation,
 * V = Σπ Q, the normalization; for "bias" the normalization may use a d off by δd, adding S·δd·‖V‖∞): the
 * normalization row in Q is then within 2ρ + that, and (Q, λ) within ‖B⁻¹‖∞ times the largest residual
 * of the evaluation system B (evaluationDistanceBound), V within that plus ρ.
 */
function valueTolerances(
  mdp: Mdp,
  exact: RationalMdp,
  pi: RationalPolicy,
  normalization: "reference" | "bias",
  Q: ArrayLike<number>,
  V: ArrayLike<number>,
): { Q: Tolerance; V: Tolerance } {
  const rho = RESIDUAL * Math.max(1, ...Array.from(Q, Math.abs));
  const dSlack =
    normalization === "bias"
      ? mdp.P.length * stationaryDistanceBound(exact, pi, RESIDUAL) * Math.max(...Array.from(V, Math.abs))
      : 0;
  const dist = evaluationDistanceBound(exact, pi, normalization, 2 * rho + dSlack);
  return {
    Q: { rel: ACCURACY.rel, abs: ACCURACY.abs + dist },
    V: { rel: ACCURACY.rel, abs: ACCURACY.abs + dist + rho },
  };
}

/** (21) is compared with finite differences in the contract: 1e-7 + 1e-5·|g| is what it promises. */
const GRADIENT: Tolerance = { rel: 1e-5, abs: 1e-7 };

const TAB = { kind: "tabular" } as const;

/** Home/work's P and r with one row or reward changed, for the controls. */
function changed(mdp: Mdp, edit: (m: { P: number[][][]; r: number[][] }) => void): Mdp {
  const m = { P: mdp.P.map((Ps) => Ps.map((row) => [...row])), r: mdp.r.map((rs) => [...rs]) };
  edit(m);
  return m;
}

/** §2.1: home/work under the uniform policy (θ = 0): d and λ (20). */
function uniformGain(mdp: Mdp): Worked {
  const exact = mdpFromDecimals(mdp);
  const pi = uniformPolicy(exact);
  const d = stationaryExact(exact, pi);
  const lambda = relativeValuesExact(exact, pi, "reference").gain;
  const piImpl = impl.policyProbs(mdp, TAB, new Float64Array(mdp.P.length * mdp.P[0].length));
  return {
    file: "02-average-return.md",
    statements: [`$d = (${slash(d)})$ and $\\lambda = ${show(lambda)}$`],
    comparisons: [
      { what: "policyProbs(home/work, θ = 0)", actual: piImpl, exact: pi.flat(), tol: ACCURACY },
      {
        what: "stationaryDistribution(home/work, uniform π)",
        actual: impl.stationaryDistribution(mdp, flatPi(pi)),
        exact: d,
        tol: dTolerance(exact, pi),
      },
      {
        what: "gain(home/work, uniform π)",
        actual: [impl.gain(mdp, flatPi(pi))],
        exact: [lambda],
        tol: gainTolerance(mdp, exact, pi),
      },
    ],
    facts: { "exact.homeWork.lambda": show(lambda), "exact.homeWork.d": slash(d) },
  };
}

/** §2.1: the one-step trajectory from work has mean r_π(work), off the gain by r_π(work) − λ. */
function oneStepBias(mdp: Mdp): Worked {
  const exact = mdpFromDecimals(mdp);
  const pi = uniformPolicy(exact);
  const bias = stateRewardsExact(exact, pi)[1].sub(relativeValuesExact(exact, pi, "reference").gain);
  const piImpl = flatPi(pi);
  const A = mdp.P[0].length;
  const rWork = mdp.r[1].reduce((acc, r, a) => acc + piImpl[A + a] * r, 0);
  return {
    file: "02-average-return.md",
    statements: [`whose exact bias is $${show(bias)}$`],
    comparisons: [
      {
        what: "r_π(work) − gain(home/work, uniform π)",
        actual: [rWork - impl.gain(mdp, piImpl)],
        exact: [bias],
        tol: gainTolerance(mdp, exact, pi),
      },
    ],
  };
}

/** §2: the four deterministic policies of home/work; the best earns λ* with d(work) = λ*, staying home ½, (go, leave) 0. */
function deterministicGains(mdp: Mdp): Worked {
  const exact = mdpFromDecimals(mdp);
  const choices = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const gains = choices.map((c) => relativeValuesExact(exact, deterministicPolicy(exact, c), "reference").gain);
  const best = gains.reduce((b, g, i) => (g.compare(gains[b]) > 0 ? i : b), 0);
  const dBest = stationaryExact(exact, deterministicPolicy(exact, choices[best]));
  return {
    file: "02-average-return.md",
    statements: [
      `its chain spends $${show(dBest[1])}$ of the time at work, so the optimal average reward is $\\lambda^* = ${show(gains[best])}$, against $${show(gains[0])}$ for staying home (and $${show(gains[3])}$ for going to work and leaving at once)`,
      // "working whenever possible": the best policy goes to work and works
      ...(best === 2 ? ["Working whenever possible is best"] : []),
    ],
    comparisons: choices.map((c, i) => {
      const pi = deterministicPolicy(exact, c);
      return {
        what: `gain(home/work, deterministic (${c}))`,
        actual: [impl.gain(mdp, flatPi(pi))],
        exact: [gains[i]],
        tol: gainTolerance(mdp, exact, pi),
      };
    }),
    facts: { "exact.homeWork.optimalGain": show(gains[best]) },
  };
}

/** §2.1: home/work's relative values in both normalizations, and the gradient (21) at θ = 0. */
function valuesAndGradient(mdp: Mdp): Worked {
  const exact = mdpFromDecimals(mdp);
  const pi = uniformPolicy(exact);
  const ref = relativeValuesExact(exact, pi, "reference");
  const bias = relativeValuesExact(exact, pi, "bias");
  const g = tabularGradientExact(exact, pi).flat();
  const p = flatPi(pi);
  const rvRef = impl.relativeValues(mdp, p, "reference");
  const rvBias = impl.relativeValues(mdp, p, "bias");
  const tRef = valueTolerances(mdp, exact, pi, "reference", rvRef.Q, rvRef.V);
  const tBias = valueTolerances(mdp, exact, pi, "bias", rvBias.Q, rvBias.V);
  return {
    file: "02-average-return.md",
    statements: [
      `$V = (${slash(ref.V)})$ with the reference normalization and $V = (${slash(bias.V)})$ with the bias one`,
      `$\\nabla_\\theta \\lambda_\\theta = (${slash(g)})$`,
    ],
    comparisons: [
      { what: "relativeValues(…, reference).V", actual: rvRef.V, exact: ref.V, tol: tRef.V },
      { what: "relativeValues(…, reference).Q", actual: rvRef.Q, exact: ref.Q.flat(), tol: tRef.Q },
      { what: "relativeValues(…, reference).gain", actual: [rvRef.gain], exact: [ref.gain], tol: tRef.Q },
      { what: "relativeValues(…, bias).V", actual: rvBias.V, exact: bias.V, tol: tBias.V },
      { what: "relativeValues(…, bias).Q", actual: rvBias.Q, exact: bias.Q.flat(), tol: tBias.Q },
      {
        what: "policyGradient(home/work, tabular, θ = 0)",
        actual: impl.policyGradient(mdp, TAB, new Float64Array(4)),
        exact: g,
        tol: GRADIENT,
      },
    ],
    facts: { "exact.homeWork.gradient": slash(g) },
  };
}

/** §2.3: on the periodic chain E[Q̂_K](0, 0) for K = 1…4 (alternating) and the bias-normalized Q(0, 0) it averages to. */
function periodicRollouts(mdp: Mdp): Worked {
  const exact = mdpFromDecimals(mdp);
  const pi = uniformPolicy(exact);
  const { gain, Q } = relativeValuesExact(exact, pi, "bias");
  const Ks = [1, 2, 3, 4];
  const e = Ks.map((K) => expectedRolloutExact(exact, pi, K, gain)[0][0]);
  const p = flatPi(pi);
  const rv = impl.relativeValues(mdp, p, "bias");
  return {
    file: "02-average-return.md",
    // the chapter names the two values the expectation alternates between (K odd, K even)
    statements: [
      `keeps alternating between $${show(e[0])}$ and $${show(e[1])}$, and only its running average tends to $Q = ${show(Q[0][0])}$`,
    ],
    comparisons: [
      ...Ks.map((K, i) => ({
        what: `expectedRollout(periodic, uniform π, K = ${K}, λ)[(0, 0)]`,
        actual: [impl.expectedRollout(mdp, p, K, num(gain))[0]],
        exact: [e[i]],
        tol: { rel: ACCURACY.rel, abs: K * ACCURACY.abs },
      })),
      {
        what: "relativeValues(periodic, uniform π, bias).Q[(0, 0)]",
        actual: [rv.Q[0]],
        exact: [Q[0][0]],
        tol: valueTolerances(mdp, exact, pi, "bias", rv.Q, rv.V).Q,
      },
    ],
  };
}

describe("Chapter 2's worked examples in exact fractions", () => {
  const cases: WorkedCase[] = [
    [
      "[eq 20] home/work under the uniform policy: d = (12/17, 5/17) and λ = 11/34 exactly, as the chapter states and the implementation computes",
      "with work sending home with probability 0.3 instead of 0.2",
      () => uniformGain(homeWork),
      () => uniformGain(changed(homeWork, (m) => (m.P[1][0] = [0.3, 0.7]))),
      ["policyProbs", "stationaryDistribution", "gain"],
    ],
    [
      "[eq 20] a one-step trajectory from work is biased by r_π(work) − λ = 3/17 exactly",
      "with work paying 0.9",
      () => oneStepBias(homeWork),
      () => oneStepBias(changed(homeWork, (m) => (m.r[1][0] = 0.9))),
      ["gain"],
    ],
    [
      "[sec 2] the best deterministic home/work policy (go, work) earns λ* = 5/7 with d(work) = 5/7; staying home earns 1/2, going and leaving 0",
      "with work paying 0.8",
      () => deterministicGains(homeWork),
      () => deterministicGains(changed(homeWork, (m) => (m.r[1][0] = 0.8))),
      ["gain"],
    ],
    [
      "[eq 21] home/work at θ = 0: V = (0, 5/17) and (−25/289, 60/289) in the two normalizations, ∇λ = (18/289, −18/289, 105/1156, −105/1156)",
      "with staying home paying 0.4",
      () => valuesAndGradient(homeWork),
      () => valuesAndGradient(changed(homeWork, (m) => (m.r[0][0] = 0.4))),
      ["relativeValues", "policyGradient"],
    ],
    [
      "[sec 2.3] on the periodic chain E[Q̂_K](0, 0) alternates 3/4, 1/2 while the bias-normalized Q(0, 0) = 5/8",
      "with action 0 in state 0 paying 2",
      () => periodicRollouts(periodic),
      () => periodicRollouts(changed(periodic, (m) => (m.r[0][0] = 2))),
      ["expectedRollout", "relativeValues"],
    ],
  ];
  checkWorkedExamples(cases);
});

// ——— Chapter 3: every returned number within ACCURACY of its exact value (src/contract/chapter3.ts) ———

/** A problem's MDP with a reward changed, for the controls. */
function withReward(p: EpisodicProblem, s: number, a: number, r: number): EpisodicProblem {
  return { ...p, mdp: { ...p.mdp, r: p.mdp.r.map((rs, i) => rs.map((x, j) => (i === s && j === a ? r : x))) } };
}

const zeros = (p: EpisodicProblem) =>
  new Float64Array(p.features ? p.features[0][0].length : p.mdp.P.length * p.mdp.P[0].length);
const texList = (xs: Rational[]) => xs.map(tex).join(", ");

/** §3.1: stop-or-play's Q_t(playing, ·) by backward induction and J = V₀(playing) under the coin-flip policy. */
function stopOrPlayValues(p4: EpisodicProblem, p8: EpisodicProblem): Worked {
  const e4 = problemFromDecimals(p4);
  const pi = uniformPolicy(e4.mdp);
  const { Q } = timeValuesExact(e4, pi);
  const J = totalReturnExact(e4, pi);
  const e8 = problemFromDecimals(p8);
  const J8 = totalReturnExact(e8, uniformPolicy(e8.mdp));
  const Qimpl = impl.timeIndexedValues(p4, zeros(p4)).Q;
  const stops = Q.map((q) => q[0][1]);
  return {
    file: "03-total-return.md",
    statements: [
      `$Q_t(\\text{playing}, \\text{play}) = ${texList(Q.map((q) => q[0][0]))}$ for $t = ${Q.map((_, t) => t).join(", ")}$`,
      // "always worth exactly 1" only if Q_t(stop) is the same number at every t
      ...(stops.every((x) => x.equals(stops[0])) ? [`while stopping is always worth exactly $${tex(stops[0])}$`] : []),
      `$J = V_0(\\text{playing}) = ${tex(J)}$`,
      `with $T = ${p8.horizon}$ decisions it earns $J = ${tex(J8)} \\approx ${num(J8).toFixed(2)}$`,
      `($J = ${tex(J8)} \\approx ${num(J8).toFixed(2)}$)`,
      `(the uniform policy earns $${tex(J8)} \\approx ${num(J8).toFixed(2)}$)`,
    ],
    comparisons: [
      {
        what: "timeIndexedValues(stop-or-play, θ = 0).Q[t][playing][play]",
        actual: Qimpl.map((q) => q[0][0]),
        exact: Q.map((q) => q[0][0]),
        tol: ACCURACY,
      },
      {
        what: "timeIndexedValues(stop-or-play, θ = 0).Q[t][playing][stop]",
        actual: Qimpl.map((q) => q[0][1]),
        exact: stops,
        tol: ACCURACY,
      },
      {
        what: "totalReturn(stop-or-play, θ = 0)",
        actual: [impl.totalReturn(p4, zeros(p4))],
        exact: [J],
        tol: ACCURACY,
      },
      {
        what: `totalReturn(stop-or-play with T = ${p8.horizon}, θ = 0)`,
        actual: [impl.totalReturn(p8, zeros(p8))],
        exact: [J8],
        tol: ACCURACY,
      },
    ],
    facts: { "exact.stopOrPlay.J": show(J), "exact.stopOrPlay.J8": show(J8) },
  };
}

/** The exact decimal of a fraction whose denominator is 2^a·5^b (39/8 → "4.875"). */
function decimal(x: Rational): string {
  let d = x.d;
  let k = 0;
  while (d % 10n === 0n || d % 2n === 0n || d % 5n === 0n) {
    d = d % 10n === 0n ? d / 10n : d % 2n === 0n ? d / 2n : d / 5n;
    k++;
  }
  if (d !== 1n) throw new RangeError(`${show(x)} has no finite decimal`);
  const digits = Math.max(k, 0);
  const scaled = (x.n * 10n ** BigInt(digits)) / x.d; // exact: 10^digits is a multiple of x.d
  const s = scaled.toString().padStart(digits + 1, "0");
  return `${x.s < 0n ? "-" : ""}${s.slice(0, s.length - digits)}${digits ? "." + s.slice(s.length - digits) : ""}`
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
}

/** Allowance on a total variance Σ_k p_k ‖g_k − m‖² when each component of each g_k may be off by abs + rel·|g|. */
function varianceAllowance(list: { prob: number }[], values: ArrayLike<number>[]): number {
  const dims = values[0].length;
  const mean = Array.from({ length: dims }, (_, i) => list.reduce((acc, w, k) => acc + w.prob * values[k][i], 0));
  let a = 0;
  list.forEach((w, k) => {
    for (let i = 0; i < dims; i++) {
      const err = ACCURACY.abs + ACCURACY.rel * Math.abs(values[k][i]);
      // the deviation g − m moves by at most 2·err (g's own and the mean's), its square by 2|g − m|·2err + (2err)²
      a += w.prob * (4 * Math.abs(values[k][i] - mean[i]) * err + 4 * err * err);
    }
  });
  return a;
}

const ESTIMATORS = ["reinforceFullReturn", "reinforceRewardToGo", "reinforceValueBaseline"] as const;

/** §3.3–3.4: the repeated choice's total variances of the full return, the reward-to-go and the V_t baseline. */
function repeatedChoiceVariances(p: EpisodicProblem): Worked {
  const e = problemFromDecimals(p);
  const pi = uniformPolicy(e.mdp);
  const eps = episodesExact(e, pi);
  const { V } = timeValuesExact(e, pi);
  const weights: ((ep: (typeof eps)[number], t: number) => Rational)[] = [
    (ep) => returnFromExact(ep, 0),
    (ep, t) => returnFromExact(ep, t),
    (ep, t) => returnFromExact(ep, t).sub(V[t][ep.states[t]]),
  ];
  const [full, rtg, vb] = weights.map(
    (w) => momentsExact(eps, (ep) => scoreSumExact(e, pi, ep, (t) => w(ep, t))).totalVariance,
  );
  const list = enumerateEpisodes(
    p,
    pi.map((row) => row.map(num)),
  );
  const theta = zeros(p);
  return {
    file: "03-total-return.md",
    statements: [
      `$${tex(full)} = ${decimal(full)}$ for the full return and $${tex(rtg)} = ${decimal(rtg)}$ for the reward-to-go`,
      `the variance drops from $${decimal(rtg)}$ to $${tex(vb)} = ${decimal(vb)}$`,
    ],
    comparisons: ESTIMATORS.map((name, i) => {
      const values = list.map((w) => impl[name](p, theta, w.episode));
      const v = exactMoments(list, (ep) => impl[name](p, theta, ep)).totalVariance;
      return {
        what: `total variance of ${name} over every episode`,
        actual: [v],
        exact: [[full, rtg, vb][i]],
        tol: { rel: 0, abs: varianceAllowance(list, values) },
      };
    }),
  };
}

/**
 * Σ over every episode of prob·Σ_t c(t)·score(S_t, A_t) at θ = 0, the episodes enumerated under the uniform
 * policy (the book's own, exact in binary for 2 actions) and the score the implementation's; with the
 * allowance its scores carry.
 */
function scoreWeightedMean(
  p: EpisodicProblem,
  c: (ep: Episode, t: number) => number,
): { mean: number[]; allowance: number } {
  const theta = zeros(p);
  const pi = p.mdp.P.map((Ps) => Ps.map(() => 1 / Ps.length));
  const list = enumerateEpisodes(p, pi);
  const dims = theta.length;
  const mean = new Array<number>(dims).fill(0);
  let allowance = 0;
  for (const { episode, prob } of list)
    episode.actions.forEach((a, t) => {
      const sc = impl.episodicScore(p, theta, episode.states[t], a);
      const w = c(episode, t);
      for (let i = 0; i < dims; i++) {
        mean[i] += prob * w * sc[i];
        allowance += prob * Math.abs(w) * (ACCURACY.abs + ACCURACY.rel * Math.abs(sc[i]));
      }
    });
  return { mean, allowance };
}

/** §3.6–3.7: the bias of (28) read with Q₀ at every step, E[Σ_t (Q₀ − Q_t)(S_t, A_t) ∇ln π], on stop-or-play. */
function timeIndexBias(p: EpisodicProblem): Worked {
  const e = problemFromDecimals(p);
  const pi = uniformPolicy(e.mdp);
  const { Q } = timeValuesExact(e, pi);
  const bias = expectedUpdateExact(e, pi, (t, s, a) => Q[0][s][a].sub(Q[t][s][a]));
  const play = bias[0];
  const Qimpl = impl.timeIndexedValues(p, zeros(p)).Q;
  const got = scoreWeightedMean(
    p,
    (ep, t) => Qimpl[0][ep.states[t]][ep.actions[t]] - Qimpl[t][ep.states[t]][ep.actions[t]],
  );
  return {
    file: "03-total-return.md",
    statements: [
      // the same size, with opposite signs, on θ_play and θ_stop ("in each coordinate" that moves)
      ...(bias[1].equals(play.neg())
        ? [
            `$${show(play)} \\approx ${num(play).toPrecision(3)}$ in each coordinate`,
            `by $\\pm ${show(play)}$, while the time-indexed`,
          ]
        : []),
    ],
    comparisons: [
      {
        what: "E[Σ_t (Q₀ − Q_t)(S_t, A_t)·episodicScore] with timeIndexedValues",
        actual: got.mean,
        exact: bias,
        tol: { rel: ACCURACY.rel, abs: got.allowance + 4 * ACCURACY.abs },
      },
    ],
  };
}

/** ‖x‖ as TeX when ‖x‖² = (p/q)²·c for a square-free c: `15\sqrt2/64`. */
function normText(x: Rational[]): string {
  const sq = x.reduce((acc, v) => acc.add(v.mul(v)), ZERO);
  let rest = sq.n * sq.d; // ‖x‖ = √(n·d)/d
  let k = 1n;
  for (let f = 2n; f * f <= rest; f++)
    while (rest % (f * f) === 0n) {
      rest /= f * f;
      k *= f;
    }
  const g = (a: bigint, b: bigint): bigint => (b === 0n ? a : g(b, a % b));
  const c = g(k, sq.d);
  const root = rest === 1n ? "" : rest < 10n ? `\\sqrt${rest}` : `\\sqrt{${rest}}`;
  return `${k / c}${root}/${sq.d / c}`;
}

/** §3.6: the bias of a baseline that peeks at R_{t+1}: −E[Σ_t r(S_t, A_t) ∇ln π(A_t|S_t)], of norm 15√2/64 on stop-or-play. */
function peekingBias(p: EpisodicProblem): Worked {
  const e = problemFromDecimals(p);
  const pi = uniformPolicy(e.mdp);
  const term = expectedUpdateExact(e, pi, (_t, s, a) => e.mdp.r[s][a]);
  const got = scoreWeightedMean(p, (ep, t) => ep.rewards[t]);
  return {
    file: "03-total-return.md",
    statements: [`of size $${normText(term)}$ on stop or play`],
    comparisons: [
      {
        what: "E[Σ_t R_{t+1}·episodicScore(S_t, A_t)]",
        actual: got.mean,
        exact: term,
        tol: { rel: ACCURACY.rel, abs: got.allowance },
      },
    ],
  };
}

const COUNT = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/** §3.7: ∇J on the checked answer at θ = 0: ± one fraction in some coordinates, zero in the others. */
function checkedAnswerGradient(p: EpisodicProblem): Worked {
  const e = problemFromDecimals(p);
  const g = expectedUpdateExact(e, uniformPolicy(e.mdp));
  const moved = g.filter((x) => !x.equals(ZERO));
  const size = moved[0].abs();
  return {
    file: "03-total-return.md",
    statements: moved.every((x) => x.abs().equals(size))
      ? [`$\\nabla J$ is $\\pm${tex(size)}$ in ${COUNT[moved.length] ?? moved.length} coordinates`]
      : [],
    comparisons: [
      {
        what: "expectedUpdate(checked answer, θ = 0)",
        actual: impl.expectedUpdate(p, zeros(p)),
        exact: g,
        tol: ACCURACY,
      },
    ],
  };
}

describe("Chapter 3's worked examples in exact fractions", () => {
  const cases: WorkedCase[] = [
    [
      "[sec 3.1] stop-or-play under the coin-flip policy: Q_t(playing, play) = 29/16, 13/8, 5/4, 1/2 and Q_t(stop) = 1, J = 45/32 (T = 4) and 765/512 (T = 8)",
      "with play paying 0.6",
      () => stopOrPlayValues(stopOrPlay(4), stopOrPlay(8)),
      () => stopOrPlayValues(withReward(stopOrPlay(4), 0, 0, 0.6), withReward(stopOrPlay(8), 0, 0, 0.6)),
      ["timeIndexedValues", "totalReturn"],
    ],
    [
      "[eq 29] [eq 30] the repeated choice: total variances 39/8 (full return), 17/8 (reward-to-go) and 3/8 (V_t baseline) exactly",
      "with four decisions instead of three",
      () => repeatedChoiceVariances(repeatedChoice(3)),
      () => repeatedChoiceVariances(repeatedChoice(4)),
      [...ESTIMATORS],
    ],
    [
      "[eq 28] [erratum q-time-index] (28) with Q₀ at every step is off by ±51/512 on stop-or-play (T = 4)",
      "with five decisions instead of four",
      () => timeIndexBias(stopOrPlay(4)),
      () => timeIndexBias(stopOrPlay(5)),
      ["timeIndexedValues", "episodicScore"],
    ],
    [
      "[eq 30] a baseline that peeks at R_{t+1} is off by −E[Σ_t r ∇ln π] = (15/64, −15/64, 0, 0), of norm 15√2/64, on stop-or-play",
      "with stop paying 2",
      () => peekingBias(stopOrPlay(4)),
      () => peekingBias(withReward(stopOrPlay(4), 0, 1, 2)),
      ["episodicScore"],
    ],
    [
      "[erratum reward-to-go-includes-rt] on the checked answer ∇J is ±1/16 in six coordinates and 0 in the others",
      "with a right answer paying 2",
      () => checkedAnswerGradient(checkedAnswer()),
      // state 2 is on_2, the last bit; its target action 1 pays the episode's reward
      () => checkedAnswerGradient(withReward(checkedAnswer(), 2, 1, 2)),
      ["expectedUpdate"],
    ],
  ];
  checkWorkedExamples(cases);
});

// The formatting helpers the statements are built with, on fractions worked by hand
describe("how the statements write fractions", () => {
  it("decimal and normText: 39/8 = 4.875, 3/8 = 0.375, ‖(15/64, −15/64)‖ = 15√2/64, ‖(3/4, 0)‖ = 3/4", () => {
    const f = (n: number, d: number) => rational(n, d);
    expect(decimal(f(39, 8))).toBe("4.875");
    expect(decimal(f(3, 8))).toBe("0.375");
    expect(decimal(f(-5, 2))).toBe("-2.5");
    expect(decimal(f(7, 1))).toBe("7");
    expect(() => decimal(f(1, 3))).toThrow(/no finite decimal/);
    expect(normText([f(15, 64), f(-15, 64)])).toBe("15\\sqrt2/64");
    expect(normText([f(3, 4), f(0, 1)])).toBe("3/4");
    expect(normText([f(1, 1), f(1, 1), f(1, 1)])).toBe("1\\sqrt3/1");
  });
});
