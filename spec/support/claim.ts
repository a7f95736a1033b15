/**
 * What a check records about itself. The site and the grader read these facts from each test's
 * `meta` (vitest's JSON reporter and Node API carry them): the kind of check, its design
 * (samples, α, half-width, smallest detectable deviation), its seed and a command that replays it.
 */
import path from "node:path";
import type { TestContext } from "vitest";
import { derive, seed32, stream, type Rng } from "../../src/contract/random.ts";
import { masterSeed } from "../../measure/seed.ts";
import { replayLine } from "../../measure/replay.ts";
import type { CheckKind, ClaimMeta } from "../../measure/claim-meta.ts";

export type { CheckKind, ClaimMeta };

declare module "vitest" {
  interface TaskMeta {
    pgbook?: ClaimMeta;
  }
}

function relFile(ctx: TestContext): string {
  const file = ctx.task.file?.filepath ?? "";
  return path.relative(process.cwd(), file).split(path.sep).join("/");
}

/** The shell command that replays one test under the current master seed (measure/replay.ts). */
export function replayCommand(ctx: TestContext): string {
  return replayLine(relFile(ctx), ctx.task.name);
}

/** The test's own seed: derived from the master seed, its file and its full name. */
export function testSeed(ctx: TestContext, ...labels: (string | number)[]): string {
  return derive(masterSeed(), relFile(ctx), ctx.task.fullName ?? ctx.task.name, ...labels);
}

/** Record (or extend) the facts of the current check. Later calls merge into earlier ones. */
export function claim(ctx: TestContext, kind: CheckKind, extra: Partial<ClaimMeta> = {}): ClaimMeta {
  const prev = ctx.task.meta.pgbook;
  const fresh: ClaimMeta = { kind, masterSeed: masterSeed(), seed: testSeed(ctx), replay: replayCommand(ctx) };
  // The grader's sandbox may already have recorded the functions a check called (before the check declared
  // itself): those facts are kept, the rest is filled in.
  const base: ClaimMeta = prev?.seed !== undefined ? prev : { ...fresh, ...prev, kind: prev?.kind ?? kind };
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
