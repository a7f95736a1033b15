/**
 * Unit tests of the symbolic oracle (measure/symbolic.ts): mathjs's derivatives of the Gibbs policy's
 * functions against derivatives computed by hand at points where the policy's probabilities are simple.
 */
import { evaluate } from "mathjs";
import { describe, expect, it } from "vitest";
import {
  averageRewardExpression,
  gibbsLogProbExpression,
  gibbsOracle,
  gibbsProbExpression,
  symbolicGradient,
} from "../../measure/symbolic.ts";

const close = (x: ArrayLike<number>, want: number[]) => {
  expect(x.length).toBe(want.length);
  want.forEach((w, i) => expect(x[i]).toBeCloseTo(w, 14));
};

describe("symbolicGradient", () => {
  it("differentiates x²y in x and y: (2xy, x²) = (12, 9) at (3, 2)", () => {
    const g = symbolicGradient("x^2 * y", ["x", "y"]);
    close(g.at({ x: 3, y: 2 }), [12, 9]);
    // the derivatives' text is mathjs's own (unsimplified), so it is checked by its value, not its spelling
    expect(g.derivatives).toHaveLength(2);
    close(
      g.derivatives.map((d) => evaluate(d, { x: 3, y: 2 }) as number),
      [12, 9],
    );
  });

  it("differentiates ln(e^a + e^b) into the softmax: (¼, ¾) at (a, b) = (0, ln 3)", () => {
    close(symbolicGradient("log(exp(a) + exp(b))", ["a", "b"]).at({ a: 0, b: Math.log(3) }), [0.25, 0.75]);
  });
});

describe("gibbsOracle", () => {
  it("writes (2), (3) and (7) over t0 … t{k−1} and r0 … r{k−1}", () => {
    expect(gibbsProbExpression(3, 1)).toBe("exp(t1) / (exp(t0) + exp(t1) + exp(t2))");
    expect(gibbsLogProbExpression(2, 0)).toBe("t0 - log(exp(t0) + exp(t1))");
    expect(averageRewardExpression(2)).toBe("(r0 * exp(t0) + r1 * exp(t1)) / (exp(t0) + exp(t1))");
  });

  it("k = 2 at θ = (0, ln 3), where π = (¼, ¾): score, ∇π and ∇λ by hand", () => {
    const o = gibbsOracle(2);
    const theta = [0, Math.log(3)];
    // ln π(0) = θ0 − ln(e^θ0 + e^θ1): ∂/∂θ0 = 1 − π(0) = ¾, ∂/∂θ1 = −π(1) = −¾
    close(o.score(theta, 0), [0.75, -0.75]);
    // ln π(1): ∂/∂θ0 = −π(0) = −¼, ∂/∂θ1 = 1 − π(1) = ¼
    close(o.score(theta, 1), [-0.25, 0.25]);
    // π(0) = e^θ0/Σ: ∂/∂θ0 = π0(1 − π0) = 3/16, ∂/∂θ1 = −π0π1 = −3/16
    close(o.policyGradient(theta, 0), [3 / 16, -3 / 16]);
    // λ = π0 r0 + π1 r1 with r = (1, −1): ∂/∂θ0 = π0π1(r0 − r1) = (3/16)·2 = 3/8
    close(o.averageRewardGradient(theta, [1, -1]), [0.375, -0.375]);
  });

  it("k = 3 at θ = 0 (π uniform): the score of action 2 is (−⅓, −⅓, ⅔); ∇λ = ⅓(r − r̄)", () => {
    const o = gibbsOracle(3);
    close(o.score([0, 0, 0], 2), [-1 / 3, -1 / 3, 2 / 3]);
    // r = (3, 0, 0): r̄ = 1, so ∇λ = ⅓(2, −1, −1)
    close(o.averageRewardGradient([0, 0, 0], [3, 0, 0]), [2 / 3, -1 / 3, -1 / 3]);
  });

  it("refuses an action that is not one of 0 … k − 1, and a θ or r of the wrong length", () => {
    const o = gibbsOracle(2);
    for (const a of [2, -1, 0.5, NaN]) expect(() => o.score([0, 0], a), `a = ${a}`).toThrow(/no action/);
    expect(() => o.policyGradient([0, 0], 2)).toThrow(/no action 2/);
    expect(() => o.score([0, 0, 0], 0)).toThrow(/θ has 3 entries/);
    expect(() => o.averageRewardGradient([0, 0], [1])).toThrow(/r has 1 entries/);
  });

  it("k = 1: ln π ≡ 0, so every derivative is 0", () => {
    close(gibbsOracle(1).score([2.5], 0), [0]);
  });

  it("refuses a bad k, θ or r of the wrong length, and an action out of range", () => {
    expect(() => gibbsOracle(0)).toThrow(/positive integer/);
    expect(() => gibbsOracle(2.5)).toThrow(/positive integer/);
    const o = gibbsOracle(2);
    expect(() => o.score([0, 0, 0], 0)).toThrow(/θ has 3 entries/);
    expect(() => o.averageRewardGradient([0, 0], [1])).toThrow(/r has 1 entries/);
    expect(() => o.score([0, 0], 2)).toThrow(/no action 2/);
  });
});
