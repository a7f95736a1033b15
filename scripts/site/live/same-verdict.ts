/**
 * One claim, three runners, shown: the portable claims the panels run (spec/claims/index.ts) give the same
 * verdict, with the same first line of their message (numbers to 9 digits), whether vitest runs them (the specs, on an implementation
 * named by PGBOOK_IMPL, as the grader's checks do) or the page's worker does (check-worker.js, built into the
 * site), for the same implementation and master seed. The implementations: the book's reference and three
 * faulty example submissions, each on the panels' claims of its own chapter.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { claimId, PANELS } from "../../../spec/claims/index.ts";
import type { Claim } from "../../../spec/claims/claim.ts";
import type { CheckReply, CheckResult } from "./check-protocol.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** The implementations compared, each with the chapters whose panel claims it is run on. */
export const SAME_VERDICT_IMPLS: { name: string; module: string; chapters: string[] }[] = [
  { name: "reference", module: "src/index.ts", chapters: ["01-bandits", "02-average-return", "03-total-return"] },
  { name: "score-without-pi", module: "examples/students/score-without-pi/index.ts", chapters: ["01-bandits"] },
  {
    name: "ch2-td-wrong-sign",
    module: "examples/students/ch2-td-wrong-sign/index.ts",
    chapters: ["02-average-return"],
  },
  {
    name: "ch3-reward-to-go-late",
    module: "examples/students/ch3-reward-to-go-late/index.ts",
    chapters: ["03-total-return"],
  },
];

interface Verdict {
  status: "passed" | "failed";
  /** The first line of the failure's message ("" when it held). */
  first: string;
}

/**
 * A message's first line with every number rounded to 9 significant digits. Chromium's and Node's V8 are not the
 * same version, and their math functions may differ in the last bits: measured, the h² error ratio of one failing instance
 * came out 0.9999876578061317 in vitest and 0.9999876578060395 in the page (9e-14 apart); no verdict differed.
 */
export const rounded = (line: string): string =>
  line.replace(/-?\d+\.\d+(e[+-]?\d+)?/g, (x) => String(Number(Number(x).toPrecision(9))));

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The verdicts vitest gives `claims` on the implementation `module` under `master` (one run of the fast tier). */
export function vitestVerdicts(module: string, claims: Claim[], master: string): Map<string, Verdict> {
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-same-verdict-"));
  const out = path.join(dir, "results.json");
  const files = [...new Set(claims.map((c) => c.file))];
  const pattern = claims.map((c) => escapeRegex(c.title)).join("|");
  const env: NodeJS.ProcessEnv = { ...process.env, PGBOOK_SEED: master };
  if (module === "src/index.ts") delete env.PGBOOK_IMPL;
  else env.PGBOOK_IMPL = module;
  const r = spawnSync(
    "npx",
    ["vitest", "run", "--project", "fast", ...files, "-t", pattern, "--reporter=json", `--outputFile=${out}`],
    { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  let json: {
    testResults: {
      assertionResults: { fullName: string; title: string; status: string; failureMessages: string[] }[];
    }[];
  };
  try {
    json = JSON.parse(readFileSync(out, "utf8")) as typeof json;
  } catch {
    throw new Error(`vitest wrote no results for ${module} (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }
  const byTitle = new Map(json.testResults.flatMap((f) => f.assertionResults).map((a) => [a.title, a]));
  const verdicts = new Map<string, Verdict>();
  for (const c of claims) {
    const a = byTitle.get(c.title);
    if (!a) throw new Error(`vitest did not run "${c.title}" on ${module}`);
    const first = (a.failureMessages[0] ?? "").split("\n")[0].replace(/^\w*Error: /, "");
    verdicts.set(claimId(c), { status: a.status === "passed" ? "passed" : "failed", first });
  }
  return verdicts;
}

/** An implementation as CommonJS for the worker's "module" mode. */
async function moduleCode(module: string): Promise<string> {
  const out = await build({
    entryPoints: [path.join(ROOT, module)],
    bundle: true,
    format: "cjs",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    alias: { "pgbook/contract": path.join(ROOT, "src/contract/index.ts") },
  });
  return out.outputFiles[0].text;
}

/** The verdicts the page's worker gives `claims` on `module` under `master`, on a page of the built site. */
export async function browserVerdicts(
  page: Page,
  module: string,
  claims: Claim[],
  master: string,
): Promise<Map<string, Verdict>> {
  const code = await moduleCode(module);
  const replies = await page.evaluate(
    async ({ code, ids, master }) => {
      const g = globalThis as unknown as { PGBOOK_CHECK_WORKER?: string };
      if (!g.PGBOOK_CHECK_WORKER) {
        const src = document.querySelector<HTMLScriptElement>('script[src$="check-panel.js"]')!.src;
        await new Promise((resolve, reject) => {
          const s = document.createElement("script");
          s.src = src.replace(/check-panel\.js$/, "check-worker.js");
          s.onload = resolve;
          s.onerror = reject;
          document.head.append(s);
        });
      }
      const worker = new Worker(URL.createObjectURL(new Blob([g.PGBOOK_CHECK_WORKER!], { type: "text/javascript" })));
      return await new Promise<CheckReply[]>((resolve) => {
        const got: CheckReply[] = [];
        worker.onmessage = (e: MessageEvent<CheckReply>) => {
          got.push(e.data);
          if (e.data.kind !== "result") {
            worker.terminate();
            resolve(got);
          }
        };
        worker.postMessage({ id: 1, mode: "module", code, claims: ids, master });
      });
    },
    { code, ids: claims.map(claimId), master },
  );
  const error = replies.find((r) => r.kind === "error");
  if (error && error.kind === "error") throw new Error(`the page's worker could not run ${module}: ${error.message}`);
  const verdicts = new Map<string, Verdict>();
  for (const r of replies)
    if (r.kind === "result") {
      const res: CheckResult = r.result;
      verdicts.set(res.claim, { status: res.status, first: res.message.split("\n")[0] });
    }
  return verdicts;
}

/** Compare the two runners on every implementation; the problems found, and a line per comparison for the log. */
export async function checkSameVerdict(
  pageOf: () => Promise<Page>,
  master: string,
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const impl of SAME_VERDICT_IMPLS) {
    const claims = PANELS.filter((p) => impl.chapters.includes(p.page)).flatMap((p) => p.claims);
    const inVitest = vitestVerdicts(impl.module, claims, master);
    const page = await pageOf();
    const inPage = await browserVerdicts(page, impl.module, claims, master);
    await page.close();
    for (const c of claims) {
      const a = inVitest.get(claimId(c))!;
      const b = inPage.get(claimId(c));
      const what = `${impl.name}, "${c.title.slice(0, 70)}"`;
      if (!b) problems.push(`${what}: the page gave no verdict`);
      else if (a.status !== b.status || rounded(a.first) !== rounded(b.first))
        problems.push(`${what}: vitest ${a.status} ("${a.first}"), the page ${b.status} ("${b.first}")`);
      else log(`  same verdict: ${what}: ${a.status}${a.first ? ` — ${a.first.slice(0, 90)}` : ""}`);
    }
  }
  return problems;
}
