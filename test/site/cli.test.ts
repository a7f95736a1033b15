/** `npm run site` as a command: cached results keyed on content, exit codes, the printed summary. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { inputKey, loadCached } from "../../scripts/lib/results.ts";
import { CH1, ERRATA, check, passing, project, results } from "./fixtures.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const tsx = path.join(repo, "node_modules", ".bin", "tsx");
const builder = path.join(repo, "scripts", "site", "site.ts");

/** A fixture project whose cached results match its content key, so the CLI reuses them. */
function cachedProject(
  tests = passing(),
  chapters: Record<string, string> = {
    "01-bandits.md": CH1.replace(/::: figure probs[\s\S]*?:::\n/, ""),
    "errata.md": ERRATA,
  },
) {
  const p = project(chapters);
  const key = inputKey(p.root, "20251117", "");
  mkdirSync(path.join(p.root, ".cache"));
  writeFileSync(
    path.join(p.root, ".cache", `results-${key.slice(0, 24)}.json`),
    JSON.stringify({ ...results(tests.filter((t) => !t.tags.includes("fig 1"))), key }),
  );
  return { ...p, key };
}

function run(root: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.PGBOOK_IMPL;
  delete env.PGBOOK_SEED;
  return spawnSync(tsx, [builder, ...args], { cwd: root, env, encoding: "utf8" });
}

describe("results cache", () => {
  it("the content key changes with any input, the seed and the implementation under test", () => {
    const p = project({ "01-bandits.md": CH1 });
    const k = inputKey(p.root, "20251117", "");
    expect(inputKey(p.root, "20251117", "")).toBe(k);
    expect(inputKey(p.root, "7", "")).not.toBe(k);
    expect(inputKey(p.root, "20251117", "student.ts")).not.toBe(k);
    writeFileSync(path.join(p.root, "src", "gibbs.ts"), "export const x = 1;\n");
    expect(inputKey(p.root, "20251117", "")).not.toBe(k);
    expect(loadCached(p.root, k)).toBeUndefined();
  });
});

describe("build-site CLI", () => {
  it("reuses cached results, prints both times and exits 0 when every claim held", () => {
    const p = cachedProject();
    const r = run(p.root);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("reusing check results");
    expect(r.stdout).toMatch(/3 claims: 3 held, 0 failed/);
    expect(r.stdout).toMatch(
      /checks: 4\.0 s \(fast 1\.5 s, slow 2\.5 s, reused from cache\) · build: \d+\.\d s in total/,
    );
    expect(existsSync(path.join(p.root, "site", "index.html"))).toBe(true);
  });

  it("a failing check: full site, exit 1; --allow-failures: exit 0", () => {
    const tests = passing();
    tests[0] = check("[eq 5] the score of the Gibbs policy", "failed");
    const p = cachedProject(tests);
    const r = run(p.root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("✗ spec/1-x/1.1-x.spec.ts:7 > section 1.1 > [eq 5] the score of the Gibbs policy");
    expect(r.stdout).toContain("FAILURES");
    expect(existsSync(path.join(p.root, "site", "01-bandits.html"))).toBe(true);
    expect(run(p.root, "--allow-failures").status).toBe(0);
  });

  it("a build error: file:line on stderr, exit 2, nothing written", () => {
    const p = cachedProject(passing(), {
      "01-bandits.md": CH1.replace(/::: figure probs[\s\S]*?:::\n/, "").replace("\\tag{5}", "\\tag{6}"),
      "errata.md": ERRATA,
    });
    const r = run(p.root);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("chapters/01-bandits.md:5: [eq 6] is marked here but no check carries the tag [eq 6]");
    expect(r.stderr).toContain("the tag [eq 5]");
    expect(r.stderr).toContain("nothing was written");
    expect(existsSync(path.join(p.root, "site"))).toBe(false);
  });
});
