/**
 * The claims of a build: every tag with its checks and their status, where each tag is marked, and
 * the summary the index, the report and the terminal show (claims held and failed, Σα + Σβ).
 */
import type { TestResult } from "../lib/run-specs.ts";
import { byTag, compareTags, statusOf, type Status } from "./checks.ts";
import type { Mark, ParsedPage } from "./markdown.ts";
import type { SiteResults, SiteSummary } from "./site-types.ts";

export interface ClaimIndex {
  /** Every tag with the checks that carry it. */
  checks: Map<string, TestResult[]>;
  tagStatus: Map<string, Status>;
  /** Every tag, in the book's order (eq, fig, sec, erratum). */
  claimTags: string[];
  failedTags: string[];
  /** The marks of each tag, with their pages. */
  where: Map<string, { page: ParsedPage; mark: Mark }[]>;
}

export function claimIndex(pages: ParsedPage[], tests: TestResult[]): ClaimIndex {
  const checks = byTag(tests);
  const tagStatus = new Map<string, Status>([...checks].map(([t, ts]) => [t, statusOf(ts)]));
  const where = new Map<string, { page: ParsedPage; mark: Mark }[]>();
  for (const p of pages)
    for (const m of p.marks) for (const t of m.tags) where.set(t, [...(where.get(t) ?? []), { page: p, mark: m }]);
  const claimTags = [...checks.keys()].sort(compareTags);
  const failedTags = claimTags.filter((t) => tagStatus.get(t) === "failed");
  return { checks, tagStatus, claimTags, failedTags, where };
}

/** The status of a mark: that of all the checks of all its tags. */
export function markStatus(claims: ClaimIndex, m: Mark): Status {
  return statusOf(m.tags.flatMap((t) => claims.checks.get(t) ?? []));
}

/** The checks of `tags`, each once, in order. */
export function checksOf(claims: ClaimIndex, tags: string[]): TestResult[] {
  const seen = new Set<TestResult>();
  return tags.flatMap((t) => claims.checks.get(t) ?? []).filter((t) => !seen.has(t) && seen.add(t));
}

/** The summary of a build (its pages are filled in as they are written). */
export function summarize(claims: ClaimIndex, results: SiteResults): SiteSummary {
  const { claimTags, tagStatus, failedTags } = claims;
  const { tests } = results;
  return {
    pages: [],
    claims: claimTags.length,
    claimsHeld: claimTags.filter((t) => tagStatus.get(t) === "held").length,
    claimsFailed: failedTags.length,
    claimsSkipped: claimTags.filter((t) => tagStatus.get(t) === "skipped").length,
    checks: tests.length,
    checksFailed: tests.filter((t) => t.status === "failed").length,
    bound: tests.reduce((s, t) => s + (t.meta?.alpha ?? 0) + (t.meta?.beta ?? 0), 0),
    loadErrors: results.errors,
    failedTags,
  };
}
