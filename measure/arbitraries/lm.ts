/**
 * Random tiny language models for chapter 4's property checks, built on the book's arbitraries
 * (./index.ts): coefficient vectors θ of a few units, prompts and responses, reward tables, directions
 * for finite differences, and groups of rewards.
 */
import fc from "fast-check";
import type { LmModel } from "../../src/contract/chapter4.ts";
import { allResponses } from "../language-models/exact.ts";
import { real, reward, vector } from "./index.ts";

/**
 * One coefficient of θ (a bias b[a] or a weight W[i][v][a]), uniform on [−3, 3]. A logit adds up to
 * N + 1 ≤ 4 of them, so next-token probabilities range from nearly uniform to ratios of about e^24.
 */
export const lmCoefficient = (): fc.Arbitrary<number> => real(-3, 3);

/** A coefficient vector of length d. */
export const lmCoefficients = (d: number): fc.Arbitrary<Float64Array> => vector(lmCoefficient(), d);

/** A tiny model with θ, a prompt and a response. */
export interface TinyLm {
  model: LmModel;
  theta: Float64Array;
  prompt: number[];
  tokens: number[];
}

/** Vocabulary 2–3, window 1–3, a response of minT–3 tokens, θ by `lmCoefficients`, tokens uniform. */
export function tinyLm(minT = 1): fc.Arbitrary<TinyLm> {
  return fc
    .record({
      V: fc.integer({ min: 2, max: 3 }),
      N: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: minT, max: 3 }),
    })
    .chain(({ V, N, T }) =>
      fc.record({
        model: fc.constant({ vocab: V, window: N }),
        theta: lmCoefficients(V + N * V * V),
        prompt: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: N, maxLength: N }),
        tokens: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: T, maxLength: T }),
      }),
    );
}

/**
 * A direction v for a directional derivative: each component ±(0.5 … 1.5), so every coordinate moves
 * at a comparable rate and none is left out.
 */
export function direction(d: number): fc.Arbitrary<Float64Array> {
  return vector(
    fc.tuple(real(0.5, 1.5), fc.boolean()).map(([m, s]) => (s ? m : -m)),
    d,
  );
}

/** A tiny multi-prompt problem: P prompts, every response of length T, a reward table per prompt. */
export interface LmProblem {
  model: LmModel;
  theta: Float64Array;
  prompts: number[][];
  T: number;
  /** Every response of length T, in allResponses order. */
  ys: number[][];
  /** reward[p][i]: the reward of response ys[i] to prompt p. */
  reward: number[][];
}

/**
 * A problem with vocabulary in `V`, window 1–2, horizon in `T`, `P` prompts and rewards uniform on
 * [0, 1] (or verdicts 0/1 when `binary`), θ by `lmCoefficients`.
 */
export function lmProblem(o: { V: number[]; T: number[]; P: number; binary: boolean }): fc.Arbitrary<LmProblem> {
  return fc
    .record({ V: fc.constantFrom(...o.V), N: fc.integer({ min: 1, max: 2 }), T: fc.constantFrom(...o.T) })
    .chain(({ V, N, T }) => {
      const ys = allResponses(V, T);
      const verdict = o.binary ? fc.constantFrom(0, 1) : real(0, 1);
      return fc.record({
        model: fc.constant({ vocab: V, window: N }),
        theta: lmCoefficients(V + N * V * V),
        prompts: fc.array(fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: N, maxLength: N }), {
          minLength: o.P,
          maxLength: o.P,
        }),
        T: fc.constant(T),
        ys: fc.constant(ys),
        reward: fc.array(fc.array(verdict, { minLength: ys.length, maxLength: ys.length }), {
          minLength: o.P,
          maxLength: o.P,
        }),
      });
    });
}

/**
 * The rewards of one group of 2–8 responses: either all equal (a group that carries no update under
 * the normalized rule) or each uniform on [−3, 3].
 */
export function groupRewards(): fc.Arbitrary<number[]> {
  return fc.oneof(
    {
      weight: 1,
      arbitrary: fc.tuple(reward(), fc.integer({ min: 2, max: 8 })).map(([r, G]) => new Array<number>(G).fill(r)),
    },
    { weight: 4, arbitrary: fc.array(reward(), { minLength: 2, maxLength: 8 }) },
  );
}
