/**
 * What each example submission in examples/students/ must get from the grader, check by check: the
 * Chapter 1 examples on the quick hidden specs of test/grader/fixtures/hidden, the Chapter 2–4
 * examples on the book's own fast-tier specs of their chapters. Shared by the single-submission tests
 * (grader.test.ts) and the batch over all examples (examples-batch.test.ts).
 */
import { expect } from "vitest";
import type { Report } from "../../scripts/grader/report.ts";

/** Chapter 1: the quick hidden specs. */
export const HIDDEN = "test/grader/fixtures/hidden";

/** The quick checks by a short key (a substring of the title). */
export const KEYS = {
  policy: "[eq 2] gibbsPolicy is the softmax",
  score: "[eq 5] gibbsScore",
  step: "[eq 1] reinforceStep",
  baseline: "[eq 13] reinforceBaselineStep",
  grad: "[eq 7] [eq 11]",
  avg: "[eq 13] runningAverageBaseline",
  sample: "[eq 2] sampleAction",
  update: "[eq 12] the sampled update",
  componentwise: "[eq 6] componentwiseStep",
} as const;
export type Key = keyof typeof KEYS;

/** Expected outcome per example: exit code, and the verdict of each check that must fail (the rest hold). */
export const EXPECTED: Record<string, { exit: number; fail?: Partial<Record<Key, string>>; notAttempted?: Key[] }> = {
  correct: { exit: 0 },
  "score-without-pi": { exit: 1, fail: { score: "assertion" } },
  "action-baseline": { exit: 1, fail: { baseline: "assertion" } },
  "rescaled-update": { exit: 1, fail: { step: "assertion", update: "statistical" } },
  hang: { exit: 1, fail: { sample: "timeout", update: "timeout" } },
  "throw-at-import": { exit: 1, fail: Object.fromEntries(Object.keys(KEYS).map((k) => [k, "import"])) },
  "mutates-input": { exit: 1, fail: { policy: "mutation" } },
  "unbounded-memory": { exit: 1, fail: { grad: "oom" } },
  "math-random": { exit: 1, fail: { sample: "math-random", update: "math-random" } },
  "hostile-text": { exit: 1, fail: { score: "throw" } },
  "escape-attempts": { exit: 1, fail: { grad: "access", avg: "crash" } },
  "nan-output": { exit: 1, fail: { policy: "nonfinite" } },
  "partial-gibbs-only": {
    exit: 1,
    notAttempted: ["score", "step", "baseline", "grad", "avg", "sample", "update", "componentwise"],
  },
  "not-gradable-signature": { exit: 2 },
  // eq. (6) moves the other actions by −αRπ(A), the chosen action's probability
  "ch1-componentwise-chosen-prob": { exit: 1, fail: { componentwise: "assertion" } },
  // sampleAction returns the drawn action's position in the probability-sorted order (eq. 2)
  "ch1-sorted-sampler": { exit: 1, fail: { sample: "statistical" } },
  // none: log-sum-exp softmax, CDF inverted from the last action, sums in another order
  "correct-logsumexp": { exit: 0 },
};

