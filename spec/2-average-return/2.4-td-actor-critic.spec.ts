/** Section 2.4: temporal differences (25)–(27), their fixed points, and the actor's update (24). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callMany, impl } from "../support/impl.ts";
import { claim, testSeed } from "../support/claim.ts";
import { expectRate } from "../support/stat.ts";
import { checkProperty } from "../support/property.ts";
import { gradientMismatch, numericGradient } from "../../src/stats/finite-diff.ts";
import { fastStream, stream } from "../../src/random.ts";
import { homeWork, randomFeatures } from "../../src/mdp/examples.ts";
import { actorCriticExperiment } from "../../src/mdp/experiments.ts";
import type { CriticSpec } from "../../src/mdp/td.ts";
import type { Mdp } from "../../src/mdp/types.ts";
import { arbInstance, maxAbsDiff, spreadOfDifference } from "./tools.ts";

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const TABULAR_CRITIC: CriticSpec = { kind: "tabular" };

/**
 * The expected critic increment (E[ψ' − ψ], E[λ' − λ]) / β and E[d | s, a], enumerating
 * (s, a) ~ μ, s' ~ P[s][a], a' ~ π(·|s') and calling the implementation's criticStep on each.
 */
function expectedCritic(mdp: Mdp, pi: ArrayLike<number>, critic: CriticSpec, psi: Float64Array, lambda: number, sign = 1) {
  const S = mdp.P.length;
  const A = mdp.P[0].length;
  const mu = impl.stateActionDistribution(mdp, pi);
  const dPsi = new Float64Array(psi.length);
  let dLambda = 0;
  const condD = new Float64Array(S * A);
  // every transition (s, a) → (t, b) of positive probability; the critic's steps on them in one batch
  const steps: { s: number; a: number; t: number; b: number; p: number }[] = [];
  for (let s = 0; s < S; s++)
    for (let a = 0; a < A; a++)
      for (let t = 0; t < S; t++)
        for (let b = 0; b < A; b++) {
          const p = mdp.P[s][a][t] * pi[t * A + b];
          if (p !== 0) steps.push({ s, a, t, b, p });
        }
  const outs = callMany(
    "criticStep",
    steps.map(({ s, a, t, b }) => [mdp, critic, psi, lambda, { s, a, r: mdp.r[s][a], s2: t, a2: b }, sign]),
  );
  steps.forEach(({ s, a, p }, k) => {
    const out = outs[k];
    condD[s * A + a] += p * out.d;
    const w = mu[s * A + a] * p;
    for (let i = 0; i < psi.length; i++) dPsi[i] += w * (out.psi[i] - psi[i]);
    dLambda += w * (out.lambda - lambda);
  });
  return { dPsi, dLambda, condD };
}

