/**
 * Edges of the episodic code that no claim reaches: the enumerator's size guard, the parameter
 * dimension of a problem whose features hold no vectors, and the trainer's refusal of an estimator it
 * does not know (a JavaScript caller is not held to the type).
 */
import { describe, expect, it } from "vitest";
import { enumerateEpisodes } from "../../measure/total-return/enumerate.ts";
import { problemShape } from "../../src/core/shapes.ts";
import { stream } from "../../src/contract/random.ts";
import { problemErrors } from "../../src/total-return/problem.ts";
import { trainEpisodic } from "../../src/total-return/train.ts";
import type { EpisodicProblem, TrainOptions } from "../../src/total-return/types.ts";

/** One state that every action keeps, two actions, horizon 3: 2³ = 8 episodes, each of probability ⅛ at π uniform. */
const loop: EpisodicProblem = {
  mdp: { P: [[[1], [1]]], r: [[1, 0]] },
  horizon: 3,
  initial: [1],
};
const uniform = [[0.5, 0.5]];

describe("enumerateEpisodes(p, π, limit)", () => {
  it("lists all 2³ episodes, of probability ⅛ each, and refuses a limit below their number", () => {
    const all = enumerateEpisodes(loop, uniform, 8);
    expect(all).toHaveLength(8);
    expect(all.every((e) => e.prob === 0.125)).toBe(true);
    expect(() => enumerateEpisodes(loop, uniform, 7)).toThrow(/more than 7 episodes/);
  });

  it("leaves out the actions of probability 0: a deterministic policy has one episode", () => {
    const one = enumerateEpisodes(loop, [[1, 0]], 1);
    expect(one).toEqual([{ episode: { states: [0, 0, 0, 0], actions: [0, 0, 0], rewards: [1, 1, 1] }, prob: 1 }]);
  });
});

describe("problemShape(p)", () => {
  it("gives d = S·A for a tabular policy, the vector length for features, and 0 when there is no vector", () => {
    expect(problemShape(loop)).toEqual({ S: 1, A: 2, d: 2 });
    expect(
      problemShape({
        ...loop,
        features: [
          [
            [1, 0, 2],
            [0, 1, 2],
          ],
        ],
      }).d,
    ).toBe(3);
    expect(problemShape({ ...loop, features: [[]] }).d).toBe(0);
    expect(problemShape({ ...loop, features: [] }).d).toBe(0);
  });
});

describe("problemErrors(p)", () => {
  it("refuses a problem whose states have no actions, at P[0]", () => {
    const none = { mdp: { P: [[]], r: [[]] }, horizon: 1, initial: [1] } as EpisodicProblem;
    expect(problemErrors(none)).toEqual(["$.mdp.P[0]: must be a non-empty array of actions"]);
  });
});

describe("trainEpisodic(p, o, rng)", () => {
  it("refuses an estimator it does not know, naming it", () => {
    const o = { estimator: "sideways", episodes: 1, stepSize: 0.1 } as unknown as TrainOptions;
    expect(() => trainEpisodic(loop, o, stream("x"))).toThrow(/unknown estimator "sideways"/);
  });
});
