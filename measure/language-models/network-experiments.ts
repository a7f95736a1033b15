/**
 * The network chapter's experiments: the tiny transformer pretrained on a related corpus, then trained by
 * REINFORCE on the target task. Every seed derives from a master seed by label; the arms of a comparison
 * share the pretrained network and the RL stream (common random numbers). The training code is handed in
 * (`NetworkTraining`, the reference's is src/language-models/network/training.ts): measure/ only decides what
 * is run, with which seeds.
 */
import { substream, type Seed } from "../../src/contract/random.ts";
import type { NetReinforceConfig, NetReinforceResult } from "../../src/language-models/network/reinforce.ts";
import type { NetworkTraining } from "../../src/language-models/network/training.ts";
import type { NetShape } from "../../src/language-models/network/shape.ts";
import { sortCorpus, sortTask } from "./sort-task.ts";
import type { VerifiableTask } from "./tasks.ts";

/** The chapter's network and its two training stages. */
export const NETWORK = {
  /** V = 8 symbols + END, SEP, PAD; N = 8 (prompt and response both fit); 4,683 parameters. */
  shape: { vocab: 11, window: 8, width: 16, hidden: 32, layers: 2 } satisfies NetShape,
  symbols: 8,
  /** Stage one: Adam steps, examples per step, Adam's rate, the corpus's share of correct answers. */
  pretrain: { steps: 2000, batch: 16, rate: 3e-3, correctShare: 0.1 },
  /** Stage two: responses per prompt, the budget, how often held-out success is measured, the target. */
  reinforce: { groupSize: 8, budget: 20_000, evalEvery: 80, target: 0.95 },
  /**
   * Adam's rate per baseline, chosen on the tuning seeds (label "tune") by `tuneStepSizes`: the rate of
   * {1e-3, 2e-3, 4e-3} with the smallest median episodes to the target over those seeds.
   */
  stepSize: { none: 2e-3, rloo: 2e-3, normalized: 2e-3 } as Record<"none" | "rloo" | "normalized", number>,
} as const;

/** The target task: reverse three distinct symbols out of eight, verdicts 1 (correct) and 0. */
export function networkTask(): VerifiableTask {
  return sortTask(NETWORK.symbols, NETWORK.shape.window, 0, "reverse");
}

/** Stage one from a seed: θ₀ by fan-in initialization, then next-token pretraining on the related corpus. */
export function pretrainedNetwork(
  t: NetworkTraining,
  seed: Seed,
  task = networkTask(),
): { theta0: Float64Array; theta: Float64Array; loss: number[] } {
  const p = NETWORK.pretrain;
  const theta0 = t.initNetwork(NETWORK.shape, substream(seed, "network", "init"));
  const res = t.pretrain(
    {
      shape: NETWORK.shape,
      corpus: sortCorpus(task, p.correctShare),
      steps: p.steps,
      batch: p.batch,
      rate: p.rate,
    },
    theta0,
    substream(seed, "network", "corpus"),
  );
  return { theta0, theta: res.theta, loss: res.loss };
}

/** The stage-two configuration under a baseline (with its tuned rate unless one is given). */
export function reinforceConfig(
  baseline: "none" | "rloo" | "normalized",
  task = networkTask(),
  overrides: Partial<NetReinforceConfig> = {},
): NetReinforceConfig {
  const r = NETWORK.reinforce;
  return {
    shape: NETWORK.shape,
    task,
    baseline,
    groupSize: r.groupSize,
    stepSize: NETWORK.stepSize[baseline],
    optimizer: "adam",
    episodes: r.budget,
    evalEvery: r.evalEvery,
    target: r.target,
    ...overrides,
  };
}

/** One stage-two run from the pretrained θ, its draws from substream(seed, "network", label, i). */
export function reinforceRun(
  t: NetworkTraining,
  seed: Seed,
  label: string,
  i: number,
  theta: Float64Array,
  config: NetReinforceConfig,
): NetReinforceResult {
  return t.netReinforce(config, theta, substream(seed, "network", label, i));
}

/** θ as text (base64 of its float64 bytes, little-endian), so a check can record the network it trained. */
export function encodeTheta(theta: Float64Array): string {
  return Buffer.from(theta.buffer, theta.byteOffset, theta.byteLength).toString("base64");
}

/** The inverse of `encodeTheta`; throws when the text is not a whole number of float64s. */
export function decodeTheta(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 8 !== 0) throw new RangeError(`θ's text decodes to ${bytes.length} bytes, not a multiple of 8`);
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The rates `tuneStepSizes` tries, and the seeds it tunes on (never the seeds the claims use). */
export const TUNING = { rates: [1e-3, 2e-3, 4e-3], seeds: 3, label: "tune" } as const;

/** One row of the tuning table: a baseline, a rate, and the episodes each tuning seed needed (null: not within the budget). */
export interface TuningRow {
  baseline: "none" | "rloo" | "normalized";
  rate: number;
  episodes: (number | null)[];
}

/**
 * The step-size tuning behind NETWORK.stepSize: for each baseline and rate, stage two from the network
 * pretrained under the tuning seed, on TUNING.seeds streams labelled "tune". Unreached runs count as
 * infinitely long when the rates are ranked by their median.
 */
export function tuneStepSizes(t: NetworkTraining, onRow: (row: TuningRow) => void = () => {}): TuningRow[] {
  const task = networkTask();
  const { theta } = pretrainedNetwork(t, TUNING.label, task);
  const rows: TuningRow[] = [];
  for (const baseline of ["none", "rloo", "normalized"] as const)
    for (const rate of TUNING.rates) {
      const episodes: (number | null)[] = [];
      for (let i = 0; i < TUNING.seeds; i++)
        episodes.push(
          reinforceRun(t, TUNING.label, baseline, i, theta, reinforceConfig(baseline, task, { stepSize: rate }))
            .episodesToTarget,
        );
      const row = { baseline, rate, episodes };
      rows.push(row);
      onRow(row);
    }
  return rows;
}

/** The median of episode counts, unreached (null) counting as +∞. */
export function medianEpisodes(xs: (number | null)[]): number {
  const s = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}
