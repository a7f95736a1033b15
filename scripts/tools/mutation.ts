/**
 * Mutation testing of the reference implementation, module by module (Stryker + its vitest runner).
 *
 *   npm run mutation                       every module, incrementally (results cached in .cache/stryker/)
 *   npm run mutation -- --module bandit    one module
 *   npm run mutation -- --planted          the seam check: a planted mutant must be killed
 *   npm run mutation -- --report-only      recount the last reports (after editing mutation-equivalents.json)
 *   npm run mutation -- --concurrency 1    test runners in parallel (default: stryker.config.json's)
 *
 * For each module it prints killed / survived / timed out / no coverage and the mutation score over
 * non-equivalent mutants (mutants recorded as equivalent in mutation-equivalents.json are excluded, each
 * with its reason), and writes measured/mutation.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { writeMeasured } from "./measured.ts";

interface ModuleDef {
  name: string;
  mutate: string[];
  /** The fast-tier spec files that test the module (globs); the rest of the suite is not run for its mutants. */
  specs: string[];
}

/**
 * The modules mutated: the reference code (src/) and the measuring tools (measure/) the checks trust,
 * each tested by the checks of its own chapter and by the unit tests of its internals (test/reference/,
 * test/measure/, test/cli/). Plotting, site and grader code are not mutated, nor the tools that only
 * report (measure/replay.ts, shell.ts, claim-meta.ts, figure-settings.ts) or generate instances
 * (measure/arbitraries/, whose spread test/measure/ measures).
 */
export const MODULES: ModuleDef[] = [
  {
    name: "random",
    mutate: ["src/contract/random.ts", "src/core/sfc32.ts", "src/core/distributions.ts", "src/core/exp.ts"],
    specs: [
      "spec/0-foundations/**/*.spec.ts",
      "test/reference/sfc32.test.ts",
      "test/reference/distributions.test.ts",
      "test/reference/exp.test.ts",
    ],
  },
  {
    name: "stats",
    mutate: ["measure/stats/**/*.ts", "measure/close.ts"],
    specs: ["spec/0-foundations/**/*.spec.ts", "test/measure/close.test.ts"],
  },
  // the exact fractions behind the worked examples and `pgbook exact --fractions`
  {
    name: "exact-rational",
    mutate: ["measure/exact-rational/**/*.ts"],
    specs: [
      "spec/0-foundations/worked-examples.spec.ts",
      "test/measure/exact-rational.test.ts",
      "test/cli/exact*.test.ts",
    ],
  },
  {
    name: "bandit",
    mutate: ["src/bandits/**/*.ts", "measure/bandits/**/*.ts", "measure/symbolic.ts"],
    specs: [
      "spec/1-bandits/**/*.spec.ts",
      "test/reference/testbed.test.ts",
      "test/reference/testbed-counts.test.ts",
      "test/measure/symbolic.test.ts",
      "test/measure/bandit-run.test.ts",
    ],
  },
  // Chapter 2 has ~1100 mutants, too many for one 30-minute run here: exact solvers apart from sampling and TD
  {
    name: "mdp-exact",
    mutate: [
      "src/average-return/exact.ts",
      "src/core/linalg.ts",
      "src/average-return/policy.ts",
      "src/average-return/updates.ts",
      "src/average-return/validate.ts",
      "measure/average-return/optimal.ts",
      "measure/average-return/structure.ts",
      "measure/linear-solve.ts",
    ],
    specs: [
      "spec/2-average-return/**/*.spec.ts",
      "test/reference/linalg-solve.test.ts",
      "test/reference/mdp-validate.test.ts",
      "test/reference/problems.test.ts",
      "test/reference/mdp-simulate.test.ts",
      "test/reference/rollout-variance.test.ts",
      "test/measure/linear-solve.test.ts",
      "test/measure/structure.test.ts",
      "test/reference/mdp-validate-problems.test.ts",
    ],
  },
  // the rest of Chapter 2 at concurrency 1 would take about an hour in one run: sampling apart from TD
  {
    name: "mdp-sampling",
    mutate: [
      "src/average-return/rollout.ts",
      "src/average-return/simulate.ts",
      "measure/average-return/examples.ts",
      "measure/average-return/experiments.ts",
      "measure/average-return/rollout-variance.ts",
    ],
    specs: [
      "spec/2-average-return/**/*.spec.ts",
      "test/reference/rollout-variance.test.ts",
      "test/reference/mdp-simulate.test.ts",
      "test/reference/mdp-validate.test.ts",
    ],
  },
  { name: "mdp-td", mutate: ["src/average-return/td.ts"], specs: ["spec/2-average-return/**/*.spec.ts"] },
  // Chapters 3 and 4 split the same way (exact computations; sampling and training), each run within ~35 minutes
  {
    name: "episodic-exact",
    mutate: [
      "measure/total-return/enumerate.ts",
      "src/total-return/exact.ts",
      "src/total-return/estimators.ts",
      "src/total-return/policy.ts",
      "src/total-return/problem.ts",
      "src/core/shapes.ts",
      "src/core/problems.ts",
    ],
    specs: [
      "spec/3-total-return/**/*.spec.ts",
      "test/reference/problems.test.ts",
      "test/reference/episodic-problem.test.ts",
      "test/reference/episodic-internals.test.ts",
      "test/cli/episodic-input.test.ts",
    ],
  },
  {
    name: "episodic-sampling",
    mutate: [
      "src/total-return/sample.ts",
      "src/total-return/train.ts",
      "measure/total-return/experiments.ts",
      "measure/total-return/examples.ts",
      "measure/total-return/layered.ts",
    ],
    specs: [
      "spec/3-total-return/**/*.spec.ts",
      "test/measure/layered.test.ts",
      "test/reference/episodic-internals.test.ts",
      "test/cli/episodic-input.test.ts",
    ],
  },
  {
    name: "lm-exact",
    mutate: [
      "measure/language-models/exact.ts",
      "src/language-models/model.ts",
      "src/language-models/sequence.ts",
      "src/language-models/advantages.ts",
      "src/language-models/estimate.ts",
    ],
    specs: [
      "spec/4-language-models/**/*.spec.ts",
      "test/measure/lm-experiments.test.ts",
      "test/reference/lm-internals.test.ts",
    ],
  },
  {
    name: "lm-training",
    mutate: [
      "measure/language-models/tasks.ts",
      "src/language-models/train.ts",
      "measure/language-models/experiments.ts",
    ],
    specs: ["spec/4-language-models/**/*.spec.ts", "test/measure/lm-experiments.test.ts"],
  },
  {
    name: "lm-network",
    mutate: [
      "src/language-models/network/shape.ts",
      "src/language-models/network/forward.ts",
      "src/language-models/network/backward.ts",
      "src/language-models/network/score.ts",
      "src/language-models/network/init.ts",
      "src/language-models/network/adam.ts",
      "src/language-models/network/pretrain.ts",
      "src/language-models/network/reinforce.ts",
      "measure/language-models/sort-task.ts",
    ],
    specs: [
      "spec/4-language-models/4.6-network.spec.ts",
      "spec/4-language-models/4.8-network-training-loop.spec.ts",
      "test/reference/network-internals.test.ts",
      "test/reference/network-training.test.ts",
      "test/measure/sort-task.test.ts",
    ],
  },
];

