/**
 * Exact measuring tools for tiny language models (the book's own, never behind the seam): every
 * response of a small vocabulary and horizon with its probability, the objective J(θ) = E[R_T], and
 * the exact expectation of a group estimator by enumerating every G-tuple of responses.
 * The tools take the policy as a function of the window and move the window themselves, so they
 * check an implementation rather than repeat it.
 */
import { binomialPmf } from "../stats/binomial.ts";

/** A next-token distribution as a function of the window (e.g. `w => impl.lmPolicy(model, θ, w)`). */
export type WindowPolicy = (window: number[]) => ArrayLike<number>;

/** Every response of `length` tokens over a vocabulary of `vocab`, in lexicographic order. */
export function allResponses(vocab: number, length: number): number[][] {
  let out: number[][] = [[]];
  for (let t = 0; t < length; t++) out = out.flatMap((r) => Array.from({ length: vocab }, (_, a) => [...r, a]));
  return out;
}

/** P(response | prompt) = Π_t π(A_t | S_t), the window shifted here by dropping its first entry. */
export function responseProbability(
  policy: WindowPolicy,
  prompt: ArrayLike<number>,
  tokens: ArrayLike<number>,
): number {
  let w = Array.from(prompt);
  let p = 1;
  for (let t = 0; t < tokens.length; t++) {
    p *= policy(w)[tokens[t]];
    w = [...w.slice(1), tokens[t]];
  }
  return p;
}

/** J = (1/P) Σ_prompts Σ_responses P(response | prompt) · R(prompt, response), the expected terminal reward. */
export function exactObjective(
  policy: WindowPolicy,
  vocab: number,
  prompts: number[][],
  length: number,
  reward: (prompt: number[], tokens: number[]) => number,
): number {
  const ys = allResponses(vocab, length);
  let j = 0;
  for (const p of prompts) for (const y of ys) j += responseProbability(policy, p, y) * reward(p, y);
  return j / prompts.length;
}

/** Exact success: the mean over prompts of P(the accepted answer | prompt). */
export function exactSuccess(policy: WindowPolicy, prompts: number[][], answer: (p: number[]) => number[]): number {
  let s = 0;
  for (const p of prompts) s += responseProbability(policy, p, answer(p));
  return s / prompts.length;
}

/**
 * E[f(Y_1, …, Y_G)] for G independent responses with probabilities `probs` (over response indices),
 * by enumerating all |probs|^G tuples. `f` returns a vector; tuples of probability 0 are skipped.
 */
export function expectOverGroups(
  probs: ArrayLike<number>,
  G: number,
  dim: number,
  f: (idx: number[]) => ArrayLike<number>,
): Float64Array {
  const n = probs.length;
  const out = new Float64Array(dim);
  const idx = new Array<number>(G).fill(0);
  const total = n ** G;
  for (let k = 0; k < total; k++) {
    let rest = k;
    let w = 1;
    for (let g = 0; g < G; g++) {
      idx[g] = rest % n;
      rest = Math.floor(rest / n);
      w *= probs[idx[g]];
    }
    if (w === 0) continue;
    const v = f(idx);
    for (let i = 0; i < dim; i++) out[i] += w * v[i];
  }
  return out;
}

/**
 * Group normalization's prompt weight for binary rewards: with success probability p, group size G,
 * population std and zero advantage for all-equal groups, E[A_1 | r_1] = a(r_1) and the expected
 * update of the prompt is w_G(p)·∇J_p with w_G(p) = a(1) − a(0). Summed here over the number k of
 * successes among the other G − 1 responses, the advantage written out from its definition.
 */
export function normalizedPromptWeight(G: number, p: number): number {
  const adv = (own: number, k: number): number => {
    const succ = own + k;
    const mean = succ / G;
    const sd = Math.sqrt(mean * (1 - mean)); // population std of succ ones among G binary values
    return sd === 0 ? 0 : (own - mean) / sd;
  };
  let a1 = 0;
  let a0 = 0;
  for (let k = 0; k <= G - 1; k++) {
    const q = binomialPmf(k, G - 1, p);
    a1 += q * adv(1, k);
    a0 += q * adv(0, k);
  }
  return a1 - a0;
}
