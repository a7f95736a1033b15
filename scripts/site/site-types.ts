/** The site builder's input and outcome (build.ts), shared by the parts that make its pages. */
import type { FigureDef } from "./figures/index.ts";
import type { TestResult } from "../lib/run-specs.ts";
import type { BuildError } from "./markdown.ts";

/** What the builder needs from a run of the checks. */
export interface SiteResults {
  tests: TestResult[];
  errors: string[];
  masterSeed: string;
  seconds: { fast: number; slow: number };
  ranAt: string;
  cached?: boolean;
}

export interface SiteInput {
  /** Folder of the chapters' markdown files. */
  chaptersDir: string;
  /** How the chapters folder is named in messages (default "chapters"). */
  chaptersLabel?: string;
  results: SiteResults;
  outDir: string;
  figures: Record<string, FigureDef>;
  /** Project root whose src/ and spec/ are copied in as source pages (omit for none). */
  sourceRoot?: string;
  commit: string;
  /** Build date shown on the site (ISO 8601). */
  date: string;
  /** performance.now() when the build started, for the build time on the index page. */
  startedAt?: number;
  /**
   * A file keeping the figures' markup between builds, valid for one content key (figure-cache.ts); none: every
   * figure is drawn afresh.
   */
  figureCache?: { file: string; key: string };
}

export interface SiteSummary {
  pages: string[];
  claims: number;
  claimsHeld: number;
  claimsFailed: number;
  claimsSkipped: number;
  checks: number;
  checksFailed: number;
  /** Σα + Σβ over every check. */
  bound: number;
  /** Vitest's own errors (spec files that failed to load). */
  loadErrors: string[];
  failedTags: string[];
}

export type SiteOutcome = { ok: false; errors: BuildError[] } | ({ ok: true } & SiteSummary);