/** Per chapter: the fast spec files (names for --specs) and every check by a short key (a substring of its title). */
export const CHAPTERS = {
  2: {
    specs: [
      "2.0-setting",
      "2.1-gain",
      "2.1-policy-gradient-theorem",
      "2.2-reinforce-gain",
      "2.3-rollouts",
      "2.4-td-actor-critic",
      "2.4-actor-critic-runs",
    ],
    keys: {
      validate: "[sec 2] validateMdp accepts",
      validateEdges: "[sec 2] validateMdp rejects non-objects",
      transient: "[eq 20] with transient states d and μ",
      stablePolicy: "[sec 2.1] policyProbs stays exact for preferences of size 800",
      policy: "[sec 2.1] policyProbs is the softmax",
      score: "[sec 2.1] policyScore equals",
      stationary: "[eq 20] d is the stationary distribution",
      handGains: "[eq 20] hand-derived gains",
      longRun: "[eq 20] the gain is the long-run average reward",
      relativeValues: "[sec 2.1] relativeValues solves",
      gradientFd: "[eq 21] policyGradient equals central finite differences",
      gradientH2: "[eq 21] the finite-difference error shrinks like h²",
      stateBaseline: "[eq 21] adding any function b(s)",
      muControl: "[erratum mu-undefined]",
      muControlRandom: "dropping d(s) is caught in at least 95",
      maxInQ: "[erratum max-in-q]",
      gainNotation: "[erratum gain-notation]",
      step: "[eq 22] [eq 23] one step moves θ",
      expectedStep: "[eq 22] [eq 23] with (S_t, A_t) ~ μθ",
      constant: "[eq 23] the baseline removes the arbitrary constant",
      secondMoment: "[eq 23] over random instances",
      rolloutExact: "[sec 2.3] E[Q̂_K] =",
      rolloutDeterministic: "[sec 2.3] a rollout from (S_t, A_t) on a deterministic path",
      trajectoryDeterministic: "[eq 20] a trajectory's average reward on a deterministic path",
      rolloutGeometric: "[sec 2.3] the truncated expectation converges",
      rolloutStart: "[erratum rollout-start]",
      rolloutInfinite: "[erratum rollout-infinite-sum]",
      periodic: "[sec 2.3] on the periodic chain",
      criticStep: "[eq 25] [eq 26] [eq 27] one critic step",
      tabularFixedPoint: "[eq 25] [eq 26] [eq 27] tabular fixed point",
      linearFixedPoint: "[eq 25] [eq 26] [eq 27] linear fixed point",
      flippedSign: "[eq 26] [eq 27] negative control",
      actorExpected: "[eq 24] with a critic equal to Q_π",
      actorStep: "[eq 24] one actor step",
      shortRuns: "[eq 24] in 3,000 steps",
      actorReplay: "[eq 24] [eq 25] [eq 26] [eq 27] runActorCritic replayed with two actions",
      runCritic: "[eq 25] [eq 26] [eq 27] runActorCritic's critic is criticStep",
      runTrace: "[eq 24] runActorCritic's trace records",
      actorLarge: "[eq 24] actorStep stays exact when a preference is 800",
    },
  },
  3: {
    specs: [
      "3.1-episodes",
      "3.2-expected-update",
      "3.3-reward-to-go",
      "3.4-baselines",
      "3.5-learning",
      "3.6-wrong-turns",
      "3.7-errata",
    ],
    keys: {
      J: "[eq 28] J(θ) by forward propagation",
      values: "[eq 28] Q_t(s, a) and V_t(s) by backward induction",
      expectedFd: "[eq 28] the expected update Σ_t",
      gradientH2: "[eq 28] the finite-difference error of ∇J",
      policy: "[eq 28] episodicPolicy and episodicScore",
      u28: "[eq 28] the single-episode update (28)",
      rewardToGo: "[eq 29] the reward-to-go estimator is unbiased",
      fullReturn: "[eq 29] the full-return variant",
      u30: "[eq 30] (30) with exact advantages",
      anyBaseline: "[eq 30] any baseline b_t(s)",
      varRepeated: "[eq 29] [eq 30] repeated choice",
      varStopOrPlay: "[eq 29] [eq 30] stop-or-play and the checked answer",
      moments: "[eq 29] [eq 30] on small layered problems",
      varTable: "[eq 29] [eq 30] the variance figure's table",
      learningFigure: "[eq 29] [eq 30] the learning figures' runs",
      lateControl: "[eq 29] a reward-to-go that starts one step late",
      peekControl: "[eq 30] a baseline that depends on the action",
      qTimeIndex: "[erratum q-time-index]",
      includesRt: "[erratum reward-to-go-includes-rt]",
      eq30means28: "[erratum eq30-means-eq28]",
      sampleEpisode: "[eq 29] sampleEpisode draws",
      monteCarlo: "[eq 29] on the checked answer, the mean of 30,000",
      train: "[eq 29] [eq 30] trainEpisodic takes",
    },
  },
  4: {
    specs: [
      "4.1-policy",
      "4.2-response-gradient",
      "4.3-baselines",
      "4.4-exact-enumeration",
      "4.5-training-loop",
      "4.5-experiments",
      "4.6-network",
      "4.8-network-training-loop",
    ],
    keys: {
      window: "[fig 3] [sec 3.2] the next window",
      policy: "[fig 3] πθ(·|S_t) is a distribution",
      tokenScore: "[eq 29] the token score",
      sequenceScore: "[eq 29] a response's log-probability gradient",
      gradientH2: "[eq 29] the finite-difference error shrinks like h²",
      noShiftControl: "[eq 29] negative control: per-token scores",
      sampler: "[sec 3.2] sampled responses have probability",
      task: "[sec 3.2] the training task",
      conventions: "[eq 30] groupAdvantages follows",
      meanVsRloo: "[eq 30] the group mean including the own reward",
      unbiased: "[eq 29] [eq 30] plain REINFORCE, a fixed (running) baseline and RLOO",
      rlooG4: "[eq 30] RLOO stays unbiased",
      wrongCreditControl: "[eq 30] negative control: rewards credited",
      normalizedG3: "[sec 3.2] normalizing by the group std, binary rewards",
      normalizedG4: "[sec 3.2] normalizing by the group std, G = 4",
      trainReplay: "[sec 3.2] one update of trainLm",
      trainCredit: "[sec 3.2] trainLm credits each response",
      trainStop: "[sec 3.2] trainLm measures held-out success",
      encodings: "[sec 3.2] [eq 30] verdicts ±1 against 0/1",
      netParamCount: "[fig 3] netParamCount",
      netPolicy: "[fig 3] netPolicy is the contract's forward pass",
      netMask: "[fig 3] [sec 3.2] causal attention",
      netTokenScore: "[eq 29] netTokenScore equals central finite differences",
      netControls: "[eq 29] negative controls: the finite-difference check rejects",
      netH2: "[eq 29] in every block, the finite-difference error",
      netSequence: "[eq 29] [sec 3.2] a response's score through the network",
      netLoop: "[eq 29] [sec 3.2] one REINFORCE update of the network",
      netPretrainStep: "[sec 3.2] one pretraining step",
      // (the corpus check, 4.8, checks the book's own generator: it exercises no contract function, so it is not graded)
    },
  },
} as const;
export type Chapter = keyof typeof CHAPTERS;
export type ChapterKey<C extends Chapter> = keyof (typeof CHAPTERS)[C]["keys"];