describe("2.4 Temporal differences", () => {
  it("[eq 25] [eq 26] [eq 27] one critic step: d = R − λ + Q̃(S', A') − Q̃(S, A), ψ' = ψ + β d ∇ψQ̃, λ' = λ + β d (tabular and linear)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(["tabular"]), fc.integer({ min: 1, max: 4 }), fc.nat(), dbl(-3, 3), dbl(0.001, 1), fc.boolean(), (inst, n, k, lambda, beta, linear) => {
        const { S, A, mdp } = inst;
        const rng = stream(`critic/${k}`);
        const critic: CriticSpec = linear ? { kind: "linear", features: randomFeatures(rng, S, A, n) } : TABULAR_CRITIC;
        const dim = linear ? n : S * A;
        const psi = Float64Array.from({ length: dim }, () => 4 * rng() - 2);
        const tr = { s: k % S, a: (k >> 3) % A, r: rng(), s2: (k >> 5) % S, a2: (k >> 7) % A };
        const q = (s: number, a: number) => (critic.kind === "tabular" ? psi[s * A + a] : critic.features[s][a].reduce((acc, f, i) => acc + f * psi[i], 0));
        const d = tr.r - lambda + q(tr.s2, tr.a2) - q(tr.s, tr.a);
        expect(impl.tdError(tr.r, lambda, q(tr.s2, tr.a2), q(tr.s, tr.a))).toBeCloseTo(d, 12);
        const out = impl.criticStep(mdp, critic, psi, lambda, tr, beta);
        expect(out.d).toBeCloseTo(d, 12);
        expect(out.lambda).toBeCloseTo(lambda + beta * d, 12);
        const grad = critic.kind === "tabular" ? Float64Array.from({ length: dim }, (_, i) => (i === tr.s * A + tr.a ? 1 : 0)) : critic.features[tr.s][tr.a];
        for (let i = 0; i < dim; i++) expect(out.psi[i]).toBeCloseTo(psi[i] + beta * d * grad[i], 12);
      }),
      { implements: ["tdError", "criticStep"], numRuns: 100 },
    );
  });

  it("[eq 25] [eq 26] [eq 27] tabular fixed point: at (Q_π + c, λ_π) the expected temporal difference is zero for every pair", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), dbl(-5, 5), (inst, c) => {
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        const { Q, gain } = impl.relativeValues(inst.mdp, pi, "reference");
        const psi = Q.map((q) => q + c);
        const { condD, dPsi, dLambda } = expectedCritic(inst.mdp, pi, TABULAR_CRITIC, psi, gain);
        expect(Math.max(...condD.map(Math.abs))).toBeLessThan(1e-10);
        expect(Math.max(...dPsi.map(Math.abs), Math.abs(dLambda))).toBeLessThan(1e-10);
        // control: a gain off by δ shifts every expected temporal difference by exactly −δ
        const off = expectedCritic(inst.mdp, pi, TABULAR_CRITIC, psi, gain + 0.1).condD;
        expect(maxAbsDiff(off, new Float64Array(off.length).fill(-0.1))).toBeLessThan(1e-10);
      }),
      { implements: ["criticStep", "tdError", "relativeValues"], numRuns: 50 },
    );
  });

  it("[eq 25] [eq 26] [eq 27] linear fixed point: E_μ[d ∇ψQ̃] = 0 and E_μ[d] = 0, which forces λ = λ_π", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.integer({ min: 1, max: 4 }), fc.nat(), (inst, n, k) => {
        const features = randomFeatures(stream(`features/${k}`), inst.S, inst.A, n);
        const critic: CriticSpec = { kind: "linear", features };
        const pi = impl.policyProbs(inst.mdp, inst.policy, inst.theta);
        // The fixed point is unique when no nonzero Φψ is constant on the recurrent pairs; generic
        // features have that property when there are fewer of them than recurrent pairs.
        const recurrentPairs = impl.stateActionDistribution(inst.mdp, pi).filter((m) => m > 1e-12).length;
        fc.pre(n < recurrentPairs);
        const fp = impl.linearTdFixedPoint(inst.mdp, pi, features);
        expect(fp.lambda).toBeCloseTo(impl.gain(inst.mdp, pi), 10);
        const { dPsi, dLambda } = expectedCritic(inst.mdp, pi, critic, fp.psi, fp.lambda);
        const scale = 1 + Math.max(...fp.psi.map(Math.abs));
        expect(Math.max(...dPsi.map(Math.abs))).toBeLessThan(1e-9 * scale);
        expect(Math.abs(dLambda)).toBeLessThan(1e-9 * scale);
      }),
      { implements: ["linearTdFixedPoint", "criticStep", "gain"], numRuns: 50 },
    );
  });

  it("[eq 26] [eq 27] negative control: with the sign of the step flipped the expected dynamics leave the fixed point", (ctx) => {
    claim(ctx, "exact", { control: true, implements: ["criticStep", "relativeValues"] });
    // Mean-field iteration x ← x + β·E[Δx] from ψ = 0, λ = 0 on home/work at θ = 0 with β = 0.5:
    // the distance to (Q_π + const, λ_π) shrinks with the printed sign and grows with the flipped one.
    const pi = impl.policyProbs(homeWork, { kind: "tabular" }, new Float64Array(4));
    const { Q, gain } = impl.relativeValues(homeWork, pi, "bias");
    const distance = (psi: Float64Array, lambda: number) => spreadOfDifference(psi, Q) + Math.abs(lambda - gain);
    const run = (sign: number) => {
      let psi = new Float64Array(4);
      let lambda = 0;
      for (let it = 0; it < 200; it++) {
        const { dPsi, dLambda } = expectedCritic(homeWork, pi, TABULAR_CRITIC, psi, lambda, sign);
        psi = psi.map((x, i) => x + 0.5 * dPsi[i]);
        lambda += 0.5 * dLambda;
      }
      return distance(psi, lambda);
    };
    const start = distance(new Float64Array(4), 0);
    const right = run(1);
    const wrong = run(-1);
    claim(ctx, "exact", { facts: { start, right, wrong } });
    expect(right).toBeLessThan(1e-6 * start);
    expect(wrong).toBeGreaterThan(100 * start);
  });
});

