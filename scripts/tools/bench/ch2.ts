/**
 * Chapter 2's benchmarks: the exact policy gradient (21) by direct solves on a random unichain MDP
 * with |S| = 100, |A| = 10 (tabular Gibbs policy, 1000 parameters), and the TD actor-critic
 * (24)–(27) in steps per second, on home/work and on the same large MDP.
 */
import { derive, fastStream, stream } from "../../../src/contract/random.ts";
import { randomUnichainMdp, homeWork } from "../../../measure/average-return/examples.ts";
import { policyGradient } from "../../../src/average-return/exact.ts";
import { runActorCritic } from "../../../src/average-return/td.ts";
import type { Mdp } from "../../../src/average-return/types.ts";
import { median, type BenchEntry } from "./types.ts";

const TAB = { kind: "tabular" } as const;

function large(seed: string): { mdp: Mdp; theta: Float64Array } {
  const rng = stream(derive(seed, "bench", "ch2", "mdp-100x10"));
  const mdp = randomUnichainMdp(rng, 100, 10);
  const theta = Float64Array.from({ length: 1000 }, () => 2 * rng() - 1);
  return { mdp, theta };
}

function timeIt(repeats: number, f: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

function actorCriticRow(name: string, mdp: Mdp, steps: number, repeats: number, seed: string) {
  const run = (i: number) =>
    runActorCritic(
      mdp,
      TAB,
      TAB,
      { steps, alpha: 0.01, beta: 0.05 },
      fastStream(stream(derive(seed, "bench", "ch2", name, i))),
    );
  run(-1); // warm-up (JIT)
  let i = 0;
  const secs = median(timeIt(repeats, () => run(i++)));
  return {
    chapter: "2",
    name,
    unit: "steps/s",
    js: steps / secs,
    facts: { steps, msPerRun: +(secs * 1000).toFixed(1) },
  };
}

export const entries: BenchEntry[] = [
  {
    chapter: "2",
    name: "exact ∇λ (21), random MDP |S|=100 |A|=10, tabular",
    run(ctx) {
      const { mdp, theta } = large(ctx.seed);
      policyGradient(mdp, TAB, theta); // warm-up
      const secs = median(timeIt(Math.max(ctx.repeats, 5), () => policyGradient(mdp, TAB, theta)));
      return {
        chapter: "2",
        name: this.name,
        unit: "gradients/s",
        js: 1 / secs,
        facts: { msPerGradient: +(secs * 1000).toFixed(2), parameters: 1000 },
      };
    },
  },
  {
    chapter: "2",
    name: "TD actor-critic (24)-(27), home/work, tabular",
    run: (ctx) =>
      actorCriticRow("TD actor-critic (24)-(27), home/work, tabular", homeWork, 1_000_000, ctx.repeats, ctx.seed),
  },
  {
    chapter: "2",
    name: "TD actor-critic (24)-(27), |S|=100 |A|=10, tabular",
    run: (ctx) =>
      actorCriticRow(
        "TD actor-critic (24)-(27), |S|=100 |A|=10, tabular",
        large(ctx.seed).mdp,
        1_000_000,
        ctx.repeats,
        ctx.seed,
      ),
  },
];
