/**
 * A grading report made by hand for the tests of the student's formats (report-*.test.ts): checks of
 * every outcome, with messages written as the specs and the sandbox write them — a comparison with its
 * tolerance, a statistical check with its seed and replay lines, a sandbox verdict that quotes the
 * error vitest prints again, a property's counterexample, hostile and very long text.
 */
import type { Check } from "../../scripts/grader/checks.ts";
import { scoreChapters, type Report } from "../../scripts/grader/report.ts";

export const SEED = "20251117";
const SUBMISSION = "examples/students/a-submission-with-a-rather-long-folder-name-to-see-it-wrap/index.ts";
const HIDDEN = "/home/instructor/course/pgbook-hidden-specs/chapter1";
const FILE = "test/grader/fixtures/hidden/chapter1-quick.spec.ts";

/** The replay command of a check, as the specs' support writes it, under master seed `seed`. */
export const replayOf = (seed: string, spec: string) =>
  `PGBOOK_SEED=${seed} npm run grade -- '${SUBMISSION}' --specs ${spec} --hidden '${HIDDEN}'`;
/** A check's own seed: the master seed, its file and its full name. */
const seedOf = (seed: string, name: string) => `${seed}/${FILE}/${FILE} > quick chapter 1 > ${name}`;

/** One long token with no place to break: the widths must hold anyway. */
export const LONG_TOKEN = "x".repeat(1500);

function check(c: Partial<Check> & Pick<Check, "name" | "status" | "chapter">, seed: string): Check {
  const failed = c.status !== "passed";
  return {
    id: `${FILE}::${c.name}`,
    file: FILE,
    tags: [...c.name.matchAll(/\[([a-z]+ [^\]]+)\]/g)].map((m) => m[1]),
    kind: "exact",
    functions: [],
    message: "",
    weight: 1,
    points: failed ? 0 : 1,
    seed: seedOf(seed, c.name),
    replay: replayOf(seed, "none"),
    hidden: true,
    seconds: 0.1,
    ...c,
  };
}

