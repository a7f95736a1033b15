/**
 * Autograder bundles for the platforms (issue 9):
 *   npm run grade:bundle -- --platform gradescope|prairielearn [--chapters 1,2] [--hidden <dir>]
 *                           [--seed N] [--book-url URL] [--out <dir>]
 * gradescope: `<out>/pgbook-gradescope.zip` with setup.sh (a current LTS Node, bubblewrap, npm ci) and run_autograder
 *   (grades /autograder/submission, writes /autograder/results/results.json).
 * prairielearn: `<out>/pgbook-prairielearn/` with a Dockerfile for the grading image and run.sh
 *   (grades /grade/student, writes /grade/results/results.json in PrairieLearn's format).
 * Both entry scripts take their root from an environment variable (AUTOGRADER_ROOT, PL_ROOT) so the
 * tests can run them in a temporary folder laid out as the platform lays it out.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { shellQuote } from "../../measure/shell.ts";
import { ROOT } from "./contract.ts";
import { graderCommit } from "./grade-one.ts";

/** The Node release the platform bundles install: the current LTS line, pinned as in scripts/tools/node/fetch.sh. */
export const GRADER_NODE = "26.12.1";

const BOOK_FILES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "vitest.config.ts",
  "src",
  "measure",
  "spec",
  "scripts",
  "chapters",
];

function copyBook(to: string, hidden?: string): void {
  mkdirSync(to, { recursive: true });
  for (const f of BOOK_FILES)
    if (existsSync(path.join(ROOT, f))) cpSync(path.join(ROOT, f), path.join(to, f), { recursive: true });
  if (hidden) cpSync(path.resolve(hidden), path.join(to, "hidden"), { recursive: true });
  writeFileSync(path.join(to, "GRADER_COMMIT"), graderCommit() + "\n");
}

/** `book-url`: where the reports' tags link to (the platforms' containers hold no built site). */
type BundleOptions = { chapters?: string; hidden?: string; seed?: string; specs?: string; "book-url"?: string };

function gradeArgs(o: BundleOptions): string {
  const a: string[] = [];
  if (o.specs) a.push(`--specs ${o.specs.replace(/[^A-Za-z0-9_.,-]/g, "")}`);
  if (o.chapters) a.push(`--chapters ${o.chapters.replace(/[^0-9,]/g, "")}`);
  if (o.hidden) a.push('--hidden "$SRC/hidden"');
  if (o.seed) a.push(`--seed ${o.seed.replace(/[^A-Za-z0-9_.-]/g, "")}`);
  if (o["book-url"]) a.push(`--book-url ${shellQuote(o["book-url"])}`);
  return a.join(" ");
}

export function gradescopeBundle(out: string, o: BundleOptions): string {
  const dir = path.join(out, "pgbook-gradescope");
  rmSync(dir, { recursive: true, force: true });
  copyBook(dir, o.hidden);
  writeFileSync(
    path.join(dir, "setup.sh"),
    `#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
# A current LTS Node (${GRADER_NODE}, the version CI tests the grader on), and bubblewrap for the
# sandbox's namespaces (Gradescope's containers usually lack user namespaces; the grader then falls
# back to a uid of its own, rlimits and the permission model, and every report says which layers held).
set -euo pipefail
apt-get update && apt-get install -y curl ca-certificates xz-utils bubblewrap util-linux
curl -fsSL https://nodejs.org/dist/v${GRADER_NODE}/node-v${GRADER_NODE}-linux-x64.tar.xz | tar -xJ -C /usr/local --strip-components=1
cd /autograder/source && npm ci --omit=optional
`,
  );
  writeFileSync(
    path.join(dir, "run_autograder"),
    `#!/usr/bin/env bash
# Gradescope runs this for each submission; results go to $ROOT/results/results.json.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
SRC="$ROOT/source"
cd "$SRC"
npx tsx scripts/grader/grade.ts "$ROOT/submission" ${gradeArgs(o)} --format gradescope,json --out "$ROOT/pgbook-report"
code=$?
mkdir -p "$ROOT/results"
cp "$ROOT/pgbook-report/results.json" "$ROOT/results/results.json" || echo '{"score":0,"output":"The grader failed; please contact the course staff.","tests":[]}' > "$ROOT/results/results.json"
echo "pgbook grader exit code $code"
exit 0
`,
  );
  chmodSync(path.join(dir, "setup.sh"), 0o755);
  chmodSync(path.join(dir, "run_autograder"), 0o755);
  const zip = path.join(out, "pgbook-gradescope.zip");
  rmSync(zip, { force: true });
  const z = spawnSync("zip", ["-qr", zip, "."], { cwd: dir });
  if (z.status !== 0) throw new Error(`zip failed: ${z.stderr.toString()}`);
  return zip;
}

export function prairielearnBundle(out: string, o: BundleOptions): string {
  const dir = path.join(out, "pgbook-prairielearn");
  rmSync(dir, { recursive: true, force: true });
  copyBook(dir, o.hidden);
  writeFileSync(
    path.join(dir, "Dockerfile"),
    `# The grading image for PrairieLearn's external grader (set "image" in the question's info.json).
FROM node:${GRADER_NODE}-bookworm-slim
# bubblewrap gives the sandbox its namespaces where the container allows user namespaces; util-linux has prlimit
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap util-linux && rm -rf /var/lib/apt/lists/*
WORKDIR /pgbook
COPY . /pgbook
RUN npm ci --omit=optional && chmod +x /pgbook/run.sh
# PrairieLearn mounts /grade and runs the entry point: set "entrypoint": "/pgbook/run.sh".
`,
  );
  writeFileSync(
    path.join(dir, "run.sh"),
    `#!/usr/bin/env bash
# PrairieLearn external grading entry point: grades /grade/student, writes /grade/results/results.json.
set -uo pipefail
ROOT="\${PL_ROOT:-/grade}"
SRC="\${PGBOOK_DIR:-$(cd "$(dirname "$0")" && pwd)}"
cd "$SRC"
npx tsx scripts/grader/grade.ts "$ROOT/student" ${gradeArgs(o)} --format prairielearn,json --out "$ROOT/pgbook-report"
mkdir -p "$ROOT/results"
cp "$ROOT/pgbook-report/pl-results.json" "$ROOT/results/results.json" || echo '{"gradable":false,"score":0,"message":"The grader failed; please contact the course staff.","tests":[]}' > "$ROOT/results/results.json"
exit 0
`,
  );
  chmodSync(path.join(dir, "run.sh"), 0o755);
  return dir;
}

function main(): number {
  const { values: v } = parseArgs({
    options: {
      platform: { type: "string" },
      chapters: { type: "string" },
      hidden: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      specs: { type: "string" },
      "book-url": { type: "string" },
    },
  });
  const out = path.resolve(v.out ?? "grade-bundles");
  mkdirSync(out, { recursive: true });
  if (v.platform === "gradescope") process.stdout.write(`wrote ${gradescopeBundle(out, v)}\n`);
  else if (v.platform === "prairielearn") process.stdout.write(`wrote ${prairielearnBundle(out, v)}\n`);
  else {
    process.stderr.write(
      "usage: npm run grade:bundle -- --platform gradescope|prairielearn [--chapters 1,2] [--hidden <dir>] [--seed N] [--specs a,b] [--book-url URL] [--out <dir>]\n",
    );
    return 3;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts/grader/bundle.ts"))
  process.exitCode = main();
