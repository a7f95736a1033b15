/**
 * Mutation testing of the reference implementation, module by module (Stryker + its vitest runner).
 *
 *   npm run mutation                       every module, incrementally (results cached in .cache/stryker/)
 *   npm run mutation -- --module bandit    one module
 *   npm run mutation -- --planted          the seam check: a planted mutant must be killed
 *
 * For each module it prints killed / survived / timed out / no coverage and the mutation score over
 * non-equivalent mutants (mutants recorded as equivalent in mutation-equivalents.json are excluded, each
 * with its reason), and writes measured/mutation.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

interface ModuleDef {
  name: string;
  mutate: string[];
}

/** The modules of src/ (the book's reference code; plotting and site code are not mutated). */
export const MODULES: ModuleDef[] = [
  { name: "random", mutate: ["src/random.ts"] },
  { name: "stats", mutate: ["src/stats/**/*.ts"] },
  { name: "bandit", mutate: ["src/gibbs.ts", "src/bandit/**/*.ts"] },
  { name: "mdp", mutate: ["src/mdp/**/*.ts"] },
  { name: "episodic", mutate: ["src/episodic/**/*.ts"] },
  { name: "lm", mutate: ["src/lm/**/*.ts"] },
];

interface MutantJson {
  id: string;
  mutatorName: string;
  status: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}

interface ModuleResult {
  name: string;
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  equivalent: number;
  errors: number;
  score: number | null;
  survivors: string[];
  seconds: number;
}

/** Survivors recorded as equivalent, keyed "file:line:mutator", each with a reason. */
function loadEquivalents(): Record<string, string> {
  const f = "mutation-equivalents.json";
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as Record<string, string>) : {};
}

function runModule(m: ModuleDef, extraArgs: string[] = []): ModuleResult {
  const report = path.join(".cache", "stryker", `${m.name}.report.json`);
  mkdirSync(path.dirname(report), { recursive: true });
  rmSync(report, { force: true });
  // Stryker takes nested options only from a config file: derive one per module from the base config.
  const base = JSON.parse(readFileSync("stryker.config.json", "utf8")) as Record<string, unknown>;
  delete base.$schema;
  const conf = path.join(".cache", "stryker", `${m.name}.config.json`);
  writeFileSync(
    conf,
    JSON.stringify({
      ...base,
      mutate: m.mutate,
      incremental: !extraArgs.includes("--no-incremental"),
      incrementalFile: path.join(".cache", "stryker", `${m.name}.incremental.json`),
      jsonReporter: { fileName: report },
    }),
  );
  const args = ["stryker", "run", conf];
  const t0 = performance.now();
  const p = spawnSync("npx", args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, PGBOOK_MUTATION: "1" } });
  const seconds = (performance.now() - t0) / 1000;
  if (!existsSync(report)) {
    return { name: m.name, killed: 0, survived: 0, timeout: 0, noCoverage: 0, equivalent: 0, errors: 1, score: null, survivors: [`stryker exited ${p.status} without a report`], seconds };
  }
  const json = JSON.parse(readFileSync(report, "utf8")) as { files: Record<string, { mutants: MutantJson[] }> };
  const eq = loadEquivalents();
  const r: ModuleResult = { name: m.name, killed: 0, survived: 0, timeout: 0, noCoverage: 0, equivalent: 0, errors: 0, score: null, survivors: [], seconds };
  for (const [file, { mutants }] of Object.entries(json.files)) {
    for (const mu of mutants) {
      const key = `${path.relative(process.cwd(), file)}:${mu.location.start.line}:${mu.mutatorName}`;
      if ((mu.status === "Survived" || mu.status === "NoCoverage") && eq[key]) {
        r.equivalent++;
        continue;
      }
      if (mu.status === "Killed") r.killed++;
      else if (mu.status === "Timeout") r.timeout++;
      else if (mu.status === "Survived") {
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
    options: { module: { type: "string", multiple: true }, planted: { type: "boolean", default: false }, out: { type: "string", default: "measured/mutation.json" } },
    strict: true,
  });
  if (values.planted) {
    // The seam check: mutate only the lines of the Gibbs policy; if the seam served a stale
    // (unmutated) module, every one of these mutants would survive.
    const r = runModule({ name: "planted", mutate: ["src/gibbs.ts:1-40"] }, ["--no-incremental"]);
    console.log(`planted mutants on src/gibbs.ts:1-40: ${r.killed + r.timeout} killed of ${r.killed + r.timeout + r.survived + r.noCoverage}`);
    process.exit(r.killed + r.timeout > 0 && r.errors === 0 ? 0 : 1);
  }
  const wanted = values.module?.length ? MODULES.filter((m) => values.module!.includes(m.name)) : MODULES;
  if (values.module?.length && wanted.length !== values.module.length)
    throw new Error(`unknown module; known: ${MODULES.map((m) => m.name).join(", ")}`);
  const prev: { date: string; modules: ModuleResult[] } = existsSync(values.out!)
    ? JSON.parse(readFileSync(values.out!, "utf8"))
    : { date: "", modules: [] };
  const results = new Map(prev.modules.map((m) => [m.name, m]));
  for (const m of wanted) {
    const present = m.mutate.some((g) => existsSync(g.replace(/\/\*\*.*$/, "").replace(/:.*$/, "")));
    if (!present) continue;
    console.log(`\n== mutation: ${m.name} (${m.mutate.join(", ")})`);
    results.set(m.name, runModule(m));
  }
  const modules = [...results.values()];
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify({ date: new Date().toISOString(), modules }, null, 2) + "\n");
  console.log("\nmodule     killed survived timeout nocov equiv  score   time");
  for (const r of modules)
    console.log(
      `${r.name.padEnd(10)} ${String(r.killed).padStart(6)} ${String(r.survived).padStart(8)} ${String(r.timeout).padStart(7)} ${String(r.noCoverage).padStart(5)} ${String(r.equivalent).padStart(5)} ${r.score === null ? "   n/a" : `${r.score.toFixed(1)}%`.padStart(6)} ${r.seconds.toFixed(0).padStart(5)} s`,
    );
  for (const r of modules) if (r.survivors.length) console.log(`\nsurvivors in ${r.name}:\n  ${r.survivors.slice(0, 50).join("\n  ")}`);
}

main();
