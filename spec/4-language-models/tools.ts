/**
 * Chapter 4's measuring tools (notes §3.2), shared by its spec files: the tolerances, the policy and score
 * of the windowed model recomputed from its documented layout, J(θ) by enumeration of every response, and the
 * exact expected update of a group rule, summed over every group of G responses (measure/language-models/exact.ts).
 */
import type { GroupBaseline, LmModel, VerifiableTask } from "../../src/contract/chapter4.ts";
import type { Rng } from "../../src/contract/random.ts";
import { exactObjective, expectOverGroups, responseProbability } from "../../measure/language-models/exact.ts";
import { copyTask } from "../../measure/language-models/tasks.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import type { LmProblem } from "../../measure/arbitraries/lm.ts";
import { expectClose } from "../../measure/close.ts";
import { callMany, impl } from "../support/impl.ts";
import { norm } from "../support/vectors.ts";

export type Problem = LmProblem;

/**
 * Tolerances. A result of the implementation against an exact value: the contract's ACCURACY. Two
 * results of the implementation that must agree: each may be off by ACCURACY, so twice that. Finite
 * differences against an analytic gradient: the book's FD tolerance 1e-7 + 1e-5·|analytic|.
 */
export const BOTH = { rel: 2 * ACCURACY.rel, abs: 2 * ACCURACY.abs } as const;
export const FD = { rel: 1e-5, abs: 1e-7 } as const;

/** A measuring tool: πθ(·|s) as model.ts documents it, logit(a|s) = θ[a] + Σᵢ θ[V + (i·V + sᵢ)·V + a], then softmax. */
export const documentedPolicy = (model: LmModel, theta: Float64Array) => (w: number[]) => {
  const V = model.vocab;
  const z = Array.from(
    { length: V },
    (_, a) => theta[a] + w.reduce((acc, v, i) => acc + theta[V + (i * V + v) * V + a], 0),
  );
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((acc, x) => acc + x, 0);
  return e.map((x) => x / s);
};

/** A measuring tool: ∇θ ln πθ(a|w) literally, 1[c = a] − π(c|w) on the bias b[c] and on each W[i][wᵢ][c]. */
export function documentedScore(model: LmModel, theta: Float64Array, w: number[], a: number): Float64Array {
  const V = model.vocab;
  const pi = documentedPolicy(model, theta)(w);
  const out = new Float64Array(theta.length);
  for (let c = 0; c < V; c++) {
    const e = (c === a ? 1 : 0) - pi[c];
    out[c] = e;
    w.forEach((v, i) => (out[V + (i * V + v) * V + c] += e));
  }
  return out;
}

export const policyOf = (model: LmModel, theta: Float64Array) => (w: number[]) => impl.lmPolicy(model, theta, w);

/**
 * One group in the training loop's documented draw order: a training prompt (one draw from `rng`), then G
 * responses to it sampled by the implementation from the same `rng` (one batch through callMany).
 */
export function drawGroup(
  task: VerifiableTask,
  theta: Float64Array,
  G: number,
  rng: Rng,
): { prompt: number[]; ys: number[][] } {
  const prompt = task.train[Math.floor(rng() * task.train.length)];
  const ys = callMany(
    "sampleSequence",
    Array.from({ length: G }, () => [task.model, theta, prompt, task.length, rng]),
  );
  return { prompt, ys };
}
export { norm };
export const sub = (a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from(a, (x, i) => x - b[i]);
export const scale = (a: ArrayLike<number>, c: number) => Float64Array.from(a, (x) => c * x);

/** J(θ) = E[R_T] of a problem, by enumerating every response to every prompt with the implementation's policy. */
export function objective(pr: Problem) {
  return (theta: Float64Array) =>
    exactObjective(
      policyOf(pr.model, theta),
      pr.model.vocab,
      pr.prompts,
      pr.T,
      (p, y) => pr.reward[pr.prompts.indexOf(p)][indexOf(pr.ys, y)],
    );
}
function indexOf(ys: number[][], y: number[]): number {
  return ys.findIndex((r) => r.every((x, i) => x === y[i]));
}

/** Advantages of a group's rewards by `groupAdvantages(credit(r), baseline, running)` (credit: which reward each response gets). */
export interface AdvantageRule {
  baseline: GroupBaseline;
  running?: number;
  credit?: (rewards: number[]) => number[];
}

/** The exact expected update E[ĝ] over a uniformly drawn prompt and G responses to it, with their mean absolute values. */
export function expectedUpdate(pr: Problem, G: number, rule: AdvantageRule): Float64Array & { absMean: Float64Array } {
  const d = pr.theta.length;
  // absMean: E|ĝᵢ|, the scale of the terms summed, which sizes the tolerance of a sum that cancels to 0
  const out = Object.assign(new Float64Array(d), { absMean: new Float64Array(d) });
  for (let p = 0; p < pr.prompts.length; p++) {
    const probs = pr.ys.map((y) => responseProbability(policyOf(pr.model, pr.theta), pr.prompts[p], y));
    // every group of positive probability, in the enumeration's order; their gradients in one batch
    const groups: number[][] = [];
    expectOverGroups(probs, G, 0, (idx) => (groups.push(idx.slice()), []));
    const credit = rule.credit ?? ((r: number[]) => r);
    const advantages = callMany(
      "groupAdvantages",
      groups.map(
        (idx) =>
          [
            credit(idx.map((i) => pr.reward[p][i])),
            rule.baseline,
            ...(rule.running === undefined ? [] : [rule.running]),
          ] as [number[], GroupBaseline, number?],
      ),
    );
    const grads = callMany(
      "groupGradient",
      groups.map((idx, k) => [pr.model, pr.theta, pr.prompts[p], idx.map((i) => pr.ys[i]), advantages[k]]),
    );
    let next = 0;
    const e = expectOverGroups(probs, G, d, () => grads[next++]);
    next = 0;
    const a = expectOverGroups(probs, G, d, () => Float64Array.from(grads[next++], Math.abs));
    for (let i = 0; i < d; i++) {
      out[i] += e[i] / pr.prompts.length;
      out.absMean[i] += a[i] / pr.prompts.length;
    }
  }
  return out;
}

/** The copy task (3 tokens, 2 symbols) with partial credit: R_T is the share of tokens that match the answer. */
export function partialCreditCopyTask() {
  const base = copyTask(3, 2, { failReward: -1 });
  const reward = (p: ArrayLike<number>, y: ArrayLike<number>) => {
    const want = base.answer(p);
    let hits = 0;
    for (let t = 0; t < want.length; t++) if (y[t] === want[t]) hits++;
    return hits / want.length;
  };
  return { ...base, reward };
}

/** An expected update computed by enumeration against finite differences of J, at the FD tolerance (relative to |fd|). */
export function expectFd(
  update: ArrayLike<number>,
  fd: ArrayLike<number>,
  what = "expected update against finite differences of J",
): void {
  expectClose(update, fd, FD, what);
}
