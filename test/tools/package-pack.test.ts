/**
 * The installable package as a user gets it: `npm pack` (whose prepack step builds dist/) of a copy of this
 * clone, so that no dist/ is left in the working tree; the tarball installed into an empty folder from the
 * npm cache; and there `npx pgbook --help`, `npx pgbook exact`, the three entry points under plain node
 * and under TypeScript, and `npx pgbook grade` really grading a submission, with vitest resolved from the
 * installed package. Expected numbers are derived by hand below, never printed by the implementation.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../scripts/grader/report.ts";
import { KEYS } from "../grader/expected.ts";

const root = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "pgbook-pack-"));
const app = path.join(work, "app");

/** What the copy of the clone leaves out: installed, generated and version-control folders, and temporary ones. */
const NOT_COPIED = new Set([
  "node_modules",
  ".git",
  "site",
  "coverage",
  ".cache",
  "artifacts",
  "dist",
  "out",
  "reports",
]);
const copied = (top: string) => !NOT_COPIED.has(top) && !top.startsWith(".site-tmp") && !top.startsWith(".tmp");

/** The outcome of a command, with its output in the error when it exits otherwise than expected. */
function sh(cmd: string, args: string[], cwd: string, expectCode = 0): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (r.status !== expectCode)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status} (expected ${expectCode}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * A two-state MDP derived by hand. State 0: action 0 stays (reward 1), action 1 moves to state 1
 * (reward 0); state 1: both actions return to state 0 (reward 0). Under the tabular Gibbs policy with
 * p = π(1|0) = σ(θ₀₁ − θ₀₀), the chain has d(1) = p·d(0), so d = (1, p)/(1 + p) and the gain is
 * λ = d(0)·(1 − p) = (1 − p)/(1 + p). Then dλ/dp = −2/(1 + p)², and dp/dθ₀₁ = −dp/dθ₀₀ = p(1 − p).
 * At θ = 0, p = 1/2: λ = 1/3, d = (2/3, 1/3), ∇λ = (+2/9, −2/9, 0, 0) (state 1's actions do not matter).
 */
const MDP = {
  P: [
    [
      [1, 0],
      [0, 1],
    ],
    [
      [1, 0],
      [1, 0],
    ],
  ],
  r: [
    [1, 0],
    [0, 0],
  ],
  stateNames: ["here", "there"],
};
const GRADIENT = [2 / 9, -2 / 9, 0, 0];

let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
const seconds: Record<string, number> = {};
const timed = <T>(what: string, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  seconds[what] = (performance.now() - t0) / 1000;
  return r;
};

beforeAll(() => {
  const clone = path.join(work, "clone");
  cpSync(root, clone, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(root, src);
      return copied(rel.split(path.sep)[0]) && !rel.endsWith(".tgz");
    },
  });
  symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules")); // prepack runs tsx and tsc from here
  const packed = timed("pack", () => sh("npm", ["pack", "--json", "--pack-destination", work], clone));
  // the prepack step prints first; the JSON follows
  [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as (typeof tarball)[];
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  timed("install", () =>
    sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(work, tarball.filename)], app),
  );
});

describe("the packed tarball", () => {
  it("ships the built entries, the bin and what the grader reads, and no tests, caches or site", () => {
    const files = tarball.files.map((f) => f.path);
    for (const f of [
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/contract.js",
      "dist/measure.d.ts",
      "scripts/cli/pgbook.mjs",
      "scripts/grader/grade.ts",
      "scripts/grader/vitest.grade.config.ts",
      "spec/support/impl.ts",
      "measure/close.ts",
      "src/index.ts",
      "chapters/01-bandits.md",
      "vitest.config.ts",
      "starter/index.ts",
      "examples/mdp/home-work.json",
      "LICENSE",
      "README.md",
    ])
      expect(files).toContain(f);
    const top = (f: string) => f.split("/")[0];
    expect(
      files.filter((f) => ["test", "site", "coverage", ".cache", "measured", "artifacts"].includes(top(f))),
    ).toEqual([]);
    expect(files.filter((f) => f.startsWith("examples/students/") || f.startsWith("scripts/site/"))).toEqual([]);
    console.log(
      `npm pack: ${(tarball.size / 1e3).toFixed(0)} kB packed, ${(tarball.unpackedSize / 1e6).toFixed(2)} MB ` +
        `unpacked, ${files.length} files (${seconds.pack.toFixed(1)} s); install ${seconds.install.toFixed(1)} s`,
    );
  });
});

