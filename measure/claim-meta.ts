/**
 * What a check records about itself, in each test's `meta.pgbook`: written by the specs
 * (spec/support/claim.ts), read by the site, the grader and the budget reporter. A shared format,
 * kept here so that the tools reading it do not import the specs' internals.
 */

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
