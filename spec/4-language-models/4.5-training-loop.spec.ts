/**
 * Chapter 4, "Training on a verifiable task" (notes §3.2): the reverse task and its verifier, and trainLm's
 * loop replayed update by update — the prompt and responses its stream draws, each response credited with its
 * own reward, the ±1 and 0/1 encodings of the verdict, when it measures and when it stops.
 */
import { describe, expect, it } from "vitest";
import type { GroupBaseline, LmTrainConfig } from "../../src/contract/chapter4.ts";
import { allResponses, exactSuccess } from "../../measure/language-models/exact.ts";
import { TRAINING, trainingConfig } from "../../measure/language-models/experiments.ts";
import { END, FIRST_SYMBOL, reverseTask, copyTask, TRAINING_TASK } from "../../measure/language-models/tasks.ts";
import { stream } from "../../src/contract/random.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { claim, testRng } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { callMany, impl } from "../support/impl.ts";
import { BOTH, documentedPolicy, drawGroup, partialCreditCopyTask, policyOf, sub } from "./tools.ts";

describe("4.5 Training on a verifiable task: the task", () => {
  const task = reverseTask(TRAINING_TASK.symbols, TRAINING_TASK.digits, { failReward: TRAINING_TASK.failReward });

  it("[sec 3.2] the training task: ≥ 8 tokens with an end token, a verifier, held-out prompts, and an untrained success rate ≤ 5%", (ctx) => {
    claim(ctx, "exact", { implements: ["trainLm", "lmPolicy"] });
    expect(task.model.vocab).toBeGreaterThanOrEqual(8);
    expect(task.tokenNames[END]).toBe("⟨end⟩");
    // the verifier: x₁x₂ ↦ x₂x₁⟨end⟩ earns +1, anything else −1 (with a format credit, well-formed wrong answers earn it)
    const prompt = task.heldOut[0];
    const [x1, x2] = prompt.slice(1, 3);
    expect(task.reward(prompt, [x2, x1, END])).toBe(1);
    const wrongButWellFormed = [x1 === x2 ? FIRST_SYMBOL + ((x1 - FIRST_SYMBOL + 1) % 7) : x1, x2, END];
    expect(task.reward(prompt, wrongButWellFormed)).toBe(-1);
    expect(task.reward(prompt, [x2, x1, x1])).toBe(-1);
    expect(task.reward(prompt, [END, x2, x1])).toBe(-1);
    const credited = reverseTask(7, 2, { formatCredit: 0.25 });
    expect(credited.reward(prompt, wrongButWellFormed)).toBe(0.25);
    expect(credited.reward(prompt, [x2, x1, x1])).toBe(0);
    expect(credited.reward(prompt, [x2, x1, END])).toBe(1);
    // held-out prompts never appear in training
    const key = (p: number[]) => p.join(",");
    const train = new Set(task.train.map(key));
    expect(task.heldOut.every((p) => !train.has(key(p)))).toBe(true);
    expect(task.train.length + task.heldOut.length).toBe(49);
    // the untrained model: θ_0 as trainLm draws it (no episodes spent), measured exactly
    const run = impl.trainLm({ ...trainingConfig(task, "rloo"), episodes: 0 }, testRng(ctx, "init"));
    const s0 = exactSuccess(policyOf(task.model, run.theta), task.heldOut, task.answer);
    claim(ctx, "exact", { facts: { initialHeldOutSuccess: s0 } });
    // the task and the training settings as the chapter states them
    claim(ctx, "exact", {
      facts: {
        "ch4.task.symbols": TRAINING_TASK.symbols,
        "ch4.task.digits": TRAINING_TASK.digits,
        "ch4.task.vocab": task.model.vocab,
        "ch4.task.window": task.model.window,
        "ch4.task.length": task.length,
        "ch4.task.prompts": task.train.length + task.heldOut.length,
        "ch4.task.heldOut": task.heldOut.length,
        "ch4.task.responses": task.model.vocab ** task.length,
        "ch4.task.initialSuccess": Number(s0.toPrecision(2)),
        "ch4.training.groupSize": TRAINING.groupSize,
        "ch4.training.stepSize": TRAINING.stepSize,
        "ch4.training.initScale": TRAINING.initScale,
        "ch4.training.target": TRAINING.target,
        "ch4.training.budget": TRAINING.budget,
      },
    });
    expect(s0).toBeLessThanOrEqual(0.05);
    expectClose(run.success[0], s0, BOTH, "trainLm's success at θ₀");
  });

  it("[sec 3.2] copy and reverse verifiers accept exactly one response per prompt", (ctx) => {
    claim(ctx, "exact");
    for (const t of [copyTask(3, 2), reverseTask(3, 2), reverseTask(2, 3)]) {
      for (const p of [...t.train, ...t.heldOut]) {
        const accepted = allResponses(t.model.vocab, t.length).filter((y) => t.reward(p, y) === 1);
        expect(accepted).toEqual([t.answer(p)]);
        expect(p.length).toBe(t.model.window);
      }
    }
  });
});