describe("the installed package", () => {
  it("npx pgbook --help prints the commands to stdout, exit 0", () => {
    const r = sh("npx", ["pgbook", "--help"], app);
    expect(r.stdout).toMatch(/^ {2}exact /m);
    expect(r.stdout).toMatch(/^ {2}grade /m);
    expect(r.stderr).toBe("");
  });

  it("npx pgbook exact gives the hand-derived λ, d and ∇λ of a problem file, names echoed", () => {
    const problem = path.join(app, "two-states.json");
    writeFileSync(problem, JSON.stringify(MDP));
    const j = JSON.parse(sh("npx", ["pgbook", "exact", problem], app).stdout) as {
      lambda: number;
      d: number[];
      gradient: number[][];
      stateNames: string[];
    };
    expect(j.lambda).toBeCloseTo(1 / 3, 12);
    j.d.forEach((x, s) => expect(x).toBeCloseTo([2 / 3, 1 / 3][s], 12));
    j.gradient.flat().forEach((g, i) => expect(g).toBeCloseTo(GRADIENT[i], 12));
    expect(j.stateNames).toEqual(MDP.stateNames);
    // a problem shipped with the package: the README's episodic example, J = 45/32
    const shipped = path.join(app, "node_modules/pgbook/examples/episodic/stop-or-play.json");
    expect((JSON.parse(sh("npx", ["pgbook", "exact", shipped], app).stdout) as { J: number }).J).toBe(45 / 32);
  });

  it("a command of the clone says so from the installed package, exit 2", () => {
    const r = sh("npx", ["pgbook", "site"], app, 2);
    expect(r.stderr).toMatch(/^pgbook site: a command of the book's clone, not of the installed package/);
  });

  it('import { policyGradient } from "pgbook" runs under plain node, with pgbook/contract and pgbook/measure', () => {
    writeFileSync(
      path.join(app, "gradient.mjs"),
      [
        'import { policyGradient } from "pgbook";',
        'import { ACCURACY, CHAPTER1_FUNCTIONS, stream } from "pgbook/contract";',
        'import { hoeffdingHalfWidth } from "pgbook/measure";',
        `const mdp = ${JSON.stringify(MDP)};`,
        'const gradient = Array.from(policyGradient(mdp, { kind: "tabular" }, new Float64Array(4)));',
        "const draw = stream(1)();",
        // Hoeffding's half-width w·√(ln(2/α)/(2n)) with w = 1, n = 2, α = 2e⁻⁴: √(4/4) = 1
        "const width = hoeffdingHalfWidth(1, 2, 2 * Math.exp(-4));",
        "console.log(JSON.stringify({ gradient, draw, width, ACCURACY, CHAPTER1_FUNCTIONS }));",
      ].join("\n"),
    );
    const out = JSON.parse(sh(process.execPath, ["gradient.mjs"], app).stdout) as {
      gradient: number[];
      draw: number;
      width: number;
      ACCURACY: { rel: number; abs: number };
      CHAPTER1_FUNCTIONS: string[];
    };
    out.gradient.forEach((g, i) => expect(g).toBeCloseTo(GRADIENT[i], 12));
    expect(out.draw).toBeGreaterThanOrEqual(0);
    expect(out.draw).toBeLessThan(1);
    expect(out.width).toBeCloseTo(1, 12);
    expect(out.ACCURACY).toEqual({ rel: 1e-9, abs: 1e-12 }); // the README's "1e-9 relative + 1e-12 absolute"
    expect(out.CHAPTER1_FUNCTIONS).toContain("reinforceStep");
  });

  it("the entry points' types check under TypeScript (NodeNext, strict, declaration files checked)", () => {
    writeFileSync(
      path.join(app, "check.ts"),
      [
        'import { policyGradient, type Rng } from "pgbook";',
        'import { ACCURACY, type Chapter1 } from "pgbook/contract";',
        'import { expectClose, type Tolerance } from "pgbook/measure";',
        'const g: Float64Array = policyGradient({ P: [[[1]]], r: [[0]] }, { kind: "tabular" }, [0]);',
        "const tol: Tolerance = ACCURACY;",
        'const step: Chapter1["reinforceStep"] | undefined = undefined;',
        "const rng: Rng = () => 0.5;",
        "// @ts-expect-error: the gradient is a Float64Array, not a string (fails if the types were any)",
        'const s: string = policyGradient({ P: [[[1]]], r: [[0]] }, { kind: "tabular" }, [0]);',
        "export { g, tol, step, rng, s, expectClose };",
      ].join("\n"),
    );
    const tsconfig = {
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] },
      files: ["check.ts"],
    };
    writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(tsconfig));
    sh(process.execPath, [path.join(app, "node_modules/typescript/bin/tsc"), "-p", "."], app);
  });

  it("npx pgbook grade grades a submission: rescaled-update's [eq 1] step check fails, the rest of 1.1 holds", () => {
    // examples/students/README.md: rescaled-update takes the REINFORCE step with 2α (eq. 1): its step checks fail
    const submission = path.join(root, "examples/students/rescaled-update");
    const out = path.join(app, "grade-report");
    const args = ["pgbook", "grade", submission, "--chapters", "1", "--specs", "1.1-reinforce", "--out", out];
    const r = timed("grade", () => sh("npx", [...args, "--format", "terminal,json"], app, 1));
    expect(r.stdout).toMatch(/reports: .*report\.json/);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.exitCode).toBe(1);
    const step = report.checks.filter((c) => c.name.includes(KEYS.step));
    const rest = report.checks.filter((c) => !c.name.includes(KEYS.step));
    expect(step.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    for (const c of step) expect([c.status, c.verdict]).toEqual(["failed", "assertion"]);
    for (const c of rest) expect(c.status).toBe("passed");
    // each check once, named by its spec file relative to the book (here node_modules/pgbook), not to the caller's folder
    expect(new Set(report.checks.map((c) => c.name)).size).toBe(report.checks.length);
    for (const c of report.checks) expect(c.file).toBe("spec/1-bandits/1.1-reinforce.spec.ts");
    expect(readdirSync(out)).toContain("report.json");
    console.log(`pgbook grade in the installed package: ${seconds.grade.toFixed(1)} s`);
  });
});