/** Failures of the grader, not of the submission: they fail for the correct example too (none left). */
// Fixed: thrown messages cross unprefixed (validateMdp's /^\$…/ patterns match), and function
// arguments (trainLm's task, step-size schedules) cross as callbacks into the judging process.
export const GRADER_LIMITS: { [C in Chapter]: Partial<Record<ChapterKey<C>, { verdict: string; message: RegExp }>> } = {
  2: {},
  3: {},
  4: {},
};

export interface Expected<C extends Chapter> {
  chapter: C;
  /** The checks the mistake makes fail, with their verdicts; every other check holds (besides GRADER_LIMITS). */
  fail: Partial<Record<ChapterKey<C>, string>>;
}
const ex = <C extends Chapter>(chapter: C, fail: Partial<Record<ChapterKey<C>, string>>): Expected<C> => ({
  chapter,
  fail,
});

/** What a reward-to-go with the wrong range of rewards (one step late, or one short) makes fail. */
const WRONG_REWARD_TO_GO = {
  rewardToGo: "assertion",
  varRepeated: "assertion",
  varStopOrPlay: "assertion",
  moments: "assertion",
  varTable: "assertion",
  includesRt: "assertion",
  monteCarlo: "statistical",
} as const;

export const CH234_EXPECTED: Record<string, Expected<Chapter>> = {
  // relativeValues by relative value iteration on the printed max-form equation: it finds (λ*, Q*)
  "ch2-max-in-q": ex(2, {
    stationary: "assertion", // relativeValues(…).gain is λ*, not the gain (20)
    relativeValues: "assertion",
    stateBaseline: "assertion",
    maxInQ: "assertion",
    gainNotation: "assertion",
    expectedStep: "assertion",
    secondMoment: "assertion",
    rolloutExact: "assertion",
    rolloutGeometric: "assertion",
    periodic: "assertion",
    tabularFixedPoint: "assertion",
    flippedSign: "assertion", // its "right" run is measured against Q from relativeValues
    actorExpected: "assertion",
  }),
  // the critic steps by −βd (and runActorCritic uses that criticStep)
  "ch2-td-wrong-sign": ex(2, {
    criticStep: "assertion",
    flippedSign: "assertion",
    shortRuns: "statistical",
    actorReplay: "assertion",
  }),
  // none: the stationary distribution by lazy power iteration (I + P)/2 to a residual of 1e-13
  "correct-lazy-power": ex(2, {}),
  // the actor steps by 0.6·α (eq. 24): only the exact two-action replay sees it
  "ch2-actor-step-scaled": ex(2, { actorReplay: "assertion" }),
  // eq. (21) without d(s)
  "ch2-no-state-distribution": ex(2, {
    gradientFd: "assertion",
    gradientH2: "assertion",
    stateBaseline: "assertion",
    muControl: "assertion",
    gainNotation: "assertion",
  }),
  // Ĝ_t = R_{t+2} + … + R_T
  "ch3-reward-to-go-late": ex(3, WRONG_REWARD_TO_GO),
  // Q₀ at every step of (28)
  "ch3-time-independent-q": ex(3, {
    u28: "assertion",
    varTable: "assertion",
    qTimeIndex: "assertion",
    eq30means28: "assertion",
  }),
  // Ĝ_t = R_{t+1} + … + R_{T−1}
  "ch3-rollout-drops-rt": ex(3, WRONG_REWARD_TO_GO),
  // every token's score at S_0
  "ch4-score-no-shift": ex(4, { sequenceScore: "assertion", gradientH2: "assertion" }),
  // "rloo" = r_g − mean of all G
  // (and trainLm, which takes its advantages from groupAdvantages, credits the responses wrongly)
  "ch4-rloo-own-reward": ex(4, {
    conventions: "assertion",
    meanVsRloo: "assertion",
    unbiased: "assertion",
    rlooG4: "assertion",
    trainCredit: "assertion",
    // the network's REINFORCE update, assembled from its groupAdvantages
    netLoop: "assertion",
  }),
  // "normalized" with the sample std (G − 1)
  "ch4-normalized-sample-std": ex(4, {
    conventions: "assertion",
    normalizedG3: "assertion",
    normalizedG4: "assertion",
    netLoop: "assertion",
  }),
  // trainLm credits response g with A_{g+1}: only trainLm's credit check sees it
  "ch4-wrong-episode-credit": ex(4, { trainCredit: "assertion" }),
  // the transformer attends over every j, not only j ≤ i, in netPolicy and in everything built on it: the
  // forward-pass checks, the controls (whose right backward pass is the masked one) and netSequenceLogProb against
  // the documented sum see it; the scores, the gradient of that same unmasked ln π, agree with its finite differences
  "ch4-net-no-causal-mask": ex(4, {
    netPolicy: "assertion",
    netMask: "assertion",
    netControls: "assertion",
    netSequence: "assertion",
    // the training loops replay their draws with its policy and assemble their updates from its scores
    netLoop: "assertion",
    netPretrainStep: "assertion",
  }),
  // the attention softmax's backward summed down column j instead of along row i: the score checks see it
  "ch4-net-attention-backward-transposed": ex(4, {
    netTokenScore: "assertion",
    netH2: "assertion",
    netSequence: "assertion",
    netLoop: "assertion",
    netPretrainStep: "assertion",
  }),
  // netTokenScore (and netSequenceScore, the sum of it) at the most likely token instead of the given one
  "ch4-net-wrong-token-score": ex(4, {
    netTokenScore: "assertion",
    netH2: "assertion",
    netSequence: "assertion",
    netLoop: "assertion",
    netPretrainStep: "assertion",
  }),
};

