/**
 * Calibration of the statistical checks: rerun every Monte Carlo check under N fresh master seeds at
 * a deliberately loose per-check false-failure rate A, and compare each check's failure count with
 * what its stated rate allows (an exact binomial tail). A check that fails more often than its rate
 * has a wrong bound — fix the bound, never retry.
 *
 *   npm run calibrate -- --seeds 100 --alpha 0.01 [--shard i/n] [--slow] [--out measured/calibration.json]
 *   npm run calibrate -- --merge shard-1.json shard-2.json … [--out measured/calibration.json]
 *
 * Seeds are "cal-<k>" for k = 0..N−1; a shard i/n takes every n-th seed starting at i (1-based), so a
 * CI matrix can split a large calibration (a shard writes .cache/calibration/shard-i-of-n.json unless
 * --out says otherwise) and `--merge` adds the shards up (refusing overlapping seeds or mixed α).
 *
 * Negative controls (tests marked `control`) are left out: their "failures" are rejections of wrong
 * estimators, not false alarms. The first seed runs the whole tier; later seeds run only the spec files
 * that hold a Monte Carlo check. Exact and property checks that fail under a calibration seed are
 * listed separately (`otherFailures`): they are not statistical, so any failure there is a real bug.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { binomialSf } from "../../measure/stats/binomial.ts";
import { runTier, type TestResult } from "../lib/run-specs.ts";
import { writeMeasured } from "./measured.ts";

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
  /** The tiers that were run. */
  tiers: ("fast" | "slow")[];
  /** The shard this file holds ("i/n"), absent for a whole or merged run. */
  shard?: string;
  seeds: string[];
  cores: number;
  checks: CheckTally[];
  /** Checks whose failure count is improbable under their stated rate (binomial tail p < 1e-3). */
  suspicious: string[];
  /** Non-statistical checks (exact, property) that failed under some calibration seed: real bugs. */
  otherFailures: { check: string; seeds: string[] }[];
  /** Σ failures over all checks, and Σ runs·α, its expectation were every check at its stated rate. */
  totalFailures: number;
  expectedFailuresBound: number;
  seconds: number;
}

/** The binomial tail level below which a failure count is judged too high for the stated rate. */
const SUSPICIOUS_P = 1e-3;

function fail(msg: string): never {
  console.error(`calibrate: ${msg}`);
  process.exit(2);
}

/** Tests that were ever seen acting as a negative control: their failures are not false alarms. */
const controls = new Set<string>();

/**
 * The false-failure rate of a test's claim: the α its assertions add up to (claim.ts sums them), less
 * the α recorded by its negative controls (one `<label>.exactBias` fact each, at the run's α), whose
 * failures are misses of rate β, not false alarms.
 */
function claimAlpha(m: NonNullable<TestResult["meta"]>, looseAlpha: number): number {
  const controlsIn = Object.keys(m.facts ?? {}).filter((k) => k.endsWith(".exactBias")).length;
  const a = m.alpha ?? 0;
  return m.control && controlsIn ? Math.max(a - controlsIn * looseAlpha, looseAlpha) : a;
}

