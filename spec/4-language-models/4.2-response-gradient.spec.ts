/**
 * Chapter 4, "The gradient of a whole response" (notes §3.2, eq. (29) with a terminal reward): a response's
 * log-probability gradient is the sum of per-token scores along the shifted windows, checked against finite
 * differences (with the h² law of their error), and sampled responses have the probabilities the product says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LmModel } from "../../src/contract/chapter4.ts";
import { allResponses, exactObjective, responseProbability } from "../../measure/language-models/exact.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { errorRatio, gradientMismatch, numericGradient } from "../../measure/stats/finite-diff.ts";
import { direction, tinyLm as tinyArb } from "../../measure/arbitraries/lm.ts";
import { claim, testRng } from "../support/claim.ts";
import { expectClose, mismatch } from "../../measure/close.ts";
import { callMany, impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { expectMean, expectRejected } from "../support/stat.ts";
import { BOTH, documentedPolicy, documentedScore, FD, policyOf } from "./tools.ts";

/**
 * A measuring tool: the Taylor coefficients c_k = f^(k)(0)/k! (k = 3, 5, 7) of f(s) = ln πθ+sv(response | prompt).
 * Along v the windows stay fixed, each logit moves at rate u_t[a] = v[a] + Σᵢ v[V + (i·V + sᵢ)·V + a], and
 * f^(k)(0) = −Σ_t κ_k(u_t) for k ≥ 2, with the cumulants of u_t under πθ(·|S_t) from its central moments m_j:
 * κ₃ = m₃, κ₅ = m₅ − 10m₃m₂, κ₇ = m₇ − 21m₅m₂ − 35m₄m₃ + 210m₃m₂².
 */
function taylorCoefficients(
  model: LmModel,
  theta: Float64Array,
  prompt: number[],
  tokens: number[],
  v: Float64Array,
): { c3: number; c5: number; c7: number } {
  const V = model.vocab;
  const pol = documentedPolicy(model, theta);
  let k3 = 0;
  let k5 = 0;
  let k7 = 0;
  let w = prompt.slice();
  for (const a of tokens) {
    const pi = pol(w);
    const u = Array.from({ length: V }, (_, b) => v[b] + w.reduce((acc, x, i) => acc + v[V + (i * V + x) * V + b], 0));
    const mu = u.reduce((acc, x, b) => acc + pi[b] * x, 0);
    const m = (j: number) => u.reduce((acc, x, b) => acc + pi[b] * (x - mu) ** j, 0);
    const [m2, m3, m4, m5, m7] = [m(2), m(3), m(4), m(5), m(7)];
    k3 += m3;
    k5 += m5 - 10 * m3 * m2;
    k7 += m7 - 21 * m5 * m2 - 35 * m4 * m3 + 210 * m3 * m2 * m2;
    w = [...w.slice(1), a];
  }
  return { c3: -k3 / 6, c5: -k5 / 120, c7: -k7 / 5040 };
}

