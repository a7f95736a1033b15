/**
 * The package's JavaScript, built by `npm pack`'s prepack step (Node 20 cannot import .ts): `tsc -p
 * tsconfig.build.json` compiles src/ and the measuring tools the package exports to dist/ (.js with .d.ts
 * beside each), then the entries that gather several modules are written next to them, and the commit the
 * package is built from. package.json's "exports" names the entries:
 *
 *   pgbook            dist/src/index.js   the reference implementation of every chapter, the random streams
 *   pgbook/contract   dist/contract.js    the contract: the chapters' interfaces and function lists, the
 *                                         accuracy owed (ACCURACY, RESIDUAL), the random streams
 *   pgbook/measure    dist/measure.js     the measuring tools: bounds, binomial tails, finite differences,
 *                                         moments (measure/stats/), comparisons with a tolerance (measure/close.ts)
 *
 * The CLI needs no build: scripts/cli/pgbook.mjs is JavaScript and runs each command's script under tsx.
 *
 *   npx tsx scripts/tools/build-dist.ts [--out <dir>]   (default dist/)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { PACKED_ANCHORS, readBookAnchors } from "../grader/book-links.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The entries made of several modules: dist/<name>.js and .d.ts re-export each module's compiled file. */
export const ENTRIES: Record<string, { about: string; modules: string[] }> = {
  contract: {
    about: "The contract an implementation under test provides, with the accuracy owed and the random streams.",
    modules: ["src/contract/index.ts", "src/contract/random.ts"],
  },
  measure: {
    about: "The book's measuring tools: bounds, binomial tails, finite differences, moments, tolerant comparisons.",
    modules: ["measure/stats/index.ts", "measure/close.ts"],
  },
};

/** `module` (a .ts path from the root) as an import from dist/<entry>.js: "./src/contract/index.js". */
const compiled = (module: string) => `./${module.replace(/\.ts$/, ".js")}`;

/** The text of one entry file; the .js and the .d.ts are the same re-exports. */
function entryText(about: string, modules: string[]): string {
  return [
    `/** ${about} (written by scripts/tools/build-dist.ts) */`,
    ...modules.map((m) => `export * from "${compiled(m)}";`),
  ]
    .join("\n")
    .concat("\n");
}

/** The commit the package is built from, with "-dirty" when the working tree has changes; undefined outside git. */
function commit(): string | undefined {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "HEAD");
  if (head.status !== 0) return undefined;
  const dirty = git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "";
  return `${head.stdout.trim()}${dirty ? "-dirty" : ""}`;
}

/**
 * Build the package's JavaScript into `out` (emptied first), with the book's anchors for the grader's
 * links (the package ships no site builder to read them with). Throws when the compiler fails or an
 * entry's module was not emitted.
 */
export async function buildDist(out = path.join(ROOT, "dist")): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", out], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${r.stdout}${r.stderr}`);
  for (const [name, { about, modules }] of Object.entries(ENTRIES)) {
    const absent = modules.filter((m) => !existsSync(path.join(out, compiled(m))));
    if (absent.length)
      throw new Error(`entry ${name}: ${absent.join(", ")} not compiled (add it to tsconfig.build.json's include)`);
    writeFileSync(path.join(out, `${name}.js`), entryText(about, modules));
    writeFileSync(path.join(out, `${name}.d.ts`), entryText(about, modules));
  }
  const c = commit();
  if (c) writeFileSync(path.join(out, "GRADER_COMMIT"), `${c}\n`);
  const anchors = await readBookAnchors();
  writeFileSync(path.join(out, path.basename(PACKED_ANCHORS)), JSON.stringify(Object.fromEntries(anchors)) + "\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts/tools/build-dist.ts")) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = path.resolve(values.out ?? path.join(ROOT, "dist"));
  mkdirSync(path.dirname(out), { recursive: true });
  await buildDist(out);
  process.stdout.write(`built ${path.relative(process.cwd(), out) || "."}/\n`);
}
