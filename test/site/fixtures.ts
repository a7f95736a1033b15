/** Small fixture chapters and results for the site builder's tests (no real run of the suite). */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FigureDef } from "../../scripts/site/figures/index.ts";
import { lineChart } from "../../scripts/site/figures/plot.ts";
import { tagsOf, type TestResult } from "../../scripts/lib/run-specs.ts";
import type { SiteInput, SiteResults } from "../../scripts/site/build.ts";

/** A check result as run-specs returns it. */
export function check(
  title: string,
  status: TestResult["status"] = "passed",
  extra: Partial<TestResult> = {},
): TestResult {
  return {
    file: "spec/1-x/1.1-x.spec.ts",
    fullName: `section 1.1 > ${title}`,
    title,
    status,
    duration: 12,
    failureMessages: status === "failed" ? ["AssertionError: expected 0.5 to be close to 0.6 (half-width 0.01)"] : [],
    tags: tagsOf(title),
    tier: "fast",
    line: 7,
    meta: {
      kind: "monte-carlo",
      masterSeed: "20251117",
      seed: "20251117/spec/1-x/1.1-x.spec.ts/abc",
      replay: `PGBOOK_SEED=20251117 npx vitest run spec/1-x/1.1-x.spec.ts -t '${title}'`,
      samples: 10000,
      alpha: 1e-9,
      beta: 1e-9,
      halfWidth: 0.031,
      detectable: 0.05,
      control: true,
      implements: ["softmax"],
    },
    ...extra,
  };
}

export function results(tests: TestResult[], errors: string[] = []): SiteResults {
  return {
    tests,
    errors,
    masterSeed: "20251117",
    seconds: { fast: 1.5, slow: 2.5 },
    ranAt: "2026-01-01T00:00:00.000Z",
  };
}

export const figs: Record<string, FigureDef> = {
  probs: {
    tags: ["fig 1"],
    alt: "a rising line",
    render: () =>
      lineChart({
        series: [{ name: "p", x: [0, 1, 2], y: [0.5, 0.7, 0.9] }],
        xTitle: "t",
        yTitle: "p",
        yDomain: [0, 1],
      }),
  },
};

export const CH1 = `# Chapter 1: Bandits

Softmax $\\pi_\\theta(a) = e^{\\theta_a}/\\sum_b e^{\\theta_b}$ is the policy.

$$
\\nabla_\\theta \\ln \\pi_\\theta(a) = 1_a - \\pi_\\theta \\tag{5}
$$

::: figure probs
Probabilities over time; 100 runs, step size 0.05, seed 20251117.
:::

::: claim sec 1.4
A baseline changes no expectation.
:::
`;

export const ERRATA = `# Errata

::: claim erratum max-in-q
The printed form takes a max; the corrected form averages.
:::
`;

export const passing = () => [
  check("[eq 5] the score of the Gibbs policy"),
  check("[eq 5] the score sums to zero", "passed", {
    meta: { kind: "exact", masterSeed: "20251117", seed: "s", replay: "r", implements: ["gibbsScore"] },
  }),
  check("[fig 1] reinforce concentrates on the best arm"),
  check("[sec 1.4] a baseline changes no expectation"),
  check("[erratum max-in-q] the printed form fails, the corrected one holds"),
  check("an untagged tool check"),
];

/** A temporary project: chapters/ with the given files, plus src/ and spec/ for source links. */
export function project(files: Record<string, string>): {
  root: string;
  input: (tests: TestResult[], errors?: string[]) => SiteInput;
} {
  const root = mkdtempSync(path.join(tmpdir(), "pgbook-site-test-"));
  mkdirSync(path.join(root, "chapters"));
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(root, "chapters", f), text);
  mkdirSync(path.join(root, "src"));
  writeFileSync(
    path.join(root, "src", "gibbs.ts"),
    "/** Eq. (5) */\nexport function gibbsScore(t: number[]) {\n  return t;\n}\n",
  );
  mkdirSync(path.join(root, "spec", "1-x"), { recursive: true });
  writeFileSync(
    path.join(root, "spec", "1-x", "1.1-x.spec.ts"),
    "import { it } from 'vitest';\n\n\n\n\n\nit('[eq 5] the score of the Gibbs policy', () => {});\n",
  );
  return {
    root,
    input: (tests, errors = []) => ({
      chaptersDir: path.join(root, "chapters"),
      results: results(tests, errors),
      outDir: path.join(root, "site"),
      figures: figs,
      sourceRoot: root,
      commit: "abc1234",
      date: "2026-01-02T03:04:05.000Z",
      startedAt: performance.now(),
    }),
  };
}
