/**
 * What a check records about itself. The site and the grader read these facts from each test's
 * `meta` (vitest's JSON reporter and Node API carry them): the kind of check, its design
 * (samples, α, half-width, smallest detectable deviation), its seed and a command that replays it.
 */
import path from "node:path";
import type { TestContext } from "vitest";
import { derive, seed32, stream, type Rng } from "../../src/contract/random.ts";
import { masterSeed } from "../../measure/seed.ts";
import { shellQuote } from "../../measure/shell.ts";

export type CheckKind = "exact" | "property" | "monte-carlo";

export interface ClaimMeta {
  kind: CheckKind;
  /** The master seed of the run and the test's own derived seed. */
  masterSeed: string;
  seed: string;
  /** A shell command that reruns exactly this test with the same seed. */
  replay: string;
  /** Names of the functions of the implementation this check exercises (for source links and grading). */
  implements?: string[];
  /** A negative control: a deliberately wrong estimator that the check must reject. */
  control?: boolean;
  samples?: number;
  runs?: number;
  /** Per-check false-failure rate of a statistical assertion (summed over the assertions of the test). */
  alpha?: number;
  /** Miss rate of a negative control (counts in the same budget). */
  beta?: number;
  halfWidth?: number;
  detectable?: number;
  /** Rate claims: the rate at or beyond which the claim fails with probability ≥ 1 − powerBeta (shown on the badge). */
  p1?: number;
  /** Rate claims: the miss rate at which p1 is stated (not part of the false-failure budget: a miss fails nothing). */
  powerBeta?: number;
  /** Set by the grader's sandbox: the first non-finite result of the test ("pgbook-sandbox[nonfinite]: fn returned …"). */
  nonfinite?: string;
  /** Free-form measured facts shown on the site (estimates, exact values, ratios). */
  facts?: Record<string, number | string | boolean>;
}

declare module "vitest" {
  interface TaskMeta {
    pgbook?: ClaimMeta;
  }
}

function relFile(ctx: TestContext): string {
  const file = ctx.task.file?.filepath ?? "";
  return path.relative(process.cwd(), file).split(path.sep).join("/");
}

/** A word of the replay line as it is when nothing in it is special to a shell, else single-quoted. */
const word = (s: string): string => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : shellQuote(s));

/**
 * The shell command that replays one test under the current master seed, safe to paste: the
 * implementation's path (which a submission's folder name controls) and the title are single-quoted,
 * the spec file and the seed too when they hold anything a shell would read.
 */
export function replayCommand(ctx: TestContext): string {
  const file = relFile(ctx);
  if (process.env.PGBOOK_SANDBOX && process.env.PGBOOK_IMPL) return gradeReplay(file);
  const slow = file.endsWith(".slow.spec.ts") ? " --project slow" : "";
  const impl = process.env.PGBOOK_IMPL ? `PGBOOK_IMPL=${shellQuote(process.env.PGBOOK_IMPL)} ` : "";
  // -t takes a regular expression: the title's metacharacters escaped, then the whole quoted
  const title = ctx.task.name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  return `${impl}PGBOOK_SEED=${word(masterSeed())} npx vitest run${slow} ${word(file)} -t ${shellQuote(title)}`;
}

/**
 * Under the grader the replay is a grading: the figures' runs cross into the sandbox under opaque
 * seeds, so only the grader reproduces them. The spec file's checks are regraded with the same
 * master seed (PGBOOK_SEED, taken as it is, as the submission's content-keyed seed was).
 */
function gradeReplay(file: string): string {
  const m = /^spec\/(\d+)-[^/]+\/(.+?)(\.slow)?\.spec\.ts$/.exec(file);
  const where = m
    ? `--chapters ${m[1]} --specs ${shellQuote(m[2])}${m[3] ? " --slow" : ""}`
    : `--specs none --hidden ${shellQuote(path.dirname(path.resolve(file)))}`;
  return `PGBOOK_SEED=${word(masterSeed())} npm run grade -- ${shellQuote(process.env.PGBOOK_IMPL!)} ${where}`;
}

/** The test's own seed: derived from the master seed, its file and its full name. */
export function testSeed(ctx: TestContext, ...labels: (string | number)[]): string {
  return derive(masterSeed(), relFile(ctx), ctx.task.fullName ?? ctx.task.name, ...labels);
}

/** Record (or extend) the facts of the current check. Later calls merge into earlier ones. */
export function claim(ctx: TestContext, kind: CheckKind, extra: Partial<ClaimMeta> = {}): ClaimMeta {
  const prev = ctx.task.meta.pgbook;
  const base: ClaimMeta = prev ?? { kind, masterSeed: masterSeed(), seed: testSeed(ctx), replay: replayCommand(ctx) };
  const merged: ClaimMeta = {
    ...base,
    ...extra,
    kind: mergeKind(base.kind, kind),
    facts: { ...(base.facts ?? {}), ...(extra.facts ?? {}) },
    implements: [...new Set([...(base.implements ?? []), ...(extra.implements ?? [])])],
  };
  // α and β add up across the statistical assertions of one test (Bonferroni within the test).
  if (prev?.alpha !== undefined && extra.alpha !== undefined) merged.alpha = prev.alpha + extra.alpha;
  if (prev?.beta !== undefined && extra.beta !== undefined) merged.beta = prev.beta + extra.beta;
  if (prev?.samples !== undefined && extra.samples !== undefined) merged.samples = prev.samples + extra.samples;
  ctx.task.meta.pgbook = merged;
  return merged;
}

const rank: Record<CheckKind, number> = { exact: 0, property: 1, "monte-carlo": 2 };
function mergeKind(a: CheckKind, b: CheckKind): CheckKind {
  return rank[a] >= rank[b] ? a : b;
}

/** A seeded stream for a test, recorded in its facts. */
export function testRng(ctx: TestContext, ...labels: (string | number)[]): Rng {
  return stream(testSeed(ctx, ...labels));
}

/** A 32-bit seed for fast-check, derived like `testSeed`. */
export function testSeed32(ctx: TestContext, ...labels: (string | number)[]): number {
  return seed32(testSeed(ctx, ...labels)) | 0;
}
