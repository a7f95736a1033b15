/**
 * Calibration of the statistical checks: rerun every Monte Carlo check under N fresh master seeds at
 * a deliberately loose per-check false-failure rate A, and compare each check's failure count with
 * what its stated rate allows (an exact binomial tail). A check that fails more often than its rate
 * has a wrong bound — fix the bound, never retry.
 *
 *   npm run calibrate -- --seeds 100 --alpha 0.01 [--shard i/n] [--slow] [--out measured/calibration.json]
 *
 * Seeds are "cal-<k>" for k = 0..N−1; a shard i/n takes every n-th seed starting at i (1-based), so a
 * CI matrix can split a large calibration and `--merge a.json b.json ...` adds the shards up.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { binomialSf } from "../src/stats/binomial.ts";
import { runTier, type TestResult } from "./lib/run-specs.ts";

interface CheckTally {
  file: string;
  name: string;
  tier: "fast" | "slow";
  /** Sum of the test's stated false-failure rates at the loose α (Bonferroni within the test). */
  alpha: number;
  runs: number;
  failures: number;
  maxErrorRatio: number;
  failedSeeds: string[];
}

export interface Calibration {
  date: string;
  alpha: number;
  seeds: string[];
  cores: number;
  checks: CheckTally[];
  /** Checks whose failure count is improbable under their stated rate (p < 1e-3). */
  suspicious: string[];
  /** Largest failure count allowed for a check of rate α over the run count, at p ≥ 1e-3. */
  seconds: number;
}

function fail(msg: string): never {
  console.error(`calibrate: ${msg}`);
  process.exit(2);
}

/** Tests that were ever seen acting as a negative control: their failures are not false alarms. */
const controls = new Set<string>();

function tally(results: TestResult[], seed: string, into: Map<string, CheckTally>): void {
  for (const t of results) {
    const m = t.meta;
    const key = `${t.file} > ${t.fullName}`;
    if (m?.control || /negative control/i.test(t.fullName)) {
      controls.add(key);
      into.delete(key);
    }
    if (!m || m.kind !== "monte-carlo" || controls.has(key) || t.status === "skipped") continue;
    const c = into.get(key) ?? {
      file: t.file,
      name: t.fullName,
      tier: t.tier,
      alpha: 0,
      runs: 0,
      failures: 0,
      maxErrorRatio: 0,
      failedSeeds: [],
    };
    c.alpha = Math.max(c.alpha, m.alpha ?? 0);
    c.runs++;
    if (t.status === "failed") {
      c.failures++;
      c.failedSeeds.push(seed);
    }
    const r = m.facts?.maxErrorRatio;
    if (typeof r === "number" && Number.isFinite(r)) c.maxErrorRatio = Math.max(c.maxErrorRatio, r);
    into.set(key, c);
  }
}

function judge(checks: CheckTally[]): string[] {
  return checks
    .filter((c) => c.failures > 0 && binomialSf(c.failures, c.runs, Math.min(1, c.alpha)) < 1e-3)
    .map((c) => `${c.file} > ${c.name}`);
}

function print(cal: Calibration): void {
  console.log(`\ncalibration at α = ${cal.alpha} over ${cal.seeds.length} master seeds (${cal.seconds.toFixed(0)} s)`);
  console.log("fails/runs  allowed(p≥1e-3)  max|err|/hw  check");
  for (const c of cal.checks) {
    let allowed = 0;
    while (allowed < c.runs && binomialSf(allowed + 1, c.runs, Math.min(1, c.alpha)) >= 1e-3) allowed++;
    console.log(
      `${`${c.failures}/${c.runs}`.padStart(10)}  ${String(allowed).padStart(15)}  ${c.maxErrorRatio.toFixed(3).padStart(11)}  ${c.name}`,
    );
  }
  console.log(
    cal.suspicious.length
      ? `\n${cal.suspicious.length} check(s) fail more often than their stated rate allows:\n  ${cal.suspicious.join("\n  ")}`
      : `\nall ${cal.checks.length} Monte Carlo checks fail no more often than their stated rates allow`,
  );
}

