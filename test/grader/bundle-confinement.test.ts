/**
 * Bundling is confined to the submission folder (scripts/grader/sandbox/build.ts): esbuild runs with
 * the grader's rights, so a submission that imports the grader's files (Gradescope's
 * /autograder/source/run_autograder, the hidden specs), a classmate's folder or the book's src/ would
 * carry their contents into its bundle and from there into its visible report.
 *
 * Each attack folder (examples/students/attack-*) is graded as Gradescope lays a submission out — a
 * temporary `source/` (run_autograder, hidden/*.spec.ts) next to `submission/` (a copy of the folder),
 * a classmate's folder and a book src/ beside them — with a fresh random secret planted in every file
 * the attack reaches. A plain esbuild bundle of the same layout does carry the secret (so the layout is
 * a real threat); the confined bundle refuses with NotGradable naming file, line and import, and the
 * secret appears in no output file and in no message. Then what must still work: a submission split
 * over files and subfolders of its own folder, a symlink that stays inside, the contract, builtins;
 * and every other example folder, made self-contained, bundles, its copies of the correct base
 * byte-identical to the base.
 */
import { build, type BuildFailure } from "esbuild";
import { randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  NotGradable,
  buildSandboxAsync,
  buildSandboxSync,
  bundleSubmission,
} from "../../scripts/grader/sandbox/build.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLES = path.join(ROOT, "examples/students");
const TMP = mkdtempSync(path.join(tmpdir(), "pgbook-confine-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Each attack folder and what its refusal must name: the line and the import as written. */
const ATTACKS: Record<string, { line: number; names: string }[]> = {
  "attack-import-text": [{ line: 2, names: `import "../source/run_autograder"` }],
  "attack-import-glob": [
    { line: 3, names: "import(`../source/hidden/${n}.spec.ts`)" },
    { line: 5, names: `require("../source/" + name)` },
  ],
  "attack-symlink": [{ line: 2, names: `import "./leak.ts"` }],
  "attack-classmate": [{ line: 2, names: `import "../correct/index.ts"` }],
  "attack-book-src": [{ line: 2, names: `import "../../../src/bandits/index.ts"` }],
};

let counter = 0;
const fresh = (name: string) => {
  const d = path.join(TMP, `${name}-${counter++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** Every file under `dir` (following nothing), as text. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(path.join(d.parentPath ?? d.path, d.name), "utf8"));
}

async function refusal(run: () => unknown): Promise<NotGradable> {
  try {
    await run();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(NotGradable);
    return e as NotGradable;
  }
  throw new Error("bundled, but must have been refused");
}

/**
 * A Gradescope-like layout with a secret in every file an attack reaches:
 * <base>/source/run_autograder, <base>/source/hidden/{1,2,3}.spec.ts, <base>/correct/index.ts (a
 * classmate), <tmp>/src/bandits/index.ts (the book, three levels up as in the repository), and
 * <base>/submission = a copy of the attack folder (its symlink pointed at ../source/run_autograder).
 */
function gradescopeLayout(attack: string): { secret: string; submission: string; out: string } {
  const secret = `pgbook-secret-${randomBytes(16).toString("hex")}`;
  const top = fresh(attack);
  const base = path.join(top, "examples/students");
  mkdirSync(path.join(base, "source/hidden"), { recursive: true });
  mkdirSync(path.join(base, "correct"), { recursive: true });
  mkdirSync(path.join(top, "src/bandits"), { recursive: true });
  writeFileSync(path.join(base, "source/run_autograder"), `#!/usr/bin/env bash\necho ${secret}\n`);
  for (const n of [1, 2, 3])
    writeFileSync(path.join(base, `source/hidden/${n}.spec.ts`), `export default "${secret}";\n`);
  writeFileSync(path.join(base, "correct/index.ts"), `export const gibbsPolicy = () => "${secret}";\n`);
  writeFileSync(path.join(top, "src/bandits/index.ts"), `export const gibbsPolicy = () => "${secret}";\n`);
  const submission = path.join(base, "submission");
  cpSync(path.join(EXAMPLES, attack), submission, { recursive: true, verbatimSymlinks: true });
  if (attack === "attack-symlink") {
    rmSync(path.join(submission, "leak.ts"));
    symlinkSync("../source/run_autograder", path.join(submission, "leak.ts"));
  }
  return { secret, submission, out: path.join(top, "out") };
}

describe("the attack folders are refused", () => {
  for (const [attack, problems] of Object.entries(ATTACKS)) {
    it(`${attack}: NotGradable, naming the file, the line and the import`, async () => {
      const out = path.join(fresh("out"), "submission.mjs");
      const e = await refusal(() => bundleSubmission(path.join(EXAMPLES, attack, "index.ts"), out));
      for (const p of problems) expect(e.message).toContain(`index.ts:${p.line}: ${p.names}`);
      expect(e.problems).toHaveLength(problems.length);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("a secret planted outside the submission (Gradescope's layout) never comes out", () => {
  for (const attack of Object.keys(ATTACKS)) {
    it(`${attack}: a plain esbuild bundle carries the secret; the confined one refuses and carries nothing`, async () => {
      const { secret, submission, out } = gradescopeLayout(attack);
      const entry = path.join(submission, "index.ts");
      // the threat is real: esbuild left to itself bundles the secret
      const naive = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: "esm",
        platform: "node",
        logLevel: "silent",
        outfile: path.join(out, "naive.mjs"),
      }).then(
        (r) => r.outputFiles.map((f) => f.text).join(""),
        (e: BuildFailure) => JSON.stringify(e.errors),
      );
      expect(naive).toContain(secret);

      const e = await refusal(() => bundleSubmission(entry, path.join(out, "submission.mjs")));
      expect(e.message).not.toContain(secret);
      expect(e.message).not.toMatch(/hidden\/\d\.spec\.ts/);
      for (const p of ATTACKS[attack]) expect(e.message).toContain(`index.ts:${p.line}: ${p.names}`);
      expect(allFiles(out)).toEqual([]);

      // the synchronous route (a child process) and a whole sandbox folder: the same refusal, nothing kept
      const dir = path.join(out, "sandbox");
      mkdirSync(dir, { recursive: true });
      const s = await refusal(() => buildSandboxSync(entry, dir));
      expect(s.message).toBe(e.message);
      expect(existsSync(path.join(dir, "submission.mjs"))).toBe(false);
      for (const text of allFiles(out)) expect(text).not.toContain(secret);
    });
  }
});

describe("other ways out are refused too", () => {
  const secret = `pgbook-secret-${randomBytes(16).toString("hex")}`;
  const outside = fresh("outside");
  writeFileSync(path.join(outside, "secret.ts"), `export const s = "${secret}";\n`);
  writeFileSync(path.join(outside, "secret.txt"), secret);
  const cases: Record<string, { source: string; names: string; setup?: (dir: string) => void }> = {
    "a package (node_modules)": {
      source: `import { describe } from "vitest";\nexport const d = describe;`,
      names: `import "vitest"`,
    },
    "an absolute path outside": {
      source: `export * from ${JSON.stringify(path.join(outside, "secret.ts"))};`,
      names: `import ${JSON.stringify(path.join(outside, "secret.ts"))}`,
    },
    "a data: URL": {
      source: `export * from "data:text/javascript,export const x = 1";`,
      names: `import "data:text/javascript,export const x = 1"`,
    },
    "a text file inside the folder": {
      source: `// notes\nimport notes from "./notes.txt";\nexport const n = notes;`,
      names: `index.ts:2: import "./notes.txt"`,
      setup: (d) => writeFileSync(path.join(d, "notes.txt"), "hello"),
    },
    "a JSON import with attributes": {
      source: `import t from "./t.json" with { type: "json" };\nexport const x = t;`,
      names: `index.ts:1: import "./t.json" has import attributes`,
      setup: (d) => writeFileSync(path.join(d, "t.json"), "{}"),
    },
    "a literal import() with attributes": {
      source: `export const x = () => import("./a.ts", { with: { type: "text" } });`,
      names: `index.ts:1: import "./a.ts" has import attributes`,
      setup: (d) => writeFileSync(path.join(d, "a.ts"), "export {};"),
    },
    "a re-export with attributes": {
      source: `export { default } from "./a.ts" with { type: "text" };`,
      names: `index.ts:1: import "./a.ts" has import attributes`,
      setup: (d) => writeFileSync(path.join(d, "a.ts"), "export default 1;"),
    },
    "import = require() outside": {
      source: `import s = require("../outside/secret.ts");\nexport const x = s;`,
      names: `index.ts:1: require("../outside/secret.ts") leaves the submission folder`,
    },
    "a symlinked folder that leads outside": {
      source: `export * from "./linked/secret.ts";`,
      names: `index.ts:1: import "./linked/secret.ts" resolves through a symlink`,
      setup: (d) => symlinkSync(outside, path.join(d, "linked")),
    },
    "a folder import through a symlink outside": {
      source: `export * from "./linked";`,
      names: `index.ts:1: import "./linked" resolves through a symlink`,
      setup: (d) => symlinkSync(outside, path.join(d, "linked")),
    },
    "an import in a second file": {
      source: `export * from "./lib/a.ts";`,
      names: `lib/a.ts:3: import "../../outside/secret.ts" leaves the submission folder`,
      setup: (d) => {
        mkdirSync(path.join(d, "lib"));
        writeFileSync(path.join(d, "lib/a.ts"), `// a helper\n\nexport * from "../../outside/secret.ts";\n`);
      },
    },
  };
  for (const [what, c] of Object.entries(cases)) {
    it(what, async () => {
      const top = fresh("case");
      cpSync(outside, path.join(top, "outside"), { recursive: true });
      const dir = path.join(top, "submission");
      mkdirSync(dir);
      writeFileSync(path.join(dir, "index.ts"), c.source + "\n");
      c.setup?.(dir);
      const out = path.join(top, "out", "submission.mjs");
      const e = await refusal(() => bundleSubmission(path.join(dir, "index.ts"), out));
      expect(e.message).toContain(c.names);
      expect(e.message).not.toContain(secret);
      expect(allFiles(path.join(top, "out"))).toEqual([]);
    });
  }

  it("an entry module that is a symlink to a file outside", async () => {
    const dir = fresh("entry-link");
    symlinkSync(path.join(outside, "secret.ts"), path.join(dir, "index.ts"));
    const e = await refusal(() => bundleSubmission(path.join(dir, "index.ts"), path.join(dir, "out.mjs")));
    expect(e.message).toContain("index.ts: the module is not a file of the submission folder");
    expect(e.message).not.toContain(secret);
  });

  it("a folder given explicitly confines to that folder, not to the module's parent", async () => {
    const top = fresh("explicit");
    mkdirSync(path.join(top, "sub"));
    writeFileSync(path.join(top, "sibling.ts"), "export const s = 1;\n");
    writeFileSync(path.join(top, "sub/index.ts"), `export * from "../sibling.ts";\n`);
    await bundleSubmission(path.join(top, "sub/index.ts"), path.join(top, "ok.mjs"), top);
    const e = await refusal(() =>
      bundleSubmission(path.join(top, "sub/index.ts"), path.join(top, "no.mjs"), path.join(top, "sub")),
    );
    expect(e.message).toContain(`index.ts:1: import "../sibling.ts" leaves the submission folder`);
  });
});

describe("what stays allowed", () => {
  it("a submission over several files and subfolders, a JSON table, a symlink inside, the contract, builtins", async () => {
    const dir = fresh("good");
    mkdirSync(path.join(dir, "lib/deep"), { recursive: true });
    writeFileSync(path.join(dir, "lib/deep/add.ts"), "export const add = (a: number, b: number) => a + b;\n");
    writeFileSync(
      path.join(dir, "lib/index.ts"),
      `export { add } from "./deep/add.ts";\nexport { twice } from "../twice.js";\n`,
    );
    writeFileSync(path.join(dir, "twice.ts"), "export const twice = (x: number) => 2 * x;\n");
    writeFileSync(path.join(dir, "table.json"), `{ "k": 21 }`);
    writeFileSync(path.join(dir, "lazy.ts"), "export const lazy = 7;\n");
    writeFileSync(path.join(dir, "plain.cjs"), "module.exports = { plain: 3 };\n");
    symlinkSync("lib/deep/add.ts", path.join(dir, "alias.ts"));
    symlinkSync("lib", path.join(dir, "lib-link"));
    writeFileSync(
      path.join(dir, "index.ts"),
      [
        `import type { Chapter1, Rng } from "pgbook/contract";`,
        `import { CHAPTER1_FUNCTIONS } from "pgbook/contract";`,
        `import { readFileSync } from "node:fs";`,
        `import os from "os";`,
        `import { add, twice } from "./lib";`,
        `import { add as add2 } from "./alias.ts";`,
        `import { add as add3 } from "./lib-link/index.ts";`,
        `import table from "./table.json";`,
        `import cjs from "./plain.cjs";`,
        `export type Policy = Chapter1["gibbsPolicy"];`,
        `export const draw = (rng: Rng) => rng;`,
        `export const names = CHAPTER1_FUNCTIONS.length;`,
        `export const value = add(twice(table.k), add2(add3(cjs.plain, 0), 0));`,
        `export const lazy = () => import("./lazy.ts").then((m) => m.lazy);`,
        `export const builtins = [typeof readFileSync, typeof os.cpus];`,
      ].join("\n"),
    );
    const out = path.join(dir, "..", "good-out.mjs");
    await bundleSubmission(path.join(dir, "index.ts"), out);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/from "node:fs"/);
    expect(text).toMatch(/from "os"/);
    const m = (await import(pathToFileURL(out).href)) as Record<string, unknown>;
    expect(m.value).toBe(45);
    expect(m.names).toBeGreaterThan(0);
    expect(await (m.lazy as () => Promise<number>)()).toBe(7);
    expect(m.builtins).toEqual(["function", "function"]);
  });

  it("a whole sandbox folder, by the async and the sync route", async () => {
    const entry = path.join(EXAMPLES, "score-without-pi/index.ts");
    for (const files of [await buildSandboxAsync(entry), buildSandboxSync(entry)]) {
      try {
        for (const f of [files.child, files.helper, files.submission]) expect(existsSync(f), f).toBe(true);
        expect(readFileSync(files.submission, "utf8")).toContain("gibbsScore");
      } finally {
        rmSync(files.dir, { recursive: true, force: true });
      }
    }
  });
});

describe("the example submissions are self-contained", () => {
  const names = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const bases = { correct: path.join(EXAMPLES, "correct"), "correct-ch234": path.join(EXAMPLES, "correct-ch234") };
  const read = (f: string) => readFileSync(f);

  it("each bundle-time attack folder says in its first line what it tries", () => {
    for (const n of Object.keys(ATTACKS))
      expect(readFileSync(path.join(EXAMPLES, n, "index.ts"), "utf8"), n).toMatch(
        /^\/\/ Attack: .+ Must be not gradable\.\n/,
      );
  });

  it("every copy of a correct base (correct.ts and the files it imports) is byte-identical to the base", () => {
    let copies = 0;
    for (const n of names) {
      if (n in bases || n in ATTACKS) continue;
      const dir = path.join(EXAMPLES, n);
      if (!existsSync(path.join(dir, "index.ts"))) continue;
      const index = readFileSync(path.join(dir, "index.ts"), "utf8");
      expect(index, `${n} imports outside its folder`).not.toMatch(/from\s+["']\.\.\//);
      if (!existsSync(path.join(dir, "correct.ts"))) continue;
      const copy = read(path.join(dir, "correct.ts"));
      const base = Object.values(bases).find((b) => copy.equals(read(path.join(b, "index.ts"))));
      expect(base, `${n}/correct.ts is a copy of neither correct/index.ts nor correct-ch234/index.ts`).toBeDefined();
      // the base's other files: present and identical wherever a file of that name is present
      for (const f of readdirSync(base!)) {
        if (f === "index.ts") continue;
        expect(existsSync(path.join(dir, f)), `${n}/${f} (imported by its correct.ts)`).toBe(true);
        expect(
          read(path.join(dir, f)).equals(read(path.join(base!, f))),
          `${n}/${f} differs from ${path.basename(base!)}/${f}`,
        ).toBe(true);
      }
      copies++;
    }
    expect(copies).toBeGreaterThanOrEqual(20);
  });

  it("a test fixture's correct.ts (a module graded from test/grader/fixtures/) is byte-identical to a base too", () => {
    const fixtures = path.join(ROOT, "test/grader/fixtures");
    const copies = readdirSync(fixtures, { recursive: true, withFileTypes: true }).filter(
      (d) => d.isFile() && d.name === "correct.ts",
    );
    for (const d of copies) {
      const copy = read(path.join(d.parentPath ?? d.path, d.name));
      expect(
        Object.values(bases).some((b) => copy.equals(read(path.join(b, "index.ts")))),
        path.join(d.parentPath ?? d.path, d.name),
      ).toBe(true);
    }
  });

  it("every example folder except the bundle-time attacks bundles", async () => {
    const out = fresh("examples");
    const failed: string[] = [];
    for (const n of names) {
      const entry = ["index.ts", "index.js"].map((f) => path.join(EXAMPLES, n, f)).find((f) => existsSync(f));
      if (n in ATTACKS || !entry) continue;
      try {
        await bundleSubmission(entry, path.join(out, `${n}.mjs`));
      } catch (e) {
        failed.push(`${n}: ${(e as Error).message}`);
      }
    }
    expect(failed).toEqual([]);
  });
});