/** The seam check: the Gibbs policy's lines, tested by the Chapter 1 specs through the seam. */
const PLANTED: ModuleDef = {
  name: "planted",
  mutate: ["src/bandits/gibbs.ts:1-40"],
  specs: ["spec/1-bandits/1.2-gibbs.spec.ts"],
};

interface MutantJson {
  id: string;
  mutatorName: string;
  status: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}

export interface ModuleResult {
  name: string;
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  equivalent: number;
  errors: number;
  score: number | null;
  survivors: string[];
  /** Detected mutants (killed or timed out), "file:line:mutator → replacement". */
  detected: string[];
  seconds: number;
  /** When the module was measured, and the spec files its mutants were tested against. */
  date: string;
  specs: string[];
}

/**
 * Survivors recorded as equivalent, each with a reason, keyed "file:line:mutator" (every such mutant of
 * the line), "file:line:column:mutator", or "file:line:column:mutator → replacement" (one mutant).
 */
function loadEquivalents(): Record<string, string> {
  const f = "mutation-equivalents.json";
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as Record<string, string>) : {};
}

function runModule(m: ModuleDef, extraArgs: string[] = [], concurrency?: number): ModuleResult {
  const report = path.join(".cache", "stryker", `${m.name}.report.json`);
  if (extraArgs.includes("--report-only")) {
    if (!existsSync(report)) throw new Error(`no report for ${m.name} in ${report}: run it first`);
    const last = path.join(".cache", "stryker", `${m.name}.result.json`);
    const old = existsSync(last) ? (JSON.parse(readFileSync(last, "utf8")) as ModuleResult) : undefined;
    return classify(m, report, old?.seconds ?? 0, old?.date ?? new Date().toISOString());
  }
  mkdirSync(path.dirname(report), { recursive: true });
  // Stryker writes a fresh report beside the last good one, which a failed run leaves in place
  const fresh = report.replace(/\.json$/, ".new.json");
  rmSync(fresh, { force: true });
  // Stryker takes nested options only from a config file: derive one per module from the base config.
  const base = JSON.parse(readFileSync("stryker.config.json", "utf8")) as { tempDirName?: string } & Record<
    string,
    unknown
  >;
  delete base.$schema;
  const conf = path.join(".cache", "stryker", `${m.name}.config.json`);
  writeFileSync(
    conf,
    JSON.stringify({
      ...base,
      mutate: m.mutate,
      // the mutation project of vitest.config.ts, the only one under PGBOOK_MUTATION_SPECS (set below)
      vitest: { configFile: "vitest.config.ts", related: false },
      // one sandbox folder per module, so two modules can be measured at the same time
      tempDirName: `${base.tempDirName ?? ".cache/stryker-tmp"}-${m.name}`,
      incremental: !extraArgs.includes("--no-incremental"),
      incrementalFile: path.join(".cache", "stryker", `${m.name}.incremental.json`),
      jsonReporter: { fileName: fresh },
      ...(concurrency ? { concurrency } : {}),
    }),
  );
  const args = ["stryker", "run", conf];
  const t0 = performance.now();
  const p = spawnSync("npx", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PGBOOK_MUTATION: "1", PGBOOK_MUTATION_SPECS: m.specs.join(",") },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (existsSync(fresh)) renameSync(fresh, report);
  else {
    return {
      name: m.name,
      killed: 0,
      survived: 0,
      timeout: 0,
      noCoverage: 0,
      equivalent: 0,
      errors: 1,
      score: null,
      survivors: [`stryker exited ${p.status} without a report`],
      detected: [],
      seconds,
      date: new Date().toISOString(),
      specs: m.specs,
    };
  }
  const r = classify(m, report, seconds, new Date().toISOString());
  // the time and date of the Stryker run, for --report-only recounts
  writeFileSync(path.join(".cache", "stryker", `${m.name}.result.json`), JSON.stringify(r, null, 2) + "\n");
  return r;
}

