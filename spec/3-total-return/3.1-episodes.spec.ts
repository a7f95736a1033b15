/**
 * Chapter 3, §3.1 "Episodes and their total return" (notes §3.1): J(θ) by forward propagation of the state
 * distribution, the policy and its score, and the time-indexed action values Q_t, V_t by backward induction,
 * each against every enumerated episode; and the chapter's example problems, field by field.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactExpectation } from "../../measure/total-return/enumerate.ts";
import { checkedAnswer, repeatedChoice, stopOrPlay } from "../../measure/total-return/examples.ts";
import { numericGradient } from "../../measure/stats/finite-diff.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { enumerate, FD, gibbsTable, returnFrom } from "./tools.ts";

describe("3.1 Episodes and their total return", () => {
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
          const marg = problem.mdp.P.map((_, s) =>
            exactExpectation(list, (ep) => (ep.states[Math.min(t, ep.states.length - 1)] === s ? 1 : 0)),
          );
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
              expectClose(
                Q[t][s],
                new Float64Array(problem.mdp.P[0].length),
                ACCURACY,
                `Q_${t}(${s}, ·) in a terminal state`,
              );
              continue;
            }
            const at = (ep: { states: number[]; actions: number[] }) => ep.actions.length > t && ep.states[t] === s;
            const ps = exactExpectation(list, (ep) => (at(ep) ? 1 : 0));
            expectClose(
              ps * V[t][s],
              exactExpectation(list, (ep) => (at(ep) ? returnFrom(ep, t) : 0)),
              ACCURACY,
              `P(S_${t} = ${s})·V_${t}(${s})`,
            );
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

  it("[eq 28] episodicPolicy and episodicScore: Gibbs probabilities per state, score = finite differences of ln π(a|s)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(problemArb({ maxS: 3, maxA: 4 }), fc.nat(), fc.nat(), ({ problem, theta }, si, ai) => {
        const s = si % problem.mdp.P.length;
        const a = ai % problem.mdp.P[0].length;
        expectClose(impl.episodicPolicy(problem, theta, s), gibbsTable(problem, theta)[s], ACCURACY, `π(·|${s})`);
        const fd = numericGradient((th) => Math.log(impl.episodicPolicy(problem, th, s)[a]), theta);
        expectClose(
          fd,
          impl.episodicScore(problem, theta, s, a),
          FD,
          "finite differences of ln π against episodicScore",
        );
      }),
      { implements: ["episodicPolicy", "episodicScore"] },
    );
  });
});

describe("3.1 The chapter's examples are the problems their descriptions state", () => {
  const oneHot = (S: number, s: number) => Array.from({ length: S }, (_, k) => (k === s ? 1 : 0));

  it("[eq 29] repeated choice and stop-or-play, field by field: one state paying 1 or 0; play 0.5 or stop 1 into the absorbing terminal state", (ctx) => {
    claim(ctx, "exact");
    expect(repeatedChoice()).toEqual({
      mdp: { P: [[[1], [1]]], r: [[1, 0]], stateNames: ["s"], actionNames: ["pay", "skip"] },
      horizon: 3,
      initial: [1],
    });
    expect(repeatedChoice(5).horizon).toBe(5);
    // playing = 0, done = 1: "play" stays in playing, "stop" moves to done, and done is absorbing
    const to = (s: number) => oneHot(2, s);
    expect(stopOrPlay()).toEqual({
      mdp: {
        P: [
          [to(0), to(1)],
          [to(1), to(1)],
        ],
        r: [
          [0.5, 1],
          [0, 0],
        ],
        stateNames: ["playing", "done"],
        actionNames: ["play", "stop"],
      },
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
        r: [
          [0, 0],
          [0, 0],
          [0, 1],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
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
        const want = Array.from({ length: n + 1 }, (_, t) =>
          t === n ? "end" : miss < 0 || t <= miss ? `on${t}` : `off${t}`,
        );
        expect(path).toEqual(want);
        expect(episode.rewards).toEqual(Array.from({ length: n }, (_, t) => (t === n - 1 && miss < 0 ? 1 : 0)));
      }
      // the end state is absorbing whatever the action, and pays nothing
      expect(p.mdp.P[2 * n - 1]).toEqual([oneHot(2 * n, 2 * n - 1), oneHot(2 * n, 2 * n - 1)]);
      expect(p.mdp.r[2 * n - 1]).toEqual([0, 0]);
    }
  });
});