function merge(files: string[]): Calibration {
  const parts = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as Calibration);
  const map = new Map<string, CheckTally>();
  for (const p of parts) {
    if (p.alpha !== parts[0].alpha) fail(`shards were run at different α (${p.alpha} vs ${parts[0].alpha})`);
    for (const c of p.checks) {
      const key = `${c.file} > ${c.name}`;
      const m = map.get(key);
      if (!m) map.set(key, { ...c, failedSeeds: [...c.failedSeeds] });
      else {
        m.runs += c.runs;
        m.failures += c.failures;
        m.maxErrorRatio = Math.max(m.maxErrorRatio, c.maxErrorRatio);
        m.failedSeeds.push(...c.failedSeeds);
      }
    }
  }
  const checks = [...map.values()];
  return {
    date: new Date().toISOString(),
    alpha: parts[0].alpha,
    seeds: parts.flatMap((p) => p.seeds),
    cores: os.availableParallelism(),
    checks,
    suspicious: judge(checks),
    seconds: parts.reduce((s, p) => s + p.seconds, 0),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string", default: "100" },
      alpha: { type: "string", default: "0.01" },
      shard: { type: "string" },
      slow: { type: "boolean", default: false },
      out: { type: "string", default: "measured/calibration.json" },
      merge: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  let cal: Calibration;
  if (values.merge) {
    const files = process.argv.slice(2).filter((a) => a.endsWith(".json") && a !== values.out);
    if (!files.length) fail("--merge needs the shard files to add up");
    cal = merge(files);
  } else {
    const n = Number(values.seeds);
    const alpha = Number(values.alpha);
    if (!Number.isInteger(n) || n < 1) fail(`--seeds must be a positive integer, got ${values.seeds}`);
    if (!(alpha > 0 && alpha < 1)) fail(`--alpha must lie in (0, 1), got ${values.alpha}`);
    let [i, of] = [1, 1];
    if (values.shard) {
      const m = /^(\d+)\/(\d+)$/.exec(values.shard);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) fail(`--shard must look like i/n with 1 ≤ i ≤ n, got ${values.shard}`);
      [i, of] = [Number(m[1]), Number(m[2])];
    }
    const seeds = Array.from({ length: n }, (_, k) => `cal-${k}`).filter((_, k) => k % of === i - 1);
    const tiers: ("fast" | "slow")[] = values.slow ? ["fast", "slow"] : ["fast"];
    const map = new Map<string, CheckTally>();
    const bar = new cliProgress.SingleBar(
      { format: "calibrate [{bar}] {value}/{total} seeds · {failures} failures · eta {eta_formatted}", hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const t0 = performance.now();
    bar.start(seeds.length, 0, { failures: 0 });
    let failures = 0;
    for (const seed of seeds) {
      for (const tier of tiers) {
        const out = runTier(tier, { ...process.env, PGBOOK_SEED: seed, PGBOOK_ALPHA: String(alpha) }, ["spec/"]);
        if (out.errors.length) {
          bar.stop();
          fail(`a spec file failed to load under seed ${seed}: ${out.errors[0]}`);
        }
        tally(out.tests, seed, map);
      }
      failures = [...map.values()].reduce((s, c) => s + c.failures, 0);
      bar.increment(1, { failures });
    }
    bar.stop();
    const checks = [...map.values()];
    cal = {
      date: new Date().toISOString(),
      alpha,
      seeds,
      cores: os.availableParallelism(),
      checks,
      suspicious: judge(checks),
      seconds: (performance.now() - t0) / 1000,
    };
  }
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify(cal, null, 2) + "\n");
  print(cal);
  console.log(`written to ${values.out}`);
  process.exit(cal.suspicious.length ? 1 : 0);
}

main();
