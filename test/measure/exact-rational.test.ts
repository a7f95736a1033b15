/**
 * Unit tests of the exact-rational measuring tools (measure/exact-rational/): reading numbers and
 * fraction strings exactly (and refusing what cannot be read exactly), Gauss–Jordan over fractions
 * against mathjs's lusolve on the same Fraction matrices, and the Chapter 2 and 3 answers on hand-derived
 * examples and against the reference implementation's floats on random rational instances.
 */
import { fraction, lusolve, type Fraction } from "mathjs";
import { describe, expect, it } from "vitest";
import { stream } from "../../src/contract/random.ts";
import { policyGradient, relativeValues, stationaryDistribution } from "../../src/average-return/exact.ts";
import { TABULAR } from "../../src/average-return/policy.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { expectedUpdate, timeIndexedValues, totalReturn } from "../../src/total-return/exact.ts";
import type { EpisodicProblem } from "../../src/total-return/types.ts";
import { homeWork, withTransient } from "../../measure/average-return/examples.ts";
import { repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import {
  deterministicPolicy,
  evaluationSystem,
  expectedRolloutExact,
  gainExact,
  logLinearGradientExact,
  mdpFromDecimals,
  NotUnichainError,
  relativeValuesExact,
  stationaryExact,
  tabularGradientExact,
  uniformPolicy,
  weightedScoreSumExact,
  type RationalMdp,
} from "../../measure/exact-rational/average-return.ts";
import { inverseExact, matVec, normInf, SingularError, solveExact } from "../../measure/exact-rational/linear.ts";
import {
  exactDecimal,
  ONE,
  parseRational,
  rational,
  rationalFromJson,
  show,
  significantDigits,
  tex,
  ZERO,
  type Rational,
} from "../../measure/exact-rational/rational.ts";
import {
  episodesExact,
  expectedUpdateExact,
  momentsExact,
  problemFromDecimals,
  returnFromExact,
  scoreSumExact,
  stateDistributionsExact,
  timeValuesExact,
  totalReturnExact,
} from "../../measure/exact-rational/total-return.ts";

const showAll = (x: unknown): unknown => (Array.isArray(x) ? x.map(showAll) : show(x as Rational));
const q = (n: number, d = 1) => rational(n, d);

/** Positive weights divided by their sum, exactly. */
function normalized(w: Rational[]): Rational[] {
  const z = w.reduce((acc, x) => acc.add(x), ZERO);
  return w.map((x) => x.div(z));
}

/** Random transition rows P[s][a]: S weights from `weight` per row, normalized exactly. */
function randomRows(S: number, A: number, weight: () => Rational): Rational[][][] {
  return Array.from({ length: S }, () =>
    Array.from({ length: A }, () => normalized(Array.from({ length: S }, weight))),
  );
}

describe("reading rationals exactly", () => {
  it("parseRational reads integers, decimals with exponents and quotients, reduced; refuses everything else", () => {
    const cases: [string, string | null][] = [
      ["11/34", "11/34"],
      ["-4/6", "-2/3"],
      ["+7/14", "1/2"],
      [" 3 / 4 ", "3/4"],
      ["0.125", "1/8"],
      [".5", "1/2"],
      ["5.", "5"],
      ["-0", "0"],
      ["2.5E+2", "250"],
      ["1e-3", "1/1000"],
      ["-1.25e-1", "-1/8"],
      ["123456789012345678901234567890", "123456789012345678901234567890"],
      ["1/0", null],
      ["1/3.5", null],
      ["0x10", null],
      ["1e", null],
      [".", null],
      ["", null],
      ["abc", null],
      ["1/-3", null],
      ["Infinity", null],
    ];
    for (const [text, want] of cases) {
      const r = parseRational(text);
      expect(r === null ? null : show(r), JSON.stringify(text)).toBe(want);
    }
  });

  it("exactDecimal reads a double as the decimal it prints as, up to 15 significant digits, and refuses longer ones", () => {
    expect(significantDigits(0.1 + 0.2)).toBe(17);
    expect(significantDigits(1 / 3)).toBe(16);
    expect(significantDigits(1200)).toBe(2);
    expect(significantDigits(0.000123)).toBe(3);
    const ok: [number, string][] = [
      [0.1, "1/10"],
      [0.2, "1/5"],
      [-2.5, "-5/2"],
      [1e-7, "1/10000000"],
      [1.5e21, "1500000000000000000000"],
      [-0, "0"],
      [123456789012345, "123456789012345"],
      [0.123456789012345, "24691357802469/200000000000000"],
    ];
    for (const [x, want] of ok) {
      const r = exactDecimal(x);
      expect("value" in r ? show(r.value) : r.problem, String(x)).toBe(want);
    }
    const problem = (r: { value: Rational } | { problem: string }) =>
      "problem" in r ? r.problem : `read as ${show(r.value)}`;
    for (const x of [0.1 + 0.2, 1 / 3, 1234567890123456, Math.PI])
      expect(problem(exactDecimal(x))).toMatch(/significant digits, more than a JSON number keeps exactly/);
    for (const x of [NaN, Infinity, -Infinity]) expect(problem(exactDecimal(x))).toMatch(/expected a finite number/);
  });

  it("rationalFromJson takes numbers and fraction strings, nothing else", () => {
    expect(show((rationalFromJson("2/8") as { value: Rational }).value)).toBe("1/4");
    expect(show((rationalFromJson(0.75) as { value: Rational }).value)).toBe("3/4");
    for (const v of [null, true, [1], { n: 1 }, "one half"]) {
      const r = rationalFromJson(v);
      expect("problem" in r ? r.problem : show(r.value)).toMatch(/expected a number or a fraction such as "11\/34"/);
    }
  });

  it("rational() takes integers only; show and tex print reduced fractions", () => {
    expect(show(rational(6, -4))).toBe("-3/2");
    expect(show(rational(10n ** 20n, 3n))).toBe("100000000000000000000/3");
    expect(() => rational(1.5)).toThrow(/not a safe integer/);
    expect(() => rational(1, 0)).toThrow(/zero denominator/);
    expect(tex(q(29, 16))).toBe("\\tfrac{29}{16}");
    expect(tex(q(-3, 17))).toBe("-\\tfrac{3}{17}");
    expect(tex(q(4))).toBe("4");
    expect(tex(ZERO)).toBe("0");
  });
});

describe("linear algebra over fractions", () => {
  const M = (rows: number[][]) => rows.map((r) => r.map((x) => q(x)));

  it("solveExact agrees with mathjs's lusolve on the same Fraction matrix, and needs a row swap when the first pivot is 0", () => {
    const A = M([
      [0, 2, 1],
      [1, 1, 0],
      [3, 0, 5],
    ]);
    const b = [q(1), q(2), q(3)];
    const x = solveExact(A, b);
    const viaMathjs = (lusolve(A, b).valueOf() as Fraction[][]).map((r) => r[0]);
    expect(showAll(x)).toEqual(showAll(viaMathjs));
    // by hand: y = 2 − x, z = 1 − 2y = 2x − 3, 3x + 5z = 3 → 13x = 18
    expect(showAll(x)).toEqual(["18/13", "8/13", "-3/13"]);
    expect(showAll(matVec(A, x))).toEqual(["1", "2", "3"]);
  });

  it("a singular matrix is named by the column without a pivot; shapes are checked", () => {
    const A = M([
      [1, 2, 3],
      [2, 4, 6],
      [0, 0, 1],
    ]);
    let err: unknown;
    try {
      solveExact(A, [ONE, ONE, ONE]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SingularError);
    expect((err as SingularError).column).toBe(1);
    expect(() => inverseExact(A)).toThrow(/no pivot in column 1/);
    expect(() => solveExact(M([[1, 2]]), [ONE])).toThrow(/row 0 has 2 entries, expected 1/);
    expect(() => solveExact(M([[1]]), [ONE, ONE])).toThrow(/b has 2 entries/);
  });

  it("inverseExact(A)·A = I exactly, and normInf is the largest absolute row sum", () => {
    const A = [
      [q(1, 2), q(1, 3)],
      [q(-1, 4), q(2)],
    ];
    const inv = inverseExact(A);
    const prod = inv.map((row) => [0, 1].map((j) => row.reduce((acc, x, k) => acc.add(x.mul(A[k][j])), ZERO)));
    expect(showAll(prod)).toEqual([
      ["1", "0"],
      ["0", "1"],
    ]);
    expect(show(normInf(A))).toBe("9/4");
    // det = 1 + 1/12 = 13/12, so A⁻¹ = (12/13)[[2, −1/3], [1/4, 1/2]]
    expect(showAll(inv)).toEqual([
      ["24/13", "-4/13"],
      ["3/13", "6/13"],
    ]);
  });
});

describe("Chapter 2 answers in fractions", () => {
  const hw = mdpFromDecimals(homeWork);

  it("home/work under the uniform policy: d = (12/17, 5/17), λ = 11/34, V = (0, 5/17) with V(0) = 0", () => {
    const pi = uniformPolicy(hw);
    // P_π = [[¾, ¼], [3/5, 2/5]]: balance d₀·¼ = d₁·⅗ → d = (12/17, 5/17); r_π = (¼, ½) → λ = 3/17 + 5/34
    expect(showAll(stationaryExact(hw, pi))).toEqual(["12/17", "5/17"]);
    expect(show(gainExact(hw, pi))).toBe("11/34");
    const ref = relativeValuesExact(hw, pi, "reference");
    expect(show(ref.gain)).toBe("11/34");
    expect(showAll(ref.V)).toEqual(["0", "5/17"]); // V(1) = 4(λ − ¼), from the equation of state 0
    const bias = relativeValuesExact(hw, pi, "bias");
    // Σ d V = 0: the reference values shifted by Σ d V_ref = (5/17)² = 25/289
    expect(showAll(bias.V)).toEqual(["-25/289", "60/289"]);
    expect(bias.V.reduce((acc, v, s) => acc.add(v.mul(stationaryExact(hw, pi)[s])), ZERO).equals(ZERO)).toBe(true);
  });

  it("the four deterministic home/work policies earn 1/2, 1/2, 5/7 and 0", () => {
    // (stay, ·): home absorbs, λ = ½; (go, work): d = (2/7, 5/7), λ = 5/7; (go, leave): d = (2/3, 1/3), λ = 0
    expect(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ].map((c) => show(gainExact(hw, deterministicPolicy(hw, c)))),
    ).toEqual(["1/2", "1/2", "5/7", "0"]);
    expect(showAll(stationaryExact(hw, deterministicPolicy(hw, [1, 0])))).toEqual(["2/7", "5/7"]);
  });

  it("(21) is the same with either normalization of Q (the score sums to zero under π), and a transient state gets d = 0 exactly", () => {
    const mdp = mdpFromDecimals(withTransient);
    const pi = [
      [q(1, 3), q(2, 3)],
      [q(1, 2), q(1, 2)],
      [q(1, 5), q(4, 5)],
    ];
    const d = stationaryExact(mdp, pi);
    expect(d[2].equals(ZERO)).toBe(true);
    const mu = pi.map((row, s) => row.map((p) => d[s].mul(p)));
    const withQ = (Q: Rational[][]) => showAll(weightedScoreSumExact(pi, (s, a) => mu[s][a].mul(Q[s][a])));
    expect(withQ(relativeValuesExact(mdp, pi, "reference").Q)).toEqual(withQ(relativeValuesExact(mdp, pi, "bias").Q));
    expect(withQ(relativeValuesExact(mdp, pi, "bias").Q)).toEqual(showAll(tabularGradientExact(mdp, pi)));
  });

  it("a policy whose chain splits has no stationary distribution: NotUnichainError", () => {
    const rooms: RationalMdp = {
      P: [
        [
          [ONE, ZERO],
          [ZERO, ONE],
        ],
        [
          [ZERO, ONE],
          [ONE, ZERO],
        ],
      ],
      r: [
        [ONE, ZERO],
        [ZERO, ZERO],
      ],
    };
    const stay = deterministicPolicy(rooms, [0, 0]);
    expect(() => stationaryExact(rooms, stay)).toThrow(NotUnichainError);
    expect(() => relativeValuesExact(rooms, stay, "reference")).toThrow(NotUnichainError);
    expect(show(gainExact(rooms, uniformPolicy(rooms)))).toBe("1/4"); // d = (½, ½), r_π = (½, 0)
  });

  it("mdpFromDecimals names an entry that is not an exact decimal", () => {
    expect(() => mdpFromDecimals({ P: [[[1]]], r: [[1 / 3]] })).toThrow(
      /^r\[0\]\[0\]: 0\.3333333333333333 has 16 significant digits/,
    );
  });

  it("the evaluation system's normalization rows: π(·|0) for reference, μ for bias; its solution is relativeValuesExact's", () => {
    const pi = uniformPolicy(hw);
    const { B, rhs } = evaluationSystem(hw, pi, "bias");
    expect(showAll(B[4])).toEqual(["6/17", "6/17", "5/34", "5/34", "0"]);
    expect(showAll(evaluationSystem(hw, pi, "reference").B[4])).toEqual(["1/2", "1/2", "0", "0", "0"]);
    const x = solveExact(B, rhs);
    expect(showAll(x.slice(0, 4))).toEqual(showAll(relativeValuesExact(hw, pi, "bias").Q.flat()));
  });

  it("E[Q̂_K] on the periodic chain alternates 3/4, 1/2 from (0, 0) (Section 2.3)", () => {
    const periodic: RationalMdp = {
      P: [
        [
          [ZERO, ONE],
          [ZERO, ONE],
        ],
        [
          [ONE, ZERO],
          [ONE, ZERO],
        ],
      ],
      r: [
        [ONE, ZERO],
        [ZERO, ZERO],
      ],
    };
    const pi = uniformPolicy(periodic);
    // λ = ¼; from (0, 0): 1 − ¼ = ¾, then state 1 adds −¼, then state 0 under π adds ½ − ¼ = ¼, …
    expect([1, 2, 3, 4].map((K) => show(expectedRolloutExact(periodic, pi, K, q(1, 4))[0][0]))).toEqual([
      "3/4",
      "1/2",
      "3/4",
      "1/2",
    ]);
  });

  /** A random MDP with entries of small denominators (tenths of random weights, rows normalized exactly). */
  function randomRationalMdp(seed: string, S: number, A: number): { exact: RationalMdp; float: Mdp } {
    const rng = stream(seed);
    const P = randomRows(S, A, () => q(1 + Math.floor(rng() * 9)));
    const r = Array.from({ length: S }, () => Array.from({ length: A }, () => q(Math.floor(rng() * 21) - 10, 4)));
    const num = (x: Rational) => x.valueOf();
    return {
      exact: { P, r },
      float: { P: P.map((Ps) => Ps.map((row) => row.map(num))), r: r.map((rs) => rs.map(num)) },
    };
  }

  it("on random rational MDPs the fractions agree with the reference implementation's floats (d, Q, ∇λ at θ = ln π)", () => {
    for (let i = 0; i < 10; i++) {
      const { exact, float } = randomRationalMdp(`exact-rational ${i}`, 2 + (i % 3), 2 + (i % 2));
      const pi = exact.r.map((rs) => {
        const w = rs.map((_, a) => q(a + 1));
        const z = w.reduce((acc, x) => acc.add(x), ZERO);
        return w.map((x) => x.div(z));
      });
      const piFlat = Float64Array.from(pi.flat(), (x) => x.valueOf());
      const close = (a: ArrayLike<number>, b: Rational[], what: string) =>
        Array.from(a).forEach((x, k) =>
          expect(Math.abs(x - b[k].valueOf()), `${what}[${k}] (instance ${i})`).toBeLessThan(1e-12),
        );
      close(stationaryDistribution(float, piFlat), stationaryExact(exact, pi), "d");
      close(relativeValues(float, piFlat, "bias").Q, relativeValuesExact(exact, pi, "bias").Q.flat(), "Q bias");
      close(
        relativeValues(float, piFlat, "reference").Q,
        relativeValuesExact(exact, pi, "reference").Q.flat(),
        "Q reference",
      );
      close(policyGradient(float, TABULAR, Array.from(piFlat, Math.log)), tabularGradientExact(exact, pi).flat(), "∇λ");
    }
  });

  it("the log-linear gradient at θ = 0 agrees with the reference implementation's", () => {
    const features = [
      [
        [1, 0.5],
        [0, -1],
      ],
      [
        [0.25, 2],
        [-0.5, 0],
      ],
    ];
    const exactF = features.map((Fs) => Fs.map((f) => f.map((x) => (exactDecimal(x) as { value: Rational }).value)));
    const g = logLinearGradientExact(hw, uniformPolicy(hw), exactF);
    const ref = policyGradient(homeWork, { kind: "log-linear", features }, new Float64Array(2));
    g.forEach((x, i) => expect(Math.abs(x.valueOf() - ref[i])).toBeLessThan(1e-12));
  });
});

describe("Chapter 3 answers in fractions", () => {
  it("stop-or-play (T = 4, uniform): Q_t(playing, play) = 29/16, 13/8, 5/4, 1/2; J = 45/32; ∇J = (9/32, −9/32, 0, 0)", () => {
    const p = problemFromDecimals(stopOrPlay(4));
    const pi = uniformPolicy(p.mdp);
    const { Q, V } = timeValuesExact(p, pi);
    // Q_t(play) = ½ + V_{t+1}, V_t = (Q_t(play) + 1)/2 from V_4 = 0
    expect(Q.map((qt) => show(qt[0][0]))).toEqual(["29/16", "13/8", "5/4", "1/2"]);
    expect(Q.map((qt) => show(qt[0][1]))).toEqual(["1", "1", "1", "1"]);
    expect(V.map((vt) => show(vt[1]))).toEqual(["0", "0", "0", "0"]); // terminal
    expect(show(totalReturnExact(p, pi))).toBe("45/32");
    expect(stateDistributionsExact(p, pi).map((d) => show(d[0]))).toEqual(["1", "1/2", "1/4", "1/8"]);
    expect(showAll(expectedUpdateExact(p, pi))).toEqual(["9/32", "-9/32", "0", "0"]);
    // with Q₀ at every step: ¼ · 13/16 · (1 + ½ + ¼ + ⅛) = 195/512 on θ_play (the chapter's bias 195/512 − 9/32 = 51/512)
    expect(showAll(expectedUpdateExact(p, pi, (_t, s, a) => Q[0][s][a]))).toEqual(["195/512", "-195/512", "0", "0"]);
  });

  it("the repeated choice: total variances 39/8 (full return), 17/8 (reward-to-go), 3/8 (V_t baseline) over its 8 episodes", () => {
    const p = problemFromDecimals(repeatedChoice(3));
    const pi = uniformPolicy(p.mdp);
    const eps = episodesExact(p, pi);
    expect(eps).toHaveLength(8);
    expect(eps.every((ep) => ep.prob.equals(q(1, 8)))).toBe(true);
    const { V } = timeValuesExact(p, pi);
    const variance = (c: (ep: (typeof eps)[number], t: number) => Rational) =>
      show(momentsExact(eps, (ep) => scoreSumExact(p, pi, ep, (t) => c(ep, t))).totalVariance);
    expect(variance((ep) => returnFromExact(ep, 0))).toBe("39/8");
    expect(variance((ep, t) => returnFromExact(ep, t))).toBe("17/8");
    expect(variance((ep, t) => returnFromExact(ep, t).sub(V[t][0]))).toBe("3/8");
    // every estimator has mean ∇J = (¾, −¾): three steps of ∂/∂θ_pay of ½·1 = ¼ each
    expect(showAll(momentsExact(eps, (ep) => scoreSumExact(p, pi, ep, (t) => returnFromExact(ep, t))).mean)).toEqual([
      "3/4",
      "-3/4",
    ]);
  });

  it("on random rational problems J, Q_t and ∇J agree with the reference implementation at θ = ln π", () => {
    const rng = stream("exact-rational episodic");
    for (let i = 0; i < 8; i++) {
      const S = 2 + (i % 2);
      const A = 2;
      const frac = () => q(1 + Math.floor(rng() * 5));
      const P = randomRows(S, A, frac);
      const r = Array.from({ length: S }, () => Array.from({ length: A }, () => q(Math.floor(rng() * 9) - 4, 2)));
      const pi = Array.from({ length: S }, () => {
        const w = [frac(), frac()];
        const z = w[0].add(w[1]);
        return w.map((x) => x.div(z));
      });
      const exact = {
        mdp: { P, r },
        horizon: 3,
        initial: [ONE, ...new Array<Rational>(S - 1).fill(ZERO)],
        terminal: i % 2 ? [S - 1] : [],
      };
      const num = (x: Rational) => x.valueOf();
      const float: EpisodicProblem = {
        mdp: { P: P.map((Ps) => Ps.map((row) => row.map(num))), r: r.map((rs) => rs.map(num)) },
        horizon: 3,
        initial: exact.initial.map(num),
        terminal: exact.terminal,
      };
      const theta = pi.flat().map((x) => Math.log(x.valueOf()));
      expect(Math.abs(totalReturn(float, theta) - totalReturnExact(exact, pi).valueOf())).toBeLessThan(1e-12);
      const Qf = timeIndexedValues(float, theta).Q;
      timeValuesExact(exact, pi).Q.forEach((qt, t) =>
        qt.forEach((row, s) => row.forEach((x, a) => expect(Math.abs(Qf[t][s][a] - x.valueOf())).toBeLessThan(1e-12))),
      );
      const gf = expectedUpdate(float, theta);
      expectedUpdateExact(exact, pi).forEach((x, k) => expect(Math.abs(gf[k] - x.valueOf())).toBeLessThan(1e-12));
    }
  });
});

// mathjs's own fraction() approximates a double by a nearby fraction: the reason the tools never call it on one
it("mathjs fraction(π) is an approximation (11985110/3814979), which exactDecimal refuses", () => {
  expect(fraction(Math.PI).toFraction()).toBe("11985110/3814979");
  expect("problem" in exactDecimal(Math.PI)).toBe(true);
});