/** The correct Chapter 2–4 submission; each chN-* example re-exports it with one mistake. */
export const CORRECT_CH234 = "correct-ch234";

/** Check the outcome of one chapter of a report, check by check. */
export function expectChapter<C extends Chapter>(
  report: Report,
  chapter: C,
  fail: Partial<Record<ChapterKey<C>, string>>,
): void {
  const keys = CHAPTERS[chapter].keys as Record<string, string>;
  const limits = GRADER_LIMITS[chapter] as Record<string, { verdict: string; message: RegExp }>;
  const checks = report.checks.filter((c) => c.chapter === chapter);
  const named = new Set<string>();
  for (const [key, title] of Object.entries(keys)) {
    const found = checks.filter((c) => c.name.includes(title));
    expect(
      found.map((c) => c.name),
      `check ${chapter}:${key}`,
    ).toHaveLength(1);
    const c = found[0];
    named.add(c.id);
    const limit = limits[key];
    const verdict = (fail as Record<string, string>)[key];
    if (limit) {
      expect(c.status, `${key}: ${c.message}`).toBe("failed");
      expect(c.verdict, key).toBe(limit.verdict);
      expect(c.message, key).toMatch(limit.message);
    } else if (verdict) {
      expect(c.status, key).toBe("failed");
      expect(c.verdict, `${key}: ${c.message}`).toBe(verdict);
      expect(c.points, key).toBe(0);
    } else expect(c.status, `${key}: ${c.message}`).toBe("passed");
  }
  // every check of the chapter has a key here (a new check in the specs shows up as a failure to update)
  expect(checks.filter((c) => !named.has(c.id)).map((c) => c.name)).toEqual([]);
  const score = report.chapters.find((s) => s.chapter === chapter)!;
  expect(score.notAttempted).toBe(0);
  expect(score.failed).toBe(Object.keys(limits).length + Object.keys(fail).length);
}

