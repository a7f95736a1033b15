/**
 * Stage one: supervised next-token pretraining (teacher forcing). Each step draws a batch of (prompt,
 * response) pairs from a corpus and ascends the mean of ln πθ(response | prompt) = Σ_t ln πθ(A_t | S_t)
 * with Adam.
 */
import type { Rng } from "../../contract/random.ts";
import { logSoftmaxAt } from "../../core/distributions.ts";
import { windowsAlong } from "../sequence.ts";
import { adamAscend, adamState } from "./adam.ts";
import { netForward } from "./forward.ts";
import { addNetTokenScore } from "./score.ts";
import type { NetShape } from "./shape.ts";

/** One example of the corpus: a prompt window and the response that follows it. */
export interface Example {
  prompt: number[];
  tokens: number[];
}

export interface PretrainConfig {
  shape: NetShape;
  /** Draws one example; every draw comes from the rng it is given. */
  corpus: (rng: Rng) => Example;
  /** Number of Adam steps, examples per step, and Adam's rate. */
  steps: number;
  batch: number;
  rate: number;
}

export interface PretrainResult {
  theta: Float64Array;
  /** The mean negative log-likelihood per token of each step's batch (before the step). */
  loss: number[];
}

/** Pretrain θ (updated in place from the given θ_0's copy); the corpus's draws come from `rng`. */
export function pretrain(config: PretrainConfig, theta0: Float64Array, rng: Rng): PretrainResult {
  const theta = Float64Array.from(theta0);
  const state = adamState(theta.length);
  const g = new Float64Array(theta.length);
  const loss: number[] = [];
  for (let s = 0; s < config.steps; s++) {
    g.fill(0);
    let nll = 0;
    let count = 0;
    for (let b = 0; b < config.batch; b++) {
      const { prompt, tokens } = config.corpus(rng);
      const ws = windowsAlong(prompt, tokens);
      for (let t = 0; t < tokens.length; t++) {
        const trace = netForward(config.shape, theta, ws[t]);
        nll -= logSoftmaxAt(trace.logits, tokens[t]);
        count++;
        addNetTokenScore(theta, trace, tokens[t], 1 / config.batch, g);
      }
    }
    loss.push(nll / count);
    adamAscend(theta, g, state, { rate: config.rate });
  }
  return { theta, loss };
}