describe("4.2 The gradient of a whole response", () => {
  it("[eq 29] the token score ∇θ ln πθ(a|s) equals central finite differences", (ctx) => {
    checkProperty(
      ctx,
      fc.property(tinyArb(), ({ model, theta, prompt, tokens }) => {
        const a = tokens[0];
        const f = (th: Float64Array) => Math.log(impl.lmPolicy(model, th, prompt)[a]);
        expectClose(
          numericGradient(f, theta),
          impl.tokenScore(model, theta, prompt, a),
          FD,
          "finite differences of ln π against tokenScore",
        );
      }),
      { implements: ["tokenScore", "lmPolicy"] },
    );
  });

  it("[eq 29] a response's log-probability gradient is the sum of per-token scores along the shifted windows, and equals finite differences", (ctx) => {
    checkProperty(
      ctx,
      fc.property(tinyArb(), ({ model, theta, prompt, tokens }) => {
        const score = impl.sequenceScore(model, theta, prompt, tokens);
        // sum of per-token scores, each at its own window S_t (windows moved here by hand)
        const sum = new Float64Array(theta.length);
        let w = prompt.slice();
        for (const a of tokens) {
          const s = impl.tokenScore(model, theta, w, a);
          for (let i = 0; i < sum.length; i++) sum[i] += s[i];
          w = [...w.slice(1), a];
        }
        expectClose(score, sum, BOTH, "sequenceScore against the sum of tokenScore");
        // the log-probability itself is Σ_t ln π(A_t|S_t), the tool's own product of probabilities
        const lp = impl.sequenceLogProb(model, theta, prompt, tokens);
        expectClose(
          lp,
          Math.log(responseProbability(policyOf(model, theta), prompt, tokens)),
          BOTH,
          "sequenceLogProb against ln Π_t π(A_t|S_t)",
        );
        const f = (th: Float64Array) => impl.sequenceLogProb(model, th, prompt, tokens);
        expectClose(
          numericGradient(f, theta),
          score,
          FD,
          "finite differences of sequenceLogProb against sequenceScore",
        );
      }),
      { implements: ["sequenceScore", "sequenceLogProb", "tokenScore"] },
    );
  });

  it("[eq 29] the finite-difference error shrinks like h² along a random direction (tolerance-free)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        tinyArb(2).chain((x) => fc.record({ x: fc.constant(x), v: direction(x.theta.length) })),
        ({ x: { model, theta, prompt, tokens }, v }) => {
          const score = impl.sequenceScore(model, theta, prompt, tokens);
          const analytic = score.reduce((s, x, i) => s + x * v[i], 0);
          const f = (th: Float64Array) => impl.sequenceLogProb(model, th, prompt, tokens);
          // The central difference at step h errs by e(h) = c₃h² + c₅h⁴ + c₇h⁶ + …, and e(h)/e(h/2) is near 4 only
          // where the h² term dominates. Along v the windows are fixed, so f(θ + sv) = Σ_t [z_{t,A_t}(s) − ln Σ_a e^{z_{t,a}(s)}]
          // with logits z_t(s) = z_t + s·u_t, and the k-th derivative is −Σ_t κ_k(u_t), the k-th cumulant of u_t under
          // π(·|S_t): the coefficients are known exactly from the book's own policy. Where c₃ nearly vanishes (e.g. two
          // tokens at π ≈ ½, a symmetric u_t), the error shrinks like h⁴ at every step where truncation still beats
          // rounding (seed cal-37 drew such a case: ratio 5.0000001 at h = 2e-2), and the h² law is not what any step shows.
          const c = taylorCoefficients(model, theta, prompt, tokens, v);
          // rounding: f to about 1e-13·(1 + |f|) (what the FD checks at h = 6e-6 already need), so e(s) carries ≈ that / s
          const rounding = 1e-13 * (1 + Math.abs(f(theta)));
          // the largest step of the ladder where the h⁴ and h⁶ terms are ≤ 1/20 and ≤ 1/400 of the h² term and rounding
          // is ≤ 1% of the h² term at h/2: there the ratio of a right gradient lies within [3.7, 4.3]
          const h = [2e-2, 1e-2, 5e-3].find(
            (s) =>
              Math.abs(c.c5) * s * s <= Math.abs(c.c3) / 20 &&
              Math.abs(c.c7) * s ** 4 <= Math.abs(c.c3) / 400 &&
              Math.abs(c.c3) * (s / 2) ** 2 >= (100 * rounding) / (s / 2),
          );
          fc.pre(h !== undefined);
          // an analytic error δ gives e(h) → δ, a ratio near 1 as soon as |δ| exceeds the truncation c₃h²/4
          const r = errorRatio(f, theta, v, analytic, h);
          expect(r, `e(h)/e(h/2) at h = ${h} (c₃ = ${c.c3.toExponential(3)}, c₅ = ${c.c5.toExponential(3)})`).toSatisfy(
            (x: number) => x > 3.5 && x < 4.5,
          );
        },
      ),
      { implements: ["sequenceScore", "sequenceLogProb"], numRuns: 50 },
    );
  });

  it("[eq 29] negative control: per-token scores that ignore the window's shift do not give the gradient", (ctx) => {
    checkProperty(
      ctx,
      fc.property(tinyArb(2), ({ model, theta, prompt, tokens }) => {
        const wrong = new Float64Array(theta.length);
        for (const a of tokens) {
          const s = impl.tokenScore(model, theta, prompt, a); // always at S_0
          for (let i = 0; i < wrong.length; i++) wrong[i] += s[i];
        }
        // The control must be wrong by more than the FD check tolerates: the shift has to change some window and,
        // where the policy is nearly deterministic, the scores it changes are nearly 0. So the instance is kept when
        // the exact gradient (the book's literal scores at the shifted windows) differs from the wrong rule by more
        // than 10× the FD tolerance; finite differences, within about 1e-9 of it, must then reject the wrong rule.
        const right = new Float64Array(theta.length);
        let w = prompt.slice();
        for (const a of tokens) {
          documentedScore(model, theta, w, a).forEach((x, i) => (right[i] += x));
          w = [...w.slice(1), a];
        }
        fc.pre(mismatch(right, wrong, { rel: 10 * FD.rel, abs: 10 * FD.abs }) !== null);
        const f = (th: Float64Array) => impl.sequenceLogProb(model, th, prompt, tokens);
        expect(
          gradientMismatch(numericGradient(f, theta), wrong),
          "finite differences must reject the unshifted scores",
        ).toBeGreaterThan(0);
      }),
      { implements: ["tokenScore", "sequenceLogProb"] },
    );
  });

  it("[sec 3.2] sampled responses have probability Π_t πθ(A_t|S_t): mean reward against the exact J, and a sampler that never shifts its window is rejected", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["sampleSequence", "lmPolicy"] });
    // V = 3, N = 2, T = 2; θ favours copying the OLDEST token of the window: W[0][v][v] = 3.
    // From the prompt [0, 1] the shifting policy answers 0 then 1 (the window becomes [1, 0]) with
    // probability q² where q = e³/(e³ + 2) ≈ 0.909; a sampler that keeps reading S_0 answers 0, 0.
    const model = { vocab: 3, window: 2 };
    const theta = new Float64Array(impl.lmParamCount(model));
    for (let v = 0; v < 3; v++) theta[3 + (0 * 3 + v) * 3 + v] = 3;
    const prompt = [0, 1];
    const reward = (_p: number[], y: number[]) => (y[0] === 0 && y[1] === 1 ? 1 : 0);
    const J = exactObjective(policyOf(model, theta), 3, [prompt], 2, reward);
    const q = Math.exp(3) / (Math.exp(3) + 2);
    expectClose(J, q * q, ACCURACY, "J");
    // every response's probabilities sum to one
    const total = allResponses(3, 2).reduce((s, y) => s + Math.exp(impl.sequenceLogProb(model, theta, prompt, y)), 0);
    expectClose(total, 1, ACCURACY, "Σ_y exp(sequenceLogProb(y))");

    const n = 4000;
    const rng = testRng(ctx, "sampler");
    const good = Float64Array.from(
      callMany(
        "sampleSequence",
        Array.from({ length: n }, () => [model, theta, prompt, 2, rng]),
      ),
      (y) => reward(prompt, y),
    );
    expectMean(ctx, good, J, { width: 1, label: "sampled reward" });

    // the control: A_t ~ πθ(·|S_0) for every t; its exact J is q·P(1 | [0,1]) = q·(1/(e³+2))
    const rng2 = testRng(ctx, "control");
    const p0 = impl.lmPolicy(model, theta, prompt);
    const wrong = Float64Array.from({ length: n }, () => {
      const y = [0, 0].map(() => {
        const u = rng2();
        return u < p0[0] ? 0 : u < p0[0] + p0[1] ? 1 : 2;
      });
      return reward(prompt, y);
    });
    const Jwrong = q * (1 / (Math.exp(3) + 2));
    expectRejected(ctx, wrong, J, Jwrong - J, { width: 1, label: "unshifted sampler" });
  });
});