function tally(
  results: TestResult[],
  seed: string,
  into: Map<string, CheckTally>,
  other: Map<string, string[]>,
  looseAlpha: number,
): void {
  for (const t of results) {
    const m = t.meta;
    const key = `${t.file} > ${t.fullName}`;
    // A test that only rejects wrong estimators is a negative control. A test that checks a claim and
    // then its control (expectMean + expectRejected) is kept: noteErrorRatio records maxErrorRatio only
    // for the claim's own assertions, so that fact tells the two apart.
    const mixed = m?.control && typeof m.facts?.maxErrorRatio === "number";
    if ((m?.control && !mixed) || /negative control/i.test(t.fullName)) {
      controls.add(key);
      into.delete(key);
    }
    if (t.status === "failed" && m?.kind !== "monte-carlo" && !controls.has(key))
      other.set(key, [...(other.get(key) ?? []), seed]);
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
    c.alpha = Math.max(c.alpha, claimAlpha(m, looseAlpha));
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
    .filter((c) => c.failures > 0 && binomialSf(c.failures, c.runs, Math.min(1, c.alpha)) < SUSPICIOUS_P)
    .map((c) => `${c.file} > ${c.name}`);
}

/** The largest failure count of a check that is not judged suspicious. */
function allowedFailures(runs: number, alpha: number): number {
  let allowed = 0;
  while (allowed < runs && binomialSf(allowed + 1, runs, Math.min(1, alpha)) >= SUSPICIOUS_P) allowed++;
  return allowed;
}

function totals(checks: CheckTally[]): { totalFailures: number; expectedFailuresBound: number } {
  return {
    totalFailures: checks.reduce((s, c) => s + c.failures, 0),
    expectedFailuresBound: checks.reduce((s, c) => s + c.runs * Math.min(1, c.alpha), 0),
  };
}

function print(cal: Calibration): void {
  console.log(
    `\ncalibration at α = ${cal.alpha} over ${cal.seeds.length} master seeds, ${cal.tiers.join(" + ")} tier (${cal.seconds.toFixed(0)} s)`,
  );
  console.log("fails/runs  allowed(p≥1e-3)  max|err|/hw  check");
  for (const c of cal.checks) {
    const allowed = allowedFailures(c.runs, c.alpha);
    console.log(
      `${`${c.failures}/${c.runs}`.padStart(10)}  ${String(allowed).padStart(15)}  ${c.maxErrorRatio.toFixed(3).padStart(11)}  ${c.name}`,
    );
  }
  console.log(
    cal.suspicious.length
      ? `\n${cal.suspicious.length} check(s) fail more often than their stated rate allows:\n  ${cal.suspicious.join("\n  ")}`
      : `\nall ${cal.checks.length} Monte Carlo checks fail no more often than their stated rates allow`,
  );
  console.log(
    `failures in all: ${cal.totalFailures} (at most ${cal.expectedFailuresBound.toFixed(2)} expected at the stated rates)`,
  );
  for (const o of cal.otherFailures) console.log(`NOT statistical, failed under ${o.seeds.join(", ")}: ${o.check}`);
}

function merge(files: string[]): Calibration {
  const parts = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as Calibration);
  const map = new Map<string, CheckTally>();
  const seen = new Set<string>();
  const other = new Map<string, string[]>();
  for (const [k, p] of parts.entries()) {
    if (p.alpha !== parts[0].alpha) fail(`shards were run at different α (${p.alpha} vs ${parts[0].alpha})`);
    if ((p.tiers ?? ["fast"]).join() !== (parts[0].tiers ?? ["fast"]).join())
      fail(`${files[k]} ran other tiers than ${files[0]}`);
    for (const s of p.seeds) {
      if (seen.has(s)) fail(`seed ${s} appears in more than one shard (${files[k]})`);
      seen.add(s);
    }
    for (const o of p.otherFailures ?? []) other.set(o.check, [...(other.get(o.check) ?? []), ...o.seeds]);
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
    tiers: parts[0].tiers ?? ["fast"],
    seeds: parts.flatMap((p) => p.seeds),
    cores: os.availableParallelism(),
    checks,
    suspicious: judge(checks),
    otherFailures: [...other].map(([check, seeds]) => ({ check, seeds })),
    ...totals(checks),
    seconds: parts.reduce((s, p) => s + p.seconds, 0),
  };
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: {
      seeds: { type: "string", default: "100" },
      alpha: { type: "string", default: "0.01" },
      shard: { type: "string" },
      slow: { type: "boolean", default: false },
      out: { type: "string" },
      merge: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  let cal: Calibration;
  let out = values.out ?? "measured/calibration.json";
  if (values.merge) {
    const files = positionals;
    if (!files.length) fail("--merge needs the shard files to add up");
    if (files.includes(out)) fail(`--out ${out} is also one of the shards to merge`);
    cal = merge(files);
  } else {
    if (positionals.length) fail(`unexpected arguments: ${positionals.join(" ")} (files go with --merge)`);
    const n = Number(values.seeds);
    const alpha = Number(values.alpha);
    if (!Number.isInteger(n) || n < 1) fail(`--seeds must be a positive integer, got ${values.seeds}`);
    if (!(alpha > 0 && alpha < 1)) fail(`--alpha must lie in (0, 1), got ${values.alpha}`);
    let [i, of] = [1, 1];
    if (values.shard) {
      const m = /^(\d+)\/(\d+)$/.exec(values.shard);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
        fail(`--shard must look like i/n with 1 ≤ i ≤ n, got ${values.shard}`);
      [i, of] = [Number(m[1]), Number(m[2])];
      if (!values.out) out = `.cache/calibration/shard-${i}-of-${of}.json`;
    }
    const seeds = Array.from({ length: n }, (_, k) => `cal-${k}`).filter((_, k) => k % of === i - 1);
    if (!seeds.length) fail(`shard ${i}/${of} of ${n} seeds holds no seed`);
    const tiers: ("fast" | "slow")[] = values.slow ? ["fast", "slow"] : ["fast"];
    const map = new Map<string, CheckTally>();
    const other = new Map<string, string[]>();
    /** Per tier, the spec files that hold a Monte Carlo check (known after the first seed). */
    const mcFiles = new Map<string, string[]>();
    const bar = new cliProgress.SingleBar(
      {
        format: "calibrate [{bar}] {value}/{total} seeds · {failures} failures · eta {eta_formatted}",
        hideCursor: true,
        // in a CI log (no terminal) print the bar as a line every 30 s instead of redrawing it
        noTTYOutput: true,
        notTTYSchedule: 30_000,
      },
      cliProgress.Presets.shades_classic,
    );
    const t0 = performance.now();
    bar.start(seeds.length, 0, { failures: 0 });
    for (const seed of seeds) {
      for (const tier of tiers) {
        const files = mcFiles.get(tier);
        if (files && !files.length) continue;
        const run = runTier(
          tier,
          { ...process.env, PGBOOK_SEED: seed, PGBOOK_ALPHA: String(alpha) },
          files ?? ["spec/"],
        );
        if (run.errors.length) {
          bar.stop();
          fail(`a spec file failed to load under seed ${seed}: ${run.errors[0]}`);
        }
        if (!files)
          mcFiles.set(tier, [...new Set(run.tests.filter((t) => t.meta?.kind === "monte-carlo").map((t) => t.file))]);
        tally(run.tests, seed, map, other, alpha);
      }
      const failures = [...map.values()].reduce((s, c) => s + c.failures, 0);
      bar.increment(1, { failures });
    }
    bar.stop();
    const checks = [...map.values()];
    cal = {
      date: new Date().toISOString(),
      alpha,
      tiers,
      ...(values.shard ? { shard: values.shard } : {}),
      seeds,
      cores: os.availableParallelism(),
      checks,
      suspicious: judge(checks),
      otherFailures: [...other].map(([check, s]) => ({ check, seeds: s })),
      ...totals(checks),
      seconds: (performance.now() - t0) / 1000,
    };
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(cal, null, 2) + "\n");
  print(cal);
  console.log(`written to ${out}`);
  if (path.resolve(out) === path.resolve("measured/calibration.json")) writeMeasured();
  process.exit(cal.suspicious.length || cal.otherFailures.length ? 1 : 0);
}

main();