/** Read a Stryker JSON report and count its mutants, leaving out those recorded as equivalent. */
function classify(m: ModuleDef, report: string, seconds: number, date: string): ModuleResult {
  const json = JSON.parse(readFileSync(report, "utf8")) as { files: Record<string, { mutants: MutantJson[] }> };
  const eq = loadEquivalents();
  const r: ModuleResult = {
    name: m.name,
    killed: 0,
    survived: 0,
    timeout: 0,
    noCoverage: 0,
    equivalent: 0,
    errors: 0,
    score: null,
    survivors: [],
    detected: [],
    seconds,
    date,
    specs: m.specs,
  };
  for (const [file, { mutants }] of Object.entries(json.files)) {
    for (const mu of mutants) {
      const rel = path.relative(process.cwd(), file);
      const key = `${rel}:${mu.location.start.line}:${mu.mutatorName}`;
      // an entry names every mutant of that mutator on the line, or one column: "file:line:column:mutator"
      const colKey = `${rel}:${mu.location.start.line}:${mu.location.start.column}:${mu.mutatorName}`;
      // or one mutant: "file:line:column:mutator → replacement"
      const exactKey = `${colKey} → ${mu.replacement ?? "?"}`;
      if ((mu.status === "Survived" || mu.status === "NoCoverage") && (eq[exactKey] || eq[colKey] || eq[key])) {
        r.equivalent++;
        continue;
      }
      if (mu.status === "Killed") {
        r.killed++;
        r.detected.push(`${key} → ${mu.replacement ?? "?"}`);
      } else if (mu.status === "Timeout") {
        r.timeout++;
        r.detected.push(`${key} (timeout) → ${mu.replacement ?? "?"}`);
      } else if (mu.status === "Survived") {
        r.survived++;
        r.survivors.push(`${key} → ${mu.replacement ?? "?"}`);
      } else if (mu.status === "NoCoverage") {
        r.noCoverage++;
        r.survivors.push(`${key} (no coverage) → ${mu.replacement ?? "?"}`);
      } else r.errors++;
    }
  }
  const detected = r.killed + r.timeout;
  const total = detected + r.survived + r.noCoverage;
  r.score = total ? (100 * detected) / total : null;
  return r;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      module: { type: "string", multiple: true },
      planted: { type: "boolean", default: false },
      "report-only": { type: "boolean", default: false },
      concurrency: { type: "string" },
      out: { type: "string", default: "measured/mutation.json" },
    },
    strict: true,
  });
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
    throw new Error(`--concurrency must be a positive integer, got ${values.concurrency}`);
  if (values.planted) {
    // The seam check: mutate only the lines of the Gibbs policy, never incrementally (a cached
    // verdict would prove nothing). The specs reach src/ only through the seam (spec/support/impl.ts);
    // if it served Stryker a stale, unmutated module, every mutant would survive.
    const r = runModule(PLANTED, ["--no-incremental"], concurrency);
    const total = r.killed + r.timeout + r.survived + r.noCoverage;
    const ok = r.killed + r.timeout > 0 && r.errors === 0;
    console.log(
      `\nplanted mutants on ${PLANTED.mutate.join(", ")}: ${r.killed + r.timeout} killed of ${total} (${r.seconds.toFixed(0)} s)`,
    );
    for (const d of r.detected.slice(0, 5)) console.log(`  killed: ${d}`);
    for (const d of r.survivors) console.log(`  survived: ${d}`);
    const out = "measured/planted.json";
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ ...r, mutate: PLANTED.mutate, pass: ok }, null, 2) + "\n");
    writeMeasured();
    console.log(
      ok
        ? "seam check passed: the seam serves the mutated module"
        : "seam check FAILED: no planted mutant was killed (stale module?)",
    );
    process.exit(ok ? 0 : 1);
  }
  const wanted = values.module?.length ? MODULES.filter((m) => values.module!.includes(m.name)) : MODULES;
  if (values.module?.length && wanted.length !== values.module.length)
    throw new Error(`unknown module; known: ${MODULES.map((m) => m.name).join(", ")}`);
  const prev = existsSync(values.out)
    ? (JSON.parse(readFileSync(values.out, "utf8")) as { date: string; modules: ModuleResult[] })
    : { date: "", modules: [] };
  const results = new Map(prev.modules.map((m) => [m.name, m]));
  const mine = new Set<string>();
  let failed = false;
  const save = () => {
    // re-read the file first: another module may have been measured meanwhile by a parallel run
    if (existsSync(values.out))
      for (const m of (JSON.parse(readFileSync(values.out, "utf8")) as { modules: ModuleResult[] }).modules)
        if (!mine.has(m.name)) results.set(m.name, m);
    // in MODULES order, whatever order they were measured in
    const modules = MODULES.flatMap((m) => (results.has(m.name) ? [results.get(m.name)!] : []));
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), modules }, null, 2) + "\n");
    writeMeasured();
    return modules;
  };
  for (const m of wanted) {
    const present = m.mutate.some((g) => existsSync(g.replace(/\/\*\*.*$/, "").replace(/:.*$/, "")));
    if (!present) continue;
    console.log(`\n== mutation: ${m.name} (${m.mutate.join(", ")}) against ${m.specs.join(", ")}`);
    const r = runModule(m, values["report-only"] ? ["--report-only"] : [], concurrency);
    if (r.score === null && r.errors > 0 && results.has(m.name)) {
      // a failed run (e.g. the initial test run timed out on a busy machine) keeps the last measurement
      console.error(`mutation: ${m.name}: ${r.survivors[0]}; keeping the measurement of ${results.get(m.name)!.date}`);
      failed = true;
      continue;
    }
    if (r.errors > 0) failed = true;
    results.set(m.name, r);
    mine.add(m.name);
    save(); // after each module, so a long run keeps what it measured
  }
  const modules = save();
  console.log("\nmodule            killed survived timeout nocov equiv  score   time");
  for (const r of modules)
    console.log(
      `${r.name.padEnd(17)} ${String(r.killed).padStart(6)} ${String(r.survived).padStart(8)} ${String(r.timeout).padStart(7)} ${String(r.noCoverage).padStart(5)} ${String(r.equivalent).padStart(5)} ${r.score === null ? "   n/a" : `${r.score.toFixed(1)}%`.padStart(6)} ${r.seconds.toFixed(0).padStart(5)} s`,
    );
  for (const r of modules)
    if (r.survivors.length) console.log(`\nsurvivors in ${r.name}:\n  ${r.survivors.slice(0, 50).join("\n  ")}`);
  if (failed) process.exit(1);
}

// run only as the script: importing MODULES (to read the module table) must not start Stryker
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