describe("4.5 Training on a verifiable task: the REINFORCE loop", () => {
  it("[sec 3.2] one update of trainLm is θ + α·(1/G)Σ A_g·score_g for the prompt and responses its stream draws", (ctx) => {
    claim(ctx, "exact", { implements: ["trainLm", "sampleSequence", "groupAdvantages", "groupGradient"] });
    const task = copyTask(3, 2, { failReward: -1 });
    for (const baseline of ["none", "running", "rloo", "mean", "normalized"] as const) {
      const cfg = { task, baseline, groupSize: 3, stepSize: 0.7, episodes: 6, evalEvery: 3, initScale: 0 };
      const run = impl.trainLm(cfg, testRng(ctx, baseline));
      // replay the documented draw order: prompt index ⌊u·|train|⌋, then the G responses token by token
      const rng = testRng(ctx, baseline);
      const theta = new Float64Array(impl.lmParamCount(task.model));
      let past: number[] = [];
      for (let u = 0; u < 2; u++) {
        const prompt = task.train[Math.floor(rng() * task.train.length)];
        const ys = callMany(
          "sampleSequence",
          [0, 1, 2].map(() => [task.model, theta, prompt, task.length, rng]),
        );
        const r = ys.map((y) => task.reward(prompt, y));
        const B = past.length ? past.reduce((s, x) => s + x, 0) / past.length : 0; // B_0 = 0
        const g = impl.groupGradient(task.model, theta, prompt, ys, impl.groupAdvantages(r, baseline, B));
        for (let i = 0; i < theta.length; i++) theta[i] += cfg.stepSize * g[i];
        past = [...past, ...r];
      }
      expectClose(run.theta, theta, BOTH, `${baseline}: θ after two updates`);
      expect(run.episodes).toEqual([0, 3, 6]);
      const measured = exactSuccess(policyOf(task.model, run.theta), task.heldOut, task.answer);
      expectClose(run.success[2], measured, BOTH, `${baseline}: held-out success`);
      expect(run.episodesToTarget).toBe(null);
    }
  });

  it("[sec 3.2] trainLm credits each response with its own reward: with a verdict that varies within groups the update replays exactly, and rewards passed to the next response would not", (ctx) => {
    claim(ctx, "exact", { implements: ["trainLm", "sampleSequence", "groupAdvantages", "groupGradient"] });
    // The replay above starts from the uniform policy on copyTask(3, 2), where a response is right with probability
    // (1/6)³: nearly every group's rewards are all −1, so the advantages within a group are equal and ANY reassignment
    // of rewards among its responses gives the same update. Here the terminal verdict gives partial credit (the share
    // of the T tokens that match the answer, still one reward R_T per response), so rewards differ within most groups.
    const task = partialCreditCopyTask();
    const G = 3;
    for (const baseline of ["none", "rloo"] as const) {
      const cfg = { task, baseline, groupSize: G, stepSize: 0.7, episodes: 12, evalEvery: 12, initScale: 0 };
      const run = impl.trainLm(cfg, testRng(ctx, baseline));
      // replay the documented draw order; `shift` = 1 credits response g with the advantage of response g + 1 (mod G)
      const replay = (shift: number) => {
        const rng = testRng(ctx, baseline);
        const theta = new Float64Array(impl.lmParamCount(task.model));
        let past: number[] = [];
        for (let u = 0; u < cfg.episodes / G; u++) {
          const { prompt, ys } = drawGroup(task, theta, G, rng);
          const r = ys.map((y) => task.reward(prompt, y));
          const B = past.length ? past.reduce((s, x) => s + x, 0) / past.length : 0;
          const adv = impl.groupAdvantages(r, baseline, B);
          const g = impl.groupGradient(
            task.model,
            theta,
            prompt,
            ys,
            Array.from(adv, (_, k) => adv[(k + shift) % G]),
          );
          for (let i = 0; i < theta.length; i++) theta[i] += cfg.stepSize * g[i];
          past = [...past, ...r];
        }
        return theta;
      };
      const right = replay(0);
      const wrong = replay(1);
      const effect = Math.max(...Array.from(right, (x, i) => Math.abs(x - wrong[i])));
      claim(ctx, "exact", { control: true, facts: { [`${baseline}.wrongCreditEffect`]: effect } });
      // the check has power on these draws: crediting the next response moves θ far beyond the tolerance below
      expect(effect).toBeGreaterThan(1e-6);
      expectClose(run.theta, right, BOTH, `${baseline}: θ after 12 episodes`);
    }
  });

  it("[sec 3.2] [eq 30] verdicts ±1 against 0/1: RLOO on ±1 at step α makes the updates of RLOO on 0/1 at 2α, update by update; the normalized rule makes the same updates for both at one step", (ctx) => {
    claim(ctx, "exact", { implements: ["trainLm", "sampleSequence", "groupAdvantages", "groupGradient"] });
    // ±1 = 2·(0/1) − 1. A leave-one-out advantage r_g − (1/(G−1))Σ_{j≠g} r_j doubles and the −1 cancels, so each
    // update on ±1 is twice the update on 0/1 for the same responses: RLOO on ±1 at α is RLOO on 0/1 at 2α. The
    // normalized advantage divides the doubled differences by the doubled σ: the same update at the same α. Plain
    // REINFORCE has no such identity (an all-wrong group pushes its responses down under ±1 and is ignored under 0/1).
    // Copy task, 3 symbols, 1 digit, from the uniform policy, where a response is right with probability (1/6)² at
    // first: groups with mixed verdicts (the only ones RLOO learns from) appear within the first updates (counted).
    const pm = copyTask(3, 1, { failReward: -1 });
    const zo = copyTask(3, 1);
    const G = 4;
    const updates = 100;
    const alpha = 0.35;
    const d = impl.lmParamCount(pm.model);
    const maxAbs = (x: ArrayLike<number>) => Math.max(...Array.from(x, Math.abs));
    // "to 1e-12 relative": each component within 1e-12 of the larger of its own size and the update's largest component
    const rel12 = (x: ArrayLike<number>) => ({ rel: 1e-12, abs: 1e-12 * maxAbs(x) });
    /** One update of the documented draw order (prompt, then G responses), applied to θ in place; returns the increment. */
    const update = (task: typeof pm, theta: Float64Array, rng: () => number, baseline: GroupBaseline, step: number) => {
      const { prompt, ys } = drawGroup(task, theta, G, rng);
      const g = impl.groupGradient(
        task.model,
        theta,
        prompt,
        ys,
        impl.groupAdvantages(
          ys.map((y) => task.reward(prompt, y)),
          baseline,
        ),
      );
      const inc = Float64Array.from(g, (x) => step * x);
      for (let i = 0; i < d; i++) theta[i] += inc[i];
      return inc;
    };
    for (const [baseline, factor] of [
      ["rloo", 2],
      ["normalized", 1],
    ] as const) {
      // both encodings in lockstep, each from the same seed, so they draw the same prompts and responses
      const rPm = testRng(ctx, baseline);
      const rZo = testRng(ctx, baseline);
      const thPm = new Float64Array(d);
      const thZo = new Float64Array(d);
      let moved = 0;
      for (let u = 0; u < updates; u++) {
        const incPm = update(pm, thPm, rPm, baseline, alpha);
        const incZo = update(zo, thZo, rZo, baseline, factor * alpha);
        expectClose(incPm, incZo, rel12(incZo), `${baseline}: update ${u + 1} on ±1 at α against 0/1 at ${factor}α`);
        if (maxAbs(incZo) > 0) moved++;
      }
      claim(ctx, "exact", { facts: { [`${baseline}.updatesThatMoved`]: moved } });
      // the check has power: many updates moved θ (groups with mixed verdicts)
      expect(moved).toBeGreaterThanOrEqual(5);
      // and trainLm, run on each encoding from the same seed, ends at the same θ with the same held-out success
      const cfg = { baseline, groupSize: G, episodes: G * updates, evalEvery: (G * updates) / 4, initScale: 0 };
      const runPm = impl.trainLm({ ...cfg, task: pm, stepSize: alpha }, testRng(ctx, baseline));
      const runZo = impl.trainLm({ ...cfg, task: zo, stepSize: factor * alpha }, testRng(ctx, baseline));
      expectClose(
        runPm.theta,
        runZo.theta,
        rel12(runZo.theta),
        `${baseline}: trainLm's θ on ±1 at α against 0/1 at ${factor}α`,
      );
      expectClose(runPm.success, runZo.success, { rel: 1e-12, abs: 1e-15 }, `${baseline}: trainLm's held-out success`);
    }
    // plain REINFORCE at 2α is not the same learner: on the same responses its first updates differ by −(α/G)Σ_g score_g
    // (under ±1 every response is pushed down by α/G before the successes are pushed up)
    const first = update(pm, new Float64Array(d), testRng(ctx, "none"), "none", alpha);
    const firstZo = update(zo, new Float64Array(d), testRng(ctx, "none"), "none", 2 * alpha);
    expect(maxAbs(sub(first, firstZo))).toBeGreaterThan(1e-3);
  });
});

