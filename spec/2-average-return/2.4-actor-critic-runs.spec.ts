/**
 * Chapter 2, §2.4 "An actor-critic" (notes §2.4), the whole loop: short runs of runActorCritic (a rate claim),
 * the chapter's experiment as stated, and runs replayed exactly where chance cannot change the path or every
 * draw is fixed.
 */
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim, testSeed } from "../support/claim.ts";
import { designRate, expectRateClaim, expectRateRejected } from "../support/stat.ts";
import { expectClose } from "../../measure/close.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { fastStream, stream } from "../../src/contract/random.ts";
import { homeWork } from "../../measure/average-return/examples.ts";
import { actorCriticExperiment } from "../../measure/average-return/experiments.ts";
import type { CriticSpec } from "../../src/average-return/td.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { designFacts, rateFacts } from "../support/figure-settings.ts";
import { accuracyAt, maxAbsDiff, TABULAR_CRITIC } from "./tools.ts";

/** The short-run claim's design: 325 runs per form at p0 = 0.99 (measure/stats/binomial.ts: runsForRateGap(0.99, 0.1)). */
const SHORT_RUNS = { runs: 325, p0: 0.99, steps: 3000, threshold: 0.5 } as const;

describe("2.4 Short actor-critic runs", () => {
  it("[eq 24] in 3,000 steps the actor-critic lifts λθ on home/work from 11/34 above ½ (what staying home earns) in ≥ 99% of runs, for tabular and linear-critic/log-linear forms alike", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["runActorCritic"] });
    // One-hot features make the log-linear policy and the linear critic the tabular ones in disguise.
    const oneHot = [0, 1].map((s) => [0, 1].map((a) => [0, 1, 2, 3].map((i) => (i === s * 2 + a ? 1 : 0))));
    const forms = [
      { policy: { kind: "tabular" } as const, critic: TABULAR_CRITIC },
      {
        policy: { kind: "log-linear", features: oneHot } as const,
        critic: { kind: "linear", features: oneHot } as CriticSpec,
      },
    ];
    const { runs: m, p0, steps, threshold } = SHORT_RUNS;
    const design = designRate(m, p0, "at-least", { label: "above ½" });
    // the design fails with probability ≥ 1 − 10⁻³ at rates ≤ p1 ≈ 0.89
    expect(p0 - design.p1).toBeLessThanOrEqual(0.1);
    const finals: number[] = [];
    // the tabular form through the chapter's experiment harness (the same runs as the figure's, shorter)
    const tab = actorCriticExperiment({ seed: testSeed(ctx), runs: m, steps, every: steps, run: impl.runActorCritic });
    forms.forEach((f, k) => {
      const ok: boolean[] = [];
      for (let i = 0; i < m; i++) {
        const res =
          k === 0
            ? tab.runs[i]
            : impl.runActorCritic(
                homeWork,
                f.policy,
                f.critic,
                { steps, alpha: 0.01, beta: 0.05, traceEvery: steps },
                fastStream(stream(testSeed(ctx, k, i))),
              );
        expectClose(res.trace[0].gain, 11 / 34, ACCURACY, "λθ at θ = 0");
        const last = res.trace.at(-1)!.gain;
        finals.push(last);
        ok.push(last > threshold);
      }
      claim(ctx, "monte-carlo", { facts: rateFacts(`ch2.shortRuns.form${k}`, ok.filter(Boolean).length, design) });
      expectRateClaim(ctx, ok.filter(Boolean).length, design, { label: `form ${k} above ½` });
      // Control with a known rate: each run, by a coin from its own seed, is replaced with probability ½
      // by the actor-critic with α = 0, whose policy stays uniform (λθ = 11/34 < ½: a certain failure).
      // Its success rate is at most ½ exactly.
      let control = 0;
      for (let i = 0; i < m; i++) {
        if (stream(testSeed(ctx, "control", k, i))() < 0.5) {
          const frozen = impl.runActorCritic(
            homeWork,
            f.policy,
            f.critic,
            { steps: 10, alpha: 0, beta: 0.05, traceEvery: 10 },
            fastStream(stream(testSeed(ctx, "frozen", k, i))),
          );
          if (frozen.trace.at(-1)!.gain > threshold) control++;
        } else if (ok[i]) control++;
      }
      expectRateRejected(ctx, control, design, 0.5, { label: `form ${k} half frozen` });
    });
    claim(ctx, "monte-carlo", { facts: { worstFinalGain: Math.min(...finals), runsPerForm: m, p0, p1: design.p1 } });
    claim(ctx, "monte-carlo", {
      facts: {
        ...designFacts("ch2.shortRuns", design),
        "ch2.shortRuns.steps": steps,
        "ch2.shortRuns.controlRate": 0.5,
      },
    });
  });
});

