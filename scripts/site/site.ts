/**
 * `npm run site`: run every check (both tiers, or reuse a run made from exactly the same sources,
 * specs and seed), then build the verified site in site/.
 *
 *   --allow-failures   exit 0 even when checks fail (the site shows the failures either way)
 *   --no-cache         rerun the checks even when cached results match
 *   --out <dir>        write the site somewhere else (default site/)
 *   --chapters <dir>   take the chapters from another folder (default chapters/; for previews)
 *
 * Exit codes: 0 all held (or --allow-failures), 1 some check failed, 2 build error (nothing written).
 */
import { execSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveMasterSeed } from "../../measure/seed.ts";
import { figures } from "./figures/index.ts";
import { inputKey, loadCached, runChecks } from "../lib/results.ts";
import { figureCacheFile, figureCacheKey } from "./figure-cache.ts";
import { buildSite, failureLine, formatErrors } from "./build.ts";

const t0 = performance.now();
const { values } = parseArgs({
  options: {
    "allow-failures": { type: "boolean", default: false },
    "no-cache": { type: "boolean", default: false },
    out: { type: "string", default: "site" },
    chapters: { type: "string", default: "chapters" },
  },
});
const root = process.cwd();
const log = (s: string) => console.log(`[site] ${s}`);

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

const randomSeed = process.env.PGBOOK_SEED?.trim() === "random";
const masterSeed = resolveMasterSeed();
const key = inputKey(root, masterSeed);
const cached = values["no-cache"] || randomSeed ? undefined : loadCached(root, key);
if (cached)
  log(`reusing check results from ${cached.ranAt} (content key ${key.slice(0, 12)}, master seed ${masterSeed})`);
else log(`running every check (master seed ${masterSeed}, content key ${key.slice(0, 12)})`);
const results = cached ?? runChecks(root, masterSeed, key, log);
const checkSeconds = results.seconds.fast + results.seconds.slow;

const figureKey = figureCacheKey(root, results.key);
const head = git("rev-parse --short HEAD") || "unknown";
const dirty = git("status --porcelain --untracked-files=no -- src spec chapters scripts") ? "+changes" : "";
const outcome = await buildSite({
  chaptersDir: path.resolve(root, values.chapters),
  chaptersLabel: path.relative(root, path.resolve(root, values.chapters)).split(path.sep).join("/") || ".",
  results,
  outDir: path.resolve(root, values.out),
  figures,
  sourceRoot: root,
  commit: head + dirty,
  date: new Date().toISOString(),
  startedAt: t0,
  figureCache: { file: figureCacheFile(root, figureKey), key: figureKey },
});
const buildSeconds = (performance.now() - t0) / 1000;

if (!outcome.ok) {
  console.error(formatErrors(outcome.errors));
  console.error(
    `\n[site] build error: ${outcome.errors.length} problem${outcome.errors.length > 1 ? "s" : ""} in the input (listed above as file:line: message); ` +
      `nothing was written and ${values.out}/ was left as it was.`,
  );
  process.exit(2);
}

const failed = results.tests.filter((t) => t.status === "failed");
for (const t of failed) console.log(failureLine(t));
for (const e of results.errors) console.log(`✗ spec failed to load: ${e.slice(0, 1000)}`);
console.log(
  `\n[site] ${outcome.claims} claims: ${outcome.claimsHeld} held, ${outcome.claimsFailed} failed` +
    (outcome.claimsSkipped ? `, ${outcome.claimsSkipped} not attempted` : "") +
    ` · ${outcome.checks} checks (${outcome.checksFailed} failed) · total false-failure bound ${outcome.bound.toExponential(2)}` +
    `\n[site] master seed ${masterSeed} · commit ${head}${dirty} · ${outcome.pages.length} pages in ${values.out}/` +
    `\n[site] checks: ${checkSeconds.toFixed(1)} s (fast ${results.seconds.fast.toFixed(1)} s, slow ${results.seconds.slow.toFixed(1)} s${results.cached ? ", reused from cache" : ""})` +
    ` · build: ${buildSeconds.toFixed(1)} s in total`,
);
const bad = failed.length > 0 || results.errors.length > 0;
if (bad)
  console.log(
    `[site] ✗ FAILURES: the site shows them on their pages, the index and report.html${values["allow-failures"] ? " (--allow-failures: exit 0)" : ""}`,
  );
process.exit(bad && !values["allow-failures"] ? 1 : 0);