describe("4.5 Training on a verifiable task: when trainLm measures and when it stops", () => {
  it("[sec 3.2] trainLm measures held-out success every evalEvery episodes (rounded up to whole updates) and stops as soon as it reaches the target", (ctx) => {
    claim(ctx, "exact", { implements: ["trainLm"] });
    // a verdict with partial credit (still one R_T per response), so every update moves θ
    const task = partialCreditCopyTask();
    // measuring draws nothing: measuring at other points leaves the run unchanged; with G = 3 and evalEvery 40 the
    // measurements fall at the first whole update past each multiple of 40: 42, 81, 120, … (each 40 after the last due point)
    const groups: LmTrainConfig = {
      task,
      baseline: "rloo",
      groupSize: 3,
      stepSize: 0.7,
      episodes: 300,
      evalEvery: 30,
      initScale: 0,
    };
    const every30 = impl.trainLm(groups, testRng(ctx, "groups"));
    expect(every30.episodes).toEqual(Array.from({ length: 11 }, (_, k) => 30 * k));
    expect(every30.episodesToTarget).toBe(null);
    const sparse = impl.trainLm({ ...groups, evalEvery: 40 }, testRng(ctx, "groups"));
    expect(sparse.episodes).toEqual([0, 42, 81, 120, 162, 201, 240, 282]);
    expectClose(sparse.theta, every30.theta, ACCURACY, "θ measured every 40 against every 30 episodes");
    expectClose(
      [sparse.success[3], sparse.success[6]],
      [every30.success[4], every30.success[8]],
      ACCURACY,
      "success at episodes 120 and 240",
    );
    // the stopping rule, on single-response updates with the running baseline (α = 0.3, 600 episodes: held-out
    // success rose above θ_0's in each of 20,000 trial streams), so its power does not rest on how a group is credited
    const cfg: LmTrainConfig = {
      task,
      baseline: "running",
      groupSize: 1,
      stepSize: 0.3,
      episodes: 600,
      evalEvery: 60,
      initScale: 0,
    };
    const run = (extra: Partial<LmTrainConfig>) => impl.trainLm({ ...cfg, ...extra }, testRng(ctx, "stop"));
    const free = run({});
    expect(free.episodes).toEqual(Array.from({ length: 11 }, (_, k) => 60 * k));
    // a target already met by θ_0 (here exactly its success): no update at all
    const atOnce = run({ target: free.success[0] });
    expect(atOnce.episodesToTarget).toBe(0);
    expect(atOnce.episodes).toEqual([0]);
    expect(atOnce.theta.every((x) => x === 0)).toBe(true);
    // an unreachable target: the whole budget is spent, as without one
    const never = run({ target: 1.5 });
    expect(never.episodesToTarget).toBe(null);
    expect(never.episodes).toEqual(free.episodes);
    expectClose(never.theta, free.theta, ACCURACY, "θ with an unreachable target");
    // the best success of the free run, first met at point k* ≥ 1: the run with that target stops right there
    const best = Math.max(...free.success);
    const kStar = free.success.indexOf(best);
    expect(kStar).toBeGreaterThan(0); // the check has power: training raised held-out success above θ_0's
    const stop = run({ target: best });
    expect(stop.episodesToTarget).toBe(60 * kStar);
    expect(stop.episodes).toEqual(free.episodes.slice(0, kStar + 1));
    expectClose(stop.success, free.success.slice(0, kStar + 1), ACCURACY, "success up to the stop");
    expectClose(stop.theta, run({ episodes: 60 * kStar }).theta, ACCURACY, "θ at the stop");
    // θ_0 is drawn when initScale > 0 (no longer the uniform policy), and measured
    const drawn = impl.trainLm({ ...cfg, initScale: 0.1, episodes: 0 }, stream("init"));
    expect(drawn.theta.some((x) => x !== 0)).toBe(true);
    expectClose(
      drawn.success[0],
      exactSuccess(documentedPolicy(task.model, drawn.theta), task.heldOut, task.answer),
      ACCURACY,
      "success at a drawn θ₀",
    );
  });
});