describe("2.4 The actor-critic experiment as the chapter states it", () => {
  it("[eq 24] actorCriticExperiment runs the chapter's design: 20 runs of 100,000 steps on home/work from θ = ψ = 0, α = 0.01, β = 0.05, λθ traced every 1000 steps, one stream per run", (ctx) => {
    claim(ctx, "exact");
    // a recording stand-in for the actor-critic: what the experiment asks for, not what a run returns
    const calls: { mdp: Mdp; policy: unknown; critic: unknown; options: Record<string, unknown>; first: number }[] = [];
    const recorder = ((
      mdp: Mdp,
      policy: unknown,
      critic: unknown,
      options: Record<string, unknown>,
      rng: () => number,
    ) => {
      calls.push({ mdp, policy, critic, options, first: rng() });
      return { theta: new Float64Array(4), psi: new Float64Array(4), lambda: calls.length, trace: [] };
    }) as unknown as NonNullable<Parameters<typeof actorCriticExperiment>[0]["run"]>;
    const e = actorCriticExperiment({ seed: testSeed(ctx), run: recorder });
    expect(calls).toHaveLength(20);
    expect(e.runs.map((r) => r.lambda)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect([e.steps, e.alpha, e.beta, e.optimalGain]).toEqual([100_000, 0.01, 0.05, 5 / 7]);
    expect(e.mdp).toBe(homeWork);
    for (const c of calls) {
      expect(c.mdp).toBe(homeWork);
      expect(c.policy).toEqual({ kind: "tabular" });
      expect(c.critic).toEqual({ kind: "tabular" });
      expect(c.options).toMatchObject({ steps: 100_000, alpha: 0.01, beta: 0.05, traceEvery: 1000 });
      expect(c.options.wrongSign).toBeFalsy();
      // θ₀, ψ₀, λ₀ left to their zero defaults
      expect(c.options.theta0 ?? null).toBeNull();
      expect(c.options.psi0 ?? null).toBeNull();
      expect(c.options.lambda0 ?? 0).toBe(0);
    }
    // independent streams: the runs' first uniforms all differ
    expect(new Set(calls.map((c) => c.first)).size).toBe(20);
    calls.length = 0;
    actorCriticExperiment({
      seed: testSeed(ctx),
      run: recorder,
      runs: 3,
      steps: 10,
      alpha: 0.5,
      beta: 0.25,
      every: 5,
      wrongSign: true,
    });
    expect(calls).toHaveLength(3);
    for (const c of calls)
      expect(c.options).toMatchObject({ steps: 10, alpha: 0.5, beta: 0.25, traceEvery: 5, wrongSign: true });
  });
});

describe("2.4 The actor-critic on a path that chance cannot change", () => {
  // One action per state and a deterministic cycle 0 → 1 → 0 …: the trajectory, the rewards (1 in state 0,
  // 0 in state 1) and hence every critic step are fixed, whatever the random stream; the actor has nothing
  // to learn (one action: its score is zero) and λθ = ½ throughout.
  const cycle: Mdp = { P: [[[0, 1]], [[1, 0]]], r: [[1], [0]] };
  const TAB = { kind: "tabular" } as const;

  /** The critic's steps along the cycle by criticStep (25)–(27), λ before each step recorded. */
  function byHand(
    steps: number,
    beta: (t: number) => number,
    o: { psi0?: number[]; lambda0?: number; s0?: number; sign?: number; critic?: CriticSpec },
  ) {
    const critic = o.critic ?? TABULAR_CRITIC;
    let psi: Float64Array = Float64Array.from(
      o.psi0 ?? (critic.kind === "tabular" ? [0, 0] : new Array(critic.features[0][0].length).fill(0)),
    );
    let lambda = o.lambda0 ?? 0;
    let s = o.s0 ?? 0;
    const before: number[] = [];
    for (let t = 0; t < steps; t++) {
      before.push(lambda);
      const out = impl.criticStep(
        cycle,
        critic,
        psi,
        lambda,
        { s, a: 0, r: cycle.r[s][0], s2: 1 - s, a2: 0 },
        (o.sign ?? 1) * beta(t),
      );
      psi = out.psi;
      lambda = out.lambda;
      s = 1 - s;
    }
    before.push(lambda);
    return { psi, lambda, before };
  }

  it("[eq 25] [eq 26] [eq 27] runActorCritic's critic is criticStep (25)–(27) applied step by step: constant and scheduled β, ψ₀, λ₀, s₀, the flipped sign, a linear critic", (ctx) => {
    claim(ctx, "exact", { implements: ["runActorCritic", "criticStep"] });
    const rng = fastStream(stream(testSeed(ctx)));
    const linear: CriticSpec = { kind: "linear", features: [[[1, 0.5, 0]], [[-0.25, 1, 2]]] };
    const designs: {
      steps: number;
      beta: number | ((t: number) => number);
      psi0?: number[];
      lambda0?: number;
      s0?: number;
      wrongSign?: boolean;
      critic?: CriticSpec;
    }[] = [
      { steps: 7, beta: 0.1 },
      { steps: 6, beta: (t) => 1 / (t + 2) },
      { steps: 5, beta: 0.2, psi0: [0.5, -1], lambda0: 0.3, s0: 1 },
      { steps: 5, beta: 0.2, wrongSign: true },
      { steps: 6, beta: 0.15, critic: linear, psi0: [0.2, 0.1, -0.3] },
      // ψ₀ left out: the linear critic starts at the zero vector of its own length n = 3 (not |S|·|A| = 2)
      { steps: 4, beta: 0.1, critic: linear },
    ];
    for (const d of designs) {
      const beta = typeof d.beta === "number" ? () => d.beta as number : d.beta;
      const want = byHand(d.steps, beta, {
        psi0: d.psi0,
        lambda0: d.lambda0,
        s0: d.s0,
        sign: d.wrongSign ? -1 : 1,
        critic: d.critic,
      });
      const got = impl.runActorCritic(
        cycle,
        TAB,
        d.critic ?? TABULAR_CRITIC,
        {
          steps: d.steps,
          alpha: 0.3,
          beta: d.beta,
          psi0: d.psi0,
          lambda0: d.lambda0,
          s0: d.s0,
          wrongSign: d.wrongSign,
        },
        rng,
      );
      expect(got.lambda).toBeCloseTo(want.lambda, 12);
      expect(maxAbsDiff(got.psi, want.psi)).toBeLessThan(1e-12);
      // the actor: one action, so θ stays at θ₀ = 0
      expect(maxAbsDiff(got.theta, [0, 0])).toBeLessThan(1e-12);
    }
  });

  it("[eq 24] runActorCritic's trace records t, the exact λθ (½ here) and the estimate λ_t at every multiple of traceEvery, the last step included", (ctx) => {
    claim(ctx, "exact", { implements: ["runActorCritic"] });
    const rng = fastStream(stream(testSeed(ctx)));
    const want = byHand(8, () => 0.1, {});
    const got = impl.runActorCritic(
      cycle,
      TAB,
      TABULAR_CRITIC,
      { steps: 8, alpha: 0.1, beta: 0.1, traceEvery: 4, theta0: [0.7, -0.2] },
      rng,
    );
    const ts = got.trace.map((e) => e.t);
    for (const t of [0, 4, 8]) expect(ts).toContain(t);
    for (const e of got.trace) {
      expect(e.t % 4).toBe(0);
      expect(e.gain).toBeCloseTo(0.5, 12);
      expect(e.lambdaEstimate).toBeCloseTo(want.before[e.t], 12);
    }
    expect(maxAbsDiff(got.theta, [0.7, -0.2])).toBeLessThan(1e-12);
    expect(impl.runActorCritic(cycle, TAB, TABULAR_CRITIC, { steps: 8, alpha: 0.1, beta: 0.1 }, rng).trace).toEqual([]);
  });
});

describe("2.4 The actor-critic replayed with two actions", () => {
  // Home/work made deterministic: at home, action 0 stays (reward ½) and action 1 goes to work (0); at
  // work, action 0 works and stays (1) and action 1 goes home (0). The random stream is the constant
  // u = 0.4, so every draw is the inverse CDF at 0.4 (the contract's sampling rule) whatever order the
  // draws are made in: the next state is the move's only target, and the action is 0 exactly when
  // π(0|s) > 0.4. The actor moves from the first step (ψ₀ ≠ 0), pushes π(0|home) below 0.4, and the
  // run switches to going to work.
  const road: Mdp = {
    P: [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ],
    r: [
      [0.5, 0],
      [1, 0],
    ],
  };
  const U = 0.4;
  const o = { alpha: 0.5, beta: 0.3, psi0: [0, 1, 2, 0], lambda0: 0.2, steps: 14 };

  /** π(·|s) for a tabular θ, written here: e^{θ_{s,a} − max} normalized. */
  const row = (theta: number[], s: number) => {
    const h = [theta[2 * s], theta[2 * s + 1]];
    const m = Math.max(...h);
    const e = h.map((x) => Math.exp(x - m));
    return e.map((x) => x / (e[0] + e[1]));
  };
  /** λθ of the road MDP: P_π(home → work) = π(1|0), P_π(work → home) = π(1|1); d₀ = π(1|1)/(π(1|0) + π(1|1)). */
  const roadGain = (theta: number[]) => {
    const [p0, p1] = [row(theta, 0), row(theta, 1)];
    const d0 = p1[1] / (p0[1] + p1[1]);
    return d0 * 0.5 * p0[0] + (1 - d0) * p1[0];
  };

  /**
   * The trajectory by hand: A_0 ~ π_θ0(·|S_0); then per step R = r(S, A), S' the move's target,
   * A' ~ π_θt(·|S') (the policy before this step's update), the actor (24) and the critic (25)–(27)
   * both with ψ_t, λ_t. Returns (θ_t, ψ_t, λ_t) for t = 0..steps and the smallest |π(0|s) − u| of any
   * draw (the margin by which round-off cannot change an action).
   */
  function replay(steps: number) {
    let theta = [0, 0, 0, 0];
    let psi = [...o.psi0];
    let lambda = o.lambda0;
    let s = 0;
    let margin = Infinity;
    const draw = (th: number[], st: number) => {
      const p = row(th, st);
      margin = Math.min(margin, Math.abs(p[0] - U));
      return U < p[0] ? 0 : 1;
    };
    let a = draw(theta, s);
    const states = [{ theta, psi, lambda }];
    for (let t = 0; t < steps; t++) {
      const r = road.r[s][a];
      const s2 = road.P[s][a][0] === 1 ? 0 : 1;
      const a2 = draw(theta, s2);
      const d = r - lambda + psi[2 * s2 + a2] - psi[2 * s + a];
      const p = row(theta, s);
      const c = o.alpha * (psi[2 * s + a] - (p[0] * psi[2 * s] + p[1] * psi[2 * s + 1]));
      theta = theta.map((x, i) => (Math.floor(i / 2) === s ? x + c * ((i % 2 === a ? 1 : 0) - p[i % 2]) : x));
      psi = psi.map((x, i) => (i === 2 * s + a ? x + o.beta * d : x));
      lambda += o.beta * d;
      states.push({ theta, psi, lambda });
      s = s2;
      a = a2;
    }
    return { states, margin };
  }

  it("[eq 24] [eq 25] [eq 26] [eq 27] runActorCritic replayed with two actions: every iterate θ_t, ψ_t, λ_t and the traced λθ_t equal a trajectory computed by hand", (ctx) => {
    claim(ctx, "exact", { implements: ["runActorCritic"], facts: { "ch2.replay.u": U, "ch2.replay.steps": o.steps } });
    const { states, margin } = replay(o.steps);
    // the replay itself, first step by hand: at home π = (½, ½), u = 0.4 < ½ so A_0 = 0, S_1 = home, A_1 = 0;
    // d = ½ − 0.2 + ψ(0,0) − ψ(0,0) = 0.3; the actor's c = α(ψ(0,0) − (½·0 + ½·1)) = −¼, so
    // θ(0,·) = (0, 0) + c·((1, 0) − (½, ½)) = (−⅛, ⅛); ψ(0,0) = 0 + 0.3·0.3 = 0.09, λ = 0.2 + 0.09 = 0.29.
    expectClose(states[1].theta, [-1 / 8, 1 / 8, 0, 0], ACCURACY, "hand θ₁");
    expectClose(states[1].psi, [0.09, 1, 2, 0], ACCURACY, "hand ψ₁");
    expectClose(states[1].lambda, 0.29, ACCURACY, "hand λ₁");
    // no draw is within 1e-3 of u, so the actions are the same in any correct float64 computation
    expect(margin).toBeGreaterThan(1e-3);
    // the run does switch: by the last step it has gone to work and back (θ of both states moved)
    expect(states.at(-1)!.theta[2]).not.toBe(0);
    const rng = () => U;
    for (let t = 1; t <= o.steps; t++) {
      const got = impl.runActorCritic(
        road,
        { kind: "tabular" },
        TABULAR_CRITIC,
        { steps: t, alpha: o.alpha, beta: o.beta, psi0: o.psi0, lambda0: o.lambda0, traceEvery: 1 },
        rng,
      );
      // values are sums of terms of order one over ≤ 14 steps
      const tol = accuracyAt(10);
      expectClose(got.theta, states[t].theta, tol, `θ after ${t} steps`);
      expectClose(got.psi, states[t].psi, tol, `ψ after ${t} steps`);
      expectClose(got.lambda, states[t].lambda, tol, `λ after ${t} steps`);
      expect(got.trace.map((e) => e.t)).toEqual(Array.from({ length: t + 1 }, (_, k) => k));
      for (const e of got.trace) {
        expectClose(e.lambdaEstimate, states[e.t].lambda, tol, `trace λ_${e.t} (run of ${t} steps)`);
        expectClose(e.gain, roadGain(states[e.t].theta), tol, `trace λθ_${e.t} (run of ${t} steps)`);
      }
    }
  });
});