/** Check the Chapter 1 quick checks of a report against an example's expectation, check by check. */
export function expectChapter1(report: Report, want: (typeof EXPECTED)[string]): void {
  for (const key of Object.keys(KEYS) as Key[]) {
    const found = report.checks.filter((x) => x.name.includes(KEYS[key]));
    expect(found, `check ${key}`).toHaveLength(1);
    const c = found[0];
    const verdict = want.fail?.[key];
    if (want.notAttempted?.includes(key)) expect(c.status, key).toBe("not-attempted");
    else if (verdict) {
      expect(c.status, key).toBe("failed");
      expect(c.verdict, key).toBe(verdict);
      expect(c.points).toBe(0);
    } else expect(c.status, `${key}: ${c.message}`).toBe("passed");
    expect(c.hidden).toBe(true);
    expect(c.seed).toBeTruthy();
  }
}

/** Every check of a chapter in a report is "not attempted" (the submission does not implement it). */
export function expectNotAttempted(report: Report, chapter: number): void {
  const checks = report.checks.filter((c) => c.chapter === chapter);
  expect(checks.length, `chapter ${chapter} checks`).toBeGreaterThan(0);
  expect(checks.filter((c) => c.status !== "not-attempted").map((c) => `${c.name}: ${c.status}`)).toEqual([]);
}