describe("2.4 The actor's update (24)", () => {
  it("[eq 24] with a critic equal to Q_π plus any b(s), the expected actor step under μ is exactly ∇λθ", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.array(dbl(-5, 5), { minLength: 6, maxLength: 6 }), dbl(0.01, 1), (inst, b, alpha) => {
        const { S, A, mdp, policy, theta } = inst;
        const pi = impl.policyProbs(mdp, policy, theta);
        const mu = impl.stateActionDistribution(mdp, pi);
        const { Q } = impl.relativeValues(mdp, pi, "reference");
        const psi = Q.map((q, i) => q + b[Math.floor(i / A)]);
        const mean = new Float64Array(theta.length);
        for (let s = 0; s < S; s++)
          for (let a = 0; a < A; a++) {
            const next = impl.actorStep(mdp, policy, theta, TABULAR_CRITIC, psi, s, a, alpha);
            for (let i = 0; i < mean.length; i++) mean[i] += (mu[s * A + a] * (next[i] - theta[i])) / alpha;
          }
        const fd = numericGradient((x) => impl.gain(mdp, impl.policyProbs(mdp, policy, x)), theta);
        expect(gradientMismatch(fd, mean)).toBe(0);
      }),
      { implements: ["actorStep", "relativeValues", "stateActionDistribution"], numRuns: 50 },
    );
  });

  it("[eq 24] one actor step is (23) with the critic's Q̃(s, a) and baseline Σ_b π(b|s) Q̃(s, b) (linear critic)", (ctx) => {
    checkProperty(
      ctx,
      fc.property(arbInstance(), fc.integer({ min: 1, max: 4 }), fc.nat(), dbl(0.01, 1), (inst, n, k, alpha) => {
        const { S, A, mdp, policy, theta } = inst;
        const rng = stream(`actor/${k}`);
        const features = randomFeatures(rng, S, A, n);
        const psi = Float64Array.from({ length: n }, () => 2 * rng() - 1);
        const s = k % S;
        const a = (k >> 4) % A;
        const pi = impl.policyProbs(mdp, policy, theta);
        const q = (b: number) => features[s][b].reduce((acc, f, i) => acc + f * psi[i], 0);
        let v = 0;
        for (let b = 0; b < A; b++) v += pi[s * A + b] * q(b);
        const expected = impl.baselinedGainStep(mdp, policy, theta, s, a, q(a), v, alpha);
        expect(maxAbsDiff(impl.actorStep(mdp, policy, theta, { kind: "linear", features }, psi, s, a, alpha), expected)).toBeLessThan(1e-12);
      }),
      { implements: ["actorStep", "baselinedGainStep"], numRuns: 60 },
    );
  });
});

describe("2.4 Short actor-critic runs", () => {
  it("[eq 24] in 10,000 steps the actor-critic lifts λθ on home/work from 11/34 above 0.6 in ≥ 90% of runs, for tabular and linear-critic/log-linear forms alike", (ctx) => {
    claim(ctx, "monte-carlo", { implements: ["runActorCritic"] });
    // One-hot features make the log-linear policy and the linear critic the tabular ones in disguise.
    const oneHot = [0, 1].map((s) => [0, 1].map((a) => [0, 1, 2, 3].map((i) => (i === s * 2 + a ? 1 : 0))));
    const forms = [
      { policy: { kind: "tabular" } as const, critic: TABULAR_CRITIC },
      { policy: { kind: "log-linear", features: oneHot } as const, critic: { kind: "linear", features: oneHot } as CriticSpec },
    ];
    const m = 10;
    const finals: number[] = [];
    // the tabular form through the chapter's experiment harness (the same runs as the figure's, shorter)
    const tab = actorCriticExperiment({ seed: testSeed(ctx), runs: m, steps: 10_000, every: 5_000, run: impl.runActorCritic });
    forms.forEach((f, k) => {
      let ok = 0;
      for (let i = 0; i < m; i++) {
        const res =
          k === 0 ? tab.runs[i] : impl.runActorCritic(homeWork, f.policy, f.critic, { steps: 10_000, alpha: 0.01, beta: 0.05, traceEvery: 5_000 }, fastStream(stream(testSeed(ctx, k, i))));
        expect(res.trace[0].gain).toBeCloseTo(11 / 34, 12);
        const last = res.trace.at(-1)!.gain;
        finals.push(last);
        if (last > 0.6) ok++;
      }
      expectRate(ctx, ok, m, 0.9, "at-least", { label: `form ${k} above 0.6` });
    });
    claim(ctx, "monte-carlo", { facts: { worstFinalGain: Math.min(...finals) } });
  });
});

