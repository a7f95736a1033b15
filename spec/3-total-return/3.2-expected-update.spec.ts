/**
 * Chapter 3, §3.2 "The update and its expectation" (notes §3.1, eq. (28)): the expected update equals ∇J,
 * against finite differences of J (with the h² law of their error) and by averaging update28 over every episode.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactMoments } from "../../measure/total-return/enumerate.ts";
import { stopOrPlay } from "../../measure/total-return/examples.ts";
import { errorRatio, numericGradient } from "../../measure/stats/finite-diff.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { BOTH, enumerate, FD, type EpisodicProblem } from "./tools.ts";

describe("3.2 The update and its expectation (28)", () => {
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
    const problem: EpisodicProblem = {
      ...stopOrPlay(5),
      features: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ],
    };
    const theta = Float64Array.from([0.3, -0.2]);
    const g = impl.expectedUpdate(problem, theta);
    const v = Float64Array.from([0.6, 0.8]);
    const ratio = errorRatio((th) => impl.totalReturn(problem, th), theta, v, g[0] * v[0] + g[1] * v[1]);
    claim(ctx, "exact", { facts: { errorRatio: ratio } });
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
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
});
