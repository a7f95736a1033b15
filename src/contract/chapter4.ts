/**
 * Chapter 4's contract: REINFORCE for a small autoregressive language model (notes §3.2, eqs. (29)–(30),
 * Figure 3).
 *
 * Conventions shared by every member:
 * - A model is `{ vocab: V, window: N }`. A state (context window) is an array of N token ids in
 *   0 … V−1, position 0 the oldest token; an action is the next token.
 * - θ is a Float64Array of length V + N·V² laid out as θ[a] = b[a] (bias of next token a) and
 *   θ[V + (i·V + v)·V + a] = W[i][v][a] (token v at window position i, next token a), and
 *   πθ(a | s) = softmax_a(b[a] + Σᵢ W[i][sᵢ][a]). No other features.
 * - A prompt is the initial window S_0; a response is the tokens A_0 … A_{T−1}; the window moves by
 *   S_{t+1} = (S_t without its oldest token) followed by A_t.
 * - Functions are pure (fresh arrays, inputs untouched); randomness only through the injected `rng`.
 * - Accuracy (src/contract/accuracy.ts): every number returned — probabilities, log-probabilities,
 *   scores, advantages, updates, θ after training, held-out success — must lie within ACCURACY (1e-9
 *   relative plus 1e-12 absolute) of the exact value, for the checks' instances (coefficients up to a
 *   few units, rewards of order one, groups whose rewards are equal or spread by more than 1e-3). The
 *   checks compare at that tolerance (twice it where two results of the implementation must agree),
 *   gradients against finite differences at 1e-7 + 1e-5·|g| (which asks of ln π an accuracy near
 *   float64 rounding, about 1e-13), and sums that cancel to zero by ACCURACY of the terms' sizes.
 *   One check is stricter by design: RLOO on ±1 verdicts at step α against 0/1 verdicts at 2α (and the
 *   normalized rule on both at α) must agree to 1e-12 relative, an identity any linear implementation
 *   meets to rounding.
 */
import type { Rng } from "./random.ts";
import type { GroupBaseline } from "../language-models/advantages.ts";
import type { LmModel } from "../language-models/model.ts";
import type { LmTrainConfig, LmTrainResult } from "../language-models/train.ts";
import type { NetShape } from "../language-models/network/shape.ts";

export type { GroupBaseline, LmModel, LmTrainConfig, LmTrainResult, NetShape };
export type { VerifiableTask } from "../language-models/task.ts";

export interface Chapter4 {
  /** The number of parameters V + N·V² of the model. */
  lmParamCount(model: LmModel): number;

  /** πθ(· | s): the next-token distribution given the window s (a probability vector of length V), to ACCURACY. */
  lmPolicy(model: LmModel, theta: Float64Array, window: ArrayLike<number>): Float64Array;

  /** The transition of §3.2: drop the oldest token of the window, append `token`. */
  nextWindow(window: ArrayLike<number>, token: number): number[];

  /** ∇θ ln πθ(token | window), a vector of length V + N·V² (checked by finite differences, at their tolerance). */
  tokenScore(model: LmModel, theta: Float64Array, window: ArrayLike<number>, token: number): Float64Array;

  /** ln πθ(A_0 … A_{T−1} | S_0) = Σ_t ln πθ(A_t | S_t) along the shifted windows, to ACCURACY (and near rounding, for finite differences). */
  sequenceLogProb(model: LmModel, theta: Float64Array, prompt: ArrayLike<number>, tokens: ArrayLike<number>): number;

  /**
   * Eq. (29) with a terminal reward: the response's score Σ_t ∇θ ln πθ(A_t | S_t), each term at its own
   * window S_t. Must equal the gradient of `sequenceLogProb` in θ, each component to ACCURACY.
   */
  sequenceScore(
    model: LmModel,
    theta: Float64Array,
    prompt: ArrayLike<number>,
    tokens: ArrayLike<number>,
  ): Float64Array;

  /** Sample a response of `length` tokens, A_t ~ πθ(· | S_t); P(response) must equal exp(sequenceLogProb). */
  sampleSequence(model: LmModel, theta: Float64Array, prompt: ArrayLike<number>, length: number, rng: Rng): number[];

  /**
   * The advantages A_1 … A_G of one group of rewards under a baseline:
   * "none" r_g; "running" r_g − `running` (the average of earlier rewards, B_0 = 0); "rloo"
   * r_g − mean of the other G−1 rewards; "mean" r_g − mean of all G; "normalized" (r_g − mean)/std with
   * the population std √((1/G)Σ(r_j − mean)²), and every A_g = 0 when all rewards are equal.
   * Each advantage to ACCURACY (for "normalized", on groups spread by more than 1e-3).
   */
  groupAdvantages(rewards: ArrayLike<number>, baseline: GroupBaseline, running?: number): Float64Array;