describe("2.4 The actor-critic experiment as the chapter states it", () => {
  it("[eq 24] actorCriticExperiment runs the chapter's design: 20 runs of 100,000 steps on home/work from θ = ψ = 0, α = 0.01, β = 0.05, λθ traced every 1000 steps, one stream per run", (ctx) => {
    claim(ctx, "exact");
    // a recording stand-in for the actor-critic: what the experiment asks for, not what a run returns
    const calls: { mdp: Mdp; policy: unknown; critic: unknown; options: Record<string, unknown>; first: number }[] = [];
    const recorder = ((mdp: Mdp, policy: unknown, critic: unknown, options: Record<string, unknown>, rng: () => number) => {
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
    actorCriticExperiment({ seed: testSeed(ctx), run: recorder, runs: 3, steps: 10, alpha: 0.5, beta: 0.25, every: 5, wrongSign: true });
    expect(calls).toHaveLength(3);
    for (const c of calls) expect(c.options).toMatchObject({ steps: 10, alpha: 0.5, beta: 0.25, traceEvery: 5, wrongSign: true });
  });
});

describe("2.4 The actor-critic on a path that chance cannot change", () => {
  // One action per state and a deterministic cycle 0 → 1 → 0 …: the trajectory, the rewards (1 in state 0,
  // 0 in state 1) and hence every critic step are fixed, whatever the random stream; the actor has nothing
  // to learn (one action: its score is zero) and λθ = ½ throughout.
  const cycle: Mdp = { P: [[[0, 1]], [[1, 0]]], r: [[1], [0]] };
  const TAB = { kind: "tabular" } as const;

  /** The critic's steps along the cycle by criticStep (25)–(27), λ before each step recorded. */
  function byHand(steps: number, beta: (t: number) => number, o: { psi0?: number[]; lambda0?: number; s0?: number; sign?: number; critic?: CriticSpec }) {
    const critic = o.critic ?? TABULAR_CRITIC;
    let psi: Float64Array = Float64Array.from(o.psi0 ?? (critic.kind === "tabular" ? [0, 0] : new Array(critic.features[0][0].length).fill(0)));
    let lambda = o.lambda0 ?? 0;
    let s = o.s0 ?? 0;
    const before: number[] = [];
    for (let t = 0; t < steps; t++) {
      before.push(lambda);
      const out = impl.criticStep(cycle, critic, psi, lambda, { s, a: 0, r: cycle.r[s][0], s2: 1 - s, a2: 0 }, (o.sign ?? 1) * beta(t));
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
    const designs: { steps: number; beta: number | ((t: number) => number); psi0?: number[]; lambda0?: number; s0?: number; wrongSign?: boolean; critic?: CriticSpec }[] = [
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
      const want = byHand(d.steps, beta, { psi0: d.psi0, lambda0: d.lambda0, s0: d.s0, sign: d.wrongSign ? -1 : 1, critic: d.critic });
      const got = impl.runActorCritic(cycle, TAB, d.critic ?? TABULAR_CRITIC, { steps: d.steps, alpha: 0.3, beta: d.beta, psi0: d.psi0, lambda0: d.lambda0, s0: d.s0, wrongSign: d.wrongSign }, rng);
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
    const got = impl.runActorCritic(cycle, TAB, TABULAR_CRITIC, { steps: 8, alpha: 0.1, beta: 0.1, traceEvery: 4, theta0: [0.7, -0.2] }, rng);
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

describe("2.4 The actor's step with large preferences", () => {
  it("[eq 24] actorStep stays exact when a preference is 800 (π(·|s) computed with the largest preference subtracted before exp)", (ctx) => {
    claim(ctx, "exact", { implements: ["actorStep"] });
    const TAB = { kind: "tabular" } as const;
    const psi = [0.5, 2, -1, 3];
    // state 0: π(·|0) = (1, 0) in doubles (e^−800 = 0); action 1: c = α(Q̃(0,1) − Σ_b π(b|0) Q̃(0,b)) = 0.1·(2 − 0.5) = 0.15,
    // and (24) with the score 1_a − π(·|0) gives θ' = (800 − 0.15, 0.15, θ(1, ·))
    const step = impl.actorStep(homeWork, TAB, [800, 0, 1, 2], TAB, psi, 0, 1, 0.1);
    expect(step[0]).toBeCloseTo(800 - 0.15, 10);
    expect(step[1]).toBeCloseTo(0.15, 12);
    expect(Array.from(step.slice(2))).toEqual([1, 2]);
    // the largest preference last: state 1 with θ(1, ·) = (0, 800), action 0: c = 0.1·(−1 − 3) = −0.4
    const step2 = impl.actorStep(homeWork, TAB, [0, 0, 0, 800], TAB, psi, 1, 0, 0.1);
    expect(step2[2]).toBeCloseTo(-0.4, 12);
    expect(step2[3]).toBeCloseTo(800 + 0.4, 10);
  });
});