/** The checks, under master seed `seed` (their messages carry it as the specs print it). */
function checks(seed: string): Check[] {
  const stat = "[eq 12] the sampled update R·∇ln πθ(A) averages to the policy gradient";
  const prop = "2.1 The policy gradient theorem (21) [eq 21] adding any function b(s) of the state leaves ∇λ unchanged";
  return [
    check(
      {
        name: "[eq 2] gibbsPolicy is the softmax and stays finite for large scores",
        status: "passed",
        chapter: 1,
        functions: ["gibbsPolicy"],
      },
      seed,
    ),
    check(
      {
        name: "[eq 1] reinforceStep is θ + αR(1ₐ − πθ)",
        status: "failed",
        chapter: 1,
        verdict: "assertion",
        functions: ["reinforceStep"],
        message:
          "Error: reinforceStep([2.995014453306794, 1.2473337091505527, 1.412300145253539, " +
          "-1.8899570312350988], A = 1, R = -0.010226256214082241, α = 0.03645629627986133)[1] = " +
          "1.2466778754081611, expected 1.2470057922793569: error 3.28e-4 (relative 2.63e-4) > allowed " +
          "1.25e-9 (tolerance 1e-12 + 1e-9·|expected|)",
      },
      seed,
    ),
    check(
      {
        name: "[fig 1] the learning curves of Figure 1 concentrate on the best arm",
        status: "passed",
        chapter: 1,
        functions: ["reinforceStep", "sampleAction"],
      },
      seed,
    ),
    check(
      {
        name: stat,
        status: "failed",
        chapter: 1,
        kind: "monte-carlo",
        verdict: "statistical",
        functions: ["sampleAction", "reinforceStep"],
        message:
          "Error: statistical check failed, update0: mean 0.392382 vs 0.195567 (error 0.196815, half-width " +
          "0.0305459 at α=1e-9, n=20000, bernstein)\n" +
          `  seed: ${seedOf(seed, stat)}\n  replay: ${replayOf(seed, "none")}`,
        stats: [
          {
            label: "update0",
            estimate: 0.392382,
            expected: 0.195567,
            error: 0.196815,
            bound: 0.0305459,
            alpha: 1e-9,
            n: 20000,
          },
        ],
        guess: "looks like a scale error: the estimate is about 2.01 × the expected value",
      },
      seed,
    ),
    check(
      {
        name: "[eq 5] gibbsScore is 1ₐ − πθ",
        status: "failed",
        chapter: 1,
        verdict: "throw",
        functions: ["gibbsScore"],
        message:
          "pgbook-sandbox[throw]: gibbsScore threw Error: not implemented yet: gibbsScore\nError: not " +
          "implemented yet: gibbsScore\n",
      },
      seed,
    ),
    check(
      {
        name: "[eq 6] componentwiseStep moves θ_A by α(1 − πθ(A))R and every other θ_b by −απθ(b)R",
        status: "not-attempted",
        chapter: 1,
        verdict: "not-attempted",
        functions: ["componentwiseStep"],
        message: "not attempted: the submission does not export componentwiseStep",
      },
      seed,
    ),
    check(
      {
        name: "[eq 13] runningAverageBaseline averages the rewards so far (B_0 = 0)",
        status: "failed",
        chapter: 1,
        verdict: "throw",
        functions: ["runningAverageBaseline"],
        message: `pgbook-sandbox[throw]: runningAverageBaseline threw Error: </failure><script>alert("x")</script> ${LONG_TOKEN.slice(0, 300)}… [1228 characters cut]\nError: </failure><script>alert("x")</script> ${LONG_TOKEN}`,
      },
      seed,
    ),
    check(
      {
        name: "[eq 20] d is the stationary distribution",
        status: "passed",
        chapter: 2,
        functions: ["stationaryDistribution"],
        hidden: false,
      },
      seed,
    ),
    check(
      {
        name: prop,
        status: "failed",
        chapter: 2,
        kind: "property",
        verdict: "assertion",
        hidden: false,
        functions: ["policyGradient", "relativeValues", "stateActionDistribution"],
        message:
          "Error: Σ μ (Q + b) ∇ln π vs ∇λ (mixing S=4 A=2 tabular)[0] = 0.032311867824449982, expected " +
          "0.024780128547199742: error 7.53e-3 (relative 3.04e-1) > allowed 5.42e-8 (tolerance 5e-8 + " +
          "1e-9·|expected|)\n" +
          "  property failed at run 1 of 100; the first failing instance (the arguments of the property, as drawn):\n" +
          `    #1: { mdp: { P: [[[0.34778695190428693,0.06502663622102742,0.4754738893929883,0.11171252248169738],[0.2090672019232972,0.16949553251147745,0.6214372655652254,0]]], r: [[0.15226538851857185,-0.7792595410719514]] }, theta: [${Array.from({ length: 40 }, (_, i) => (i / 7).toFixed(15)).join(",")}] }\n` +
          "  shrunk to the simplest failing instance found:\n    #1: { mdp: { P: [[[0.5, 0.5]]], r: [[0, 1]] }, theta: [0, 0] }\n" +
          "  which fails with: Σ μ (Q + b) ∇ln π vs ∇λ (mixing S=2 A=1 tabular)[0] = 0, expected -0.5: " +
          "error 5.00e-1 (relative 1.00e+0) > allowed 5.00e-8 (tolerance 5e-8 + 1e-9·|expected|)\n" +
          `  fast-check seed: -596481230, path: 0:0:1:3:2 (replays the shrunk instance)\n  replay: ${replayOf(seed, "'2.1-gain'")}`,
        replay: replayOf(seed, "'2.1-gain'"),
      },
      seed,
    ),
    check(
      {
        name: "4.2 The gradient of a whole response [eq 29] a response's log-probability gradient is the sum of its tokens'",
        status: "failed",
        chapter: 4,
        verdict: "assertion",
        hidden: false,
        functions: ["sequenceScore", "tokenScore"],
        message:
          "Error: sequenceScore against the sum of tokenScore[2] = -1.8080459015164134, expected " +
          "-0.90402295075820671: error 9.04e-1 (relative 1.00e+0) > allowed 1.81e-9 (tolerance 2e-12 + " +
          "2e-9·|expected|)",
      },
      seed,
    ),
    check(
      {
        name: "[sec 3.2] trainLm learns the verifiable task",
        status: "passed",
        chapter: 4,
        functions: ["trainLm"],
        hidden: false,
      },
      seed,
    ),
  ];
}

/** The report of a grading under the public seed; `secret` makes it a grading under that secret seed. */
export function fixtureReport(secret?: string): Report {
  const seed = secret ?? SEED;
  const cs = checks(seed);
  const chapters = scoreChapters(cs, [1, 2, 4]);
  const points = chapters.reduce((s, c) => s + c.points, 0);
  const maxPoints = chapters.reduce((s, c) => s + c.max, 0);
  return {
    tool: "pgbook-grader",
    submission: SUBMISSION,
    status: "failed",
    exitCode: 1,
    seed,
    commit: "0123456789abcdef0123456789abcdef01234567",
    node: "v20.20.2",
    startedAt: "2026-12-01T12:00:00.000Z",
    seconds: 15.2,
    phases: { typecheck: 9.5, bundle: 0.5, selfTest: 0.3, checks: 3.7 },
    seedSecret: secret !== undefined,
    isolation: {
      layers: ["namespaces", "uid", "rlimits", "permission-model"],
      missing: { "permission-network": "not needed: the network namespace has no network" },
      line:
        "isolation: namespaces, uid, rlimits, permission-model" +
        "; not active: permission-network (not needed: the network namespace has no network)",
    },
    chapters,
    points,
    maxPoints,
    score: points / maxPoints,
    checks: cs,
    exports: ["gibbsPolicy", "reinforceStep", "sampleAction"],
    typecheck: { errors: [], warnings: [] },
    notices: [],
    hiddenVisibility: "after_published",
  };
}