  /** Eqs. (29)–(30): ĝ = (1/G) Σ_g A_g · sequenceScore(response g), for G responses to one prompt; each component to ACCURACY. */
  groupGradient(
    model: LmModel,
    theta: Float64Array,
    prompt: ArrayLike<number>,
    responses: ArrayLike<number>[],
    advantages: ArrayLike<number>,
  ): Float64Array;

  /**
   * REINFORCE training on a verifiable task: per update, draw a training prompt uniformly, sample G
   * responses, step θ by α·groupGradient under the baseline; measure held-out success (mean over
   * held-out prompts of πθ(answer | prompt)) every `evalEvery` episodes and stop at `target`.
   * Draw order (so a run can be replayed): θ_0's entries N(0, initScale²) (no draws when initScale is 0),
   * then per update the prompt index ⌊u·|train|⌋ from one uniform, then the G responses in order as
   * `sampleSequence` draws them. The "running" baseline B is the mean of all earlier rewards (B_0 = 0).
   * θ and each held-out success to ACCURACY of the same loop computed exactly on the same draws.
   */
  trainLm(config: LmTrainConfig, rng: Rng): LmTrainResult;

  /**
   * The neural policy (§3.2's "weights and biases of the network"), a decoder-only transformer in
   * miniature with shape { vocab: V, window: N, width: d, hidden: m, layers: L }. θ is one Float64Array
   * of blocks in this order, each matrix row-major (W[r][c] at offset + r·cols + c, rows = outputs):
   * tokenEmbed E (V × d), posEmbed P (N × d); for each layer l = 0 … L−1: query Wq, key Wk, value Wv,
   * out Wo (each d × d), mlpIn W₁ (m × d), mlpInBias b₁ (m), mlpOut W₂ (d × m), mlpOutBias b₂ (d); then
   * unembed U (V × d) and unembedBias c (V). The computation, for a window s₀ … s_{N−1}:
   *   x⁰ᵢ = E[sᵢ] + P[i];
   *   per layer: qᵢ = Wq xᵢ, kᵢ = Wk xᵢ, vᵢ = Wv xᵢ; aᵢⱼ = softmax over j ≤ i of qᵢ·kⱼ/√d (causal: position
   *   i never sees j > i); hᵢ = xᵢ + Wo Σ_{j≤i} aᵢⱼ vⱼ; x'ᵢ = hᵢ + W₂ tanh(W₁ hᵢ + b₁) + b₂;
   *   logits = U x^L_{N−1} + c (the newest position), πθ(· | s) = softmax(logits).
   * Accuracy as above; the checks use widths up to 8, weights of the sizes of an initialized and of a
   * trained network, and compare scores with finite differences at 1e-7 + 1e-5·|g|.
   */
  netParamCount(shape: NetShape): number;

  /** πθ(· | window) for the network: a probability vector of length V, to ACCURACY. */
  netPolicy(shape: NetShape, theta: Float64Array, window: ArrayLike<number>): Float64Array;

  /** ∇θ ln πθ(token | window) through the network (backpropagation), a vector of length netParamCount. */
  netTokenScore(shape: NetShape, theta: Float64Array, window: ArrayLike<number>, token: number): Float64Array;

  /** ln πθ(A_0 … A_{T−1} | S_0) for the network, along the shifted windows. */
  netSequenceLogProb(
    shape: NetShape,
    theta: Float64Array,
    prompt: ArrayLike<number>,
    tokens: ArrayLike<number>,
  ): number;

  /** Eq. (29) for the network: Σ_t ∇θ ln πθ(A_t | S_t), each term at its own window; the gradient of netSequenceLogProb. */
  netSequenceScore(
    shape: NetShape,
    theta: Float64Array,
    prompt: ArrayLike<number>,
    tokens: ArrayLike<number>,
  ): Float64Array;
}

export const CHAPTER4_FUNCTIONS = [
  "lmParamCount",
  "lmPolicy",
  "nextWindow",
  "tokenScore",
  "sequenceLogProb",
  "sequenceScore",
  "sampleSequence",
  "groupAdvantages",
  "groupGradient",
  "trainLm",
  "netParamCount",
  "netPolicy",
  "netTokenScore",
  "netSequenceLogProb",
  "netSequenceScore",
] as const satisfies readonly (keyof Chapter4)[];
