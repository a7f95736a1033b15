/**
 * The chapter's actor-critic experiment: the runs behind the figure of λθ over time and the
 * slow-tier claims about them (same function, same seeds).
 */
import { derive, fastStream, stream, type Seed } from "../../src/contract/random.ts";
import { homeWork, HOME_WORK_OPTIMAL_GAIN } from "./examples.ts";
import type { Chapter2 } from "../../src/contract/chapter2.ts";
import type { ActorCriticResult } from "../../src/average-return/td.ts";
import type { Mdp } from "../../src/average-return/types.ts";

export interface ActorCriticExperiment {
  mdp: Mdp;
  optimalGain: number;
  steps: number;
  alpha: number;
  beta: number;
  runs: ActorCriticResult[];
}

/**
 * `runs` independent runs of the tabular actor-critic (24)–(27) on the home/work MDP from θ = 0,
 * ψ = 0, λ₀ = 0, with constant steps α (actor) and β (critic), the exact λθ traced every `every` steps.
 */
export function actorCriticExperiment(o: {
  seed: Seed;
  runs?: number;
  steps?: number;
  alpha?: number;
  beta?: number;
  every?: number;
  wrongSign?: boolean;
  /** The actor-critic to run (the specs pass the implementation under test, the figures the reference). */
  run: Chapter2["runActorCritic"];
}): ActorCriticExperiment {
  const run = o.run;
  const runs = o.runs ?? 20;
  const steps = o.steps ?? 100_000;
  const alpha = o.alpha ?? 0.01;
  const beta = o.beta ?? 0.05;
  const out: ActorCriticResult[] = [];
  for (let i = 0; i < runs; i++) {
    const rng = fastStream(stream(derive(o.seed, "actor-critic", i)));
    out.push(
      run(
        homeWork,
        { kind: "tabular" },
        { kind: "tabular" },
        { steps, alpha, beta, traceEvery: o.every ?? 1000, wrongSign: o.wrongSign },
        rng,
      ),
    );
  }
  return { mdp: homeWork, optimalGain: HOME_WORK_OPTIMAL_GAIN, steps, alpha, beta, runs: out };
}
