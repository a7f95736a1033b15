/**
 * Prepare a sandbox folder: the student module bundled into one plain-JavaScript file (so the child
 * needs to read nothing outside this folder), plus the child runtime and the helper thread, bundled
 * from their TypeScript sources with esbuild. The grader builds it once per submission and hands the
 * folder to every test worker (PGBOOK_SANDBOX_DIR); a worker started without it builds its own.
 *
 * Bundling is confined to the submission folder (the entry module's folder, or the one given): esbuild
 * runs with the grader's rights, so whatever it reads could end up in the bundle or in an error
 * message the student sees. Every import is resolved here, before esbuild opens anything:
 *   - a relative or absolute path must name, by its real path (symlinks followed), a .ts/.tsx/.mts/.cts,
 *     .js/.jsx/.mjs/.cjs or .json file inside the folder (a path that leaves the folder lexically is
 *     refused without touching the file system; .json inside the folder is data the student wrote);
 *   - `pgbook/contract` is the contract (scripts/grader/student-contract.ts), whose own imports may
 *     reach only the book's src/ (in practice src/contract/: types and the name lists);
 *   - Node builtins (`node:fs`, `fs`, …) stay external (the sandbox blocks them at run time);
 *   - everything else is refused: import attributes (`with { type: … }`, of any kind), packages
 *     (node_modules), URLs (data:, file:, …), other files (text, binaries, …).
 * esbuild expands a template-literal or concatenated `import()`/`require()` into a glob and reads the
 * matching directories before any plugin hook sees an import, so each file of the submission is read
 * here and scanned (TypeScript's parser) before esbuild parses it: a dynamic import or require whose
 * argument is not one string literal, and any import attributes, refuse it. onLoad reads only files
 * inside the folder (or the contract), and the metafile's inputs are checked again after the build;
 * nothing is written unless every check holds. A refusal is a `NotGradable` error whose message names
 * the importing file (relative to the folder), the line and the specifier, one line per problem.
 */
import { build, buildSync, type BuildFailure, type Loader, type Message, type Metafile, type Plugin } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface SandboxFiles {
  dir: string;
  child: string;
  helper: string;
  submission: string;
}

/** A submission the grader refuses to bundle (grade-one reports it as "not gradable", exit 2). */
export class NotGradable extends Error {
  override name = "NotGradable";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const CONTRACT = path.join(root, "scripts/grader/student-contract.ts");
const BOOK_SRC = path.join(root, "src");

/** The files of a sandbox folder (whether or not they exist yet). */
export function sandboxFiles(dir: string): SandboxFiles {
  return {
    dir,
    child: path.join(dir, "child.cjs"),
    helper: path.join(dir, "helper.cjs"),
    submission: path.join(dir, "submission.mjs"),
  };
}

const LOADERS: Record<string, Loader> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
  ".json": "json",
};
const EXTS = Object.keys(LOADERS);
/** What esbuild also tries for an import written with a JavaScript extension (`./a.js` → `./a.ts`). */
const TS_FOR: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".ts", ".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

function inside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith(".." + path.sep) && rel !== ".." && !path.isAbsolute(rel));
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The specifier as it appears in a message: quoted, escaped, truncated. */
function quote(spec: string): string {
  const s = JSON.stringify(spec);
  return s.length > 200 ? `${s.slice(0, 197)}…"` : s;
}

type Resolution = { file: string } | { problem: string };

/**
 * Resolve a relative or absolute path the way esbuild would (exact file, JavaScript extension swapped
 * for TypeScript's, added extensions, a folder's index), but only among files whose real path lies in
 * `confine`. A path that leaves `confine` lexically is refused before anything is looked at; a
 * candidate whose real path leaves it (a symlink) is refused before it is opened.
 */
function resolveConfined(spec: string, resolveDir: string, confine: string, what: string): Resolution {
  const target = path.resolve(resolveDir, spec);
  if (!inside(target, confine)) return { problem: `leaves ${what}` };
  const ext = path.extname(target);
  const candidates = [
    target,
    ...(TS_FOR[ext] ?? []).map((t) => target.slice(0, -ext.length) + t),
    ...EXTS.map((e) => target + e),
    ...EXTS.map((e) => path.join(target, "index" + e)),
  ];
  for (const c of candidates) {
    const real = realOrUndefined(c);
    if (!real) continue;
    if (!inside(real, confine)) return { problem: `resolves through a symlink to a file outside ${what}` };
    if (!statSync(real).isFile()) continue;
    if (!LOADERS[path.extname(real)])
      return { problem: `is not a code module (only .ts, .js and .json files of ${what} may be imported)` };
    return { file: real };
  }
  return { problem: `names no file of ${what}` };
}

/**
 * The problems of one source file that must be caught before esbuild parses it: import attributes,
 * and dynamic imports/requires whose argument is not a single string literal (esbuild would expand
 * them into globs, listing and reading directories). Each is "line: text".
 */
function scanSource(
  ts: typeof import("typescript"),
  file: string,
  text: string,
  folder: string,
): { line: number; text: string }[] {
  const ext = path.extname(file);
  const kind =
    ext === ".tsx"
      ? ts.ScriptKind.TSX
      : ext === ".jsx"
        ? ts.ScriptKind.JSX
        : /\.[mc]?js$/.test(ext)
          ? ts.ScriptKind.JS
          : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out: { line: number; text: string }[] = [];
  const lineOf = (n: import("typescript").Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const specOf = (n: import("typescript").Node | undefined) => (n && ts.isStringLiteralLike(n) ? n.text : undefined);
  const visit = (n: import("typescript").Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.attributes) {
      const spec = specOf(n.moduleSpecifier) ?? "?";
      const leaves =
        /^\.\.?(\/|$)|^\//.test(spec) && !inside(path.resolve(path.dirname(file), spec), folder)
          ? " and leaves the submission folder"
          : "";
      out.push({
        line: lineOf(n),
        text: `import ${quote(spec)} has import attributes (with { … }), which the grader does not accept${leaves}`,
      });
    } else if (ts.isCallExpression(n)) {
      const isImport = n.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(n.expression) && n.expression.text === "require";
      if (isImport || isRequire) {
        const word = isImport ? "import()" : "require()";
        const spec = specOf(n.arguments[0]);
        if (spec === undefined) {
          const written = n.arguments[0] ? n.arguments[0].getText(sf) : "";
          const shown = written.length > 200 ? `${written.slice(0, 199)}…` : written;
          out.push({
            line: lineOf(n),
            text: `${word.slice(0, -1)}${shown}) is not a single string literal (a computed import could reach files outside the submission folder)`,
          });
        } else if (isImport && n.arguments.length > 1) {
          out.push({
            line: lineOf(n),
            text: `import ${quote(spec)} has import attributes (with { … }), which the grader does not accept`,
          });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Bundle options that do not depend on the submission (the format the child loads). */
const FORMAT = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "silent",
  tsconfigRaw: { compilerOptions: {} },
} as const;

/**
 * Bundle a student module (a .ts/.js file) into the file `out`, reading nothing outside `folder`
 * (default: the module's folder) except the contract. Throws `NotGradable` when the submission imports
 * anything else or cannot be bundled (syntax errors), with one "file:line: problem" per line.
 */
export async function bundleSubmission(modulePath: string, out: string, folder?: string): Promise<void> {
  const entry = path.resolve(modulePath);
  const folderReal = realOrUndefined(path.resolve(folder ?? path.dirname(entry)));
  if (!folderReal || !statSync(folderReal).isDirectory())
    throw new NotGradable([`the submission folder does not exist`]);
  const entryReal = realOrUndefined(entry);
  const entryName = inside(entry, folderReal) ? path.relative(folderReal, entry) : path.basename(entry);
  if (!entryReal || !inside(entryReal, folderReal))
    throw new NotGradable([`${entryName}: the module is not a file of the submission folder`]);
  if (!LOADERS[path.extname(entryReal)] || path.extname(entryReal) === ".json")
    throw new NotGradable([`${entryName}: the module is not a .ts or .js file`]);
  const contractReal = realpathSync(CONTRACT);
  const bookSrc = realpathSync(BOOK_SRC);
  const isBook = (p: string) => p === contractReal || inside(p, bookSrc);
  // require, not import: importing TypeScript's 9 MB CommonJS file as ESM costs half a second more
  const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
  const problems: string[] = [];
  const show = (p: string) => (inside(p, folderReal) ? path.relative(folderReal, p) : path.basename(p));

  const confine: Plugin = {
    name: "pgbook-confine",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (a) => {
        if (a.kind === "entry-point") return { path: entryReal };
        const written = a.kind === "require-call" ? `require(${quote(a.path)})` : `import ${quote(a.path)}`;
        const refuse = (problem: string) => ({ errors: [{ text: `${written} ${problem}`, detail: "pgbook-confine" }] });
        if (Object.keys(a.with ?? {}).length)
          return refuse("has import attributes (with { … }), which the grader does not accept");
        const fromStudent = a.importer !== "" && inside(a.importer, folderReal);
        const fromBook = !fromStudent && isBook(a.importer);
        if (!fromStudent && !fromBook) return refuse("comes from a file outside the submission folder");
        if (isBuiltin(a.path)) return { path: a.path, external: true };
        const spec = a.path;
        if (fromStudent && spec === "pgbook/contract") return { path: contractReal };
        const relative =
          spec === "." || spec === ".." || spec.startsWith("./") || spec.startsWith("../") || path.isAbsolute(spec);
        if (!relative) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return refuse("is a URL, not a file of the submission folder");
          return refuse(
            "is a package: only node: builtins and pgbook/contract may be imported from outside the submission folder",
          );
        }
        const r = fromStudent
          ? resolveConfined(spec, a.resolveDir, folderReal, "the submission folder")
          : resolveConfined(spec, a.resolveDir, bookSrc, "the book's src/");
        return "file" in r ? { path: r.file } : refuse(r.problem);
      });
      b.onLoad({ filter: /.*/ }, (a) => {
        const real = a.namespace === "file" ? realOrUndefined(a.path) : undefined;
        if (real && inside(real, folderReal)) {
          const loader = LOADERS[path.extname(real)];
          if (Object.keys(a.with ?? {}).length || !loader)
            return {
              errors: [
                {
                  text: `${show(real)}: imported with import attributes or as a non-code file`,
                  detail: "pgbook-confine",
                },
              ],
            };
          const text = readFileSync(real, "utf8");
          if (loader !== "json") {
            const found = scanSource(ts, real, text, folderReal);
            if (found.length) {
              for (const f of found) problems.push(`${show(real)}:${f.line}: ${f.text}`);
              return { errors: [{ text: "refused", detail: "pgbook-confine-reported" }] };
            }
          }
          return { contents: text, loader, resolveDir: path.dirname(real) };
        }
        if (real && isBook(real) && !Object.keys(a.with ?? {}).length)
          return { contents: readFileSync(real, "utf8"), loader: "ts", resolveDir: path.dirname(real) };
        // Not reached through onResolve (which refuses first): never read, never named.
        return {
          errors: [{ text: "an import reaches a file outside the submission folder", detail: "pgbook-confine" }],
        };
      });
    },
  };

  let result;
  try {
    result = await build({
      ...FORMAT,
      entryPoints: [entryReal],
      outfile: path.resolve(out),
      absWorkingDir: folderReal,
      write: false,
      metafile: true,
      plugins: [confine],
    });
  } catch (e) {
    const errors = (e as BuildFailure).errors as Message[] | undefined;
    if (!errors) throw e;
    for (const m of errors) {
      if (m.detail === "pgbook-confine-reported") continue;
      const loc = m.location ? `${show(path.resolve(folderReal, m.location.file))}:${m.location.line}: ` : "";
      problems.push(loc + m.text);
    }
    throw new NotGradable(problems.length ? [...new Set(problems)] : ["the module cannot be bundled"]);
  }
  const leaks = metafileProblems(result.metafile, folderReal, isBook);
  if (leaks.length) throw new NotGradable(leaks);
  const main = result.outputFiles.find((f) => f.path === path.resolve(out)) ?? result.outputFiles[0];
  writeFileSync(out, main.contents);
}

/** The second line of defence: every input must be a file of the folder (or the book's contract), every external a builtin. */
function metafileProblems(meta: Metafile, folderReal: string, isBook: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const key of Object.keys(meta.inputs)) {
    const real =
      /^[a-z-]+:/.test(key) || key.includes(" with {") ? undefined : realOrUndefined(path.resolve(folderReal, key));
    if (!real || !(inside(real, folderReal) || isBook(real)))
      out.push("the bundle would include a file outside the submission folder");
  }
  for (const o of Object.values(meta.outputs))
    for (const i of o.imports)
      if (i.external && !isBuiltin(i.path))
        out.push(`import ${quote(i.path)} would stay external: only node: builtins may`);
  return [...new Set(out)];
}

/**
 * The same confined bundle from synchronous code: the async build runs in a child Node process (with
 * tsx's loader, to import this file), and its outcome comes back as JSON; a refusal is rethrown as
 * `NotGradable` with the same problems.
 */
export function bundleSubmissionSync(modulePath: string, out: string, folder?: string): void {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const self = pathToFileURL(fileURLToPath(import.meta.url)).href;
  const script = `
    const m = await import(${JSON.stringify(self)});
    const a = JSON.parse(process.env.PGBOOK_BUNDLE_REQUEST);
    let r;
    try { await m.bundleSubmission(a.module, a.out, a.folder); r = { ok: true }; }
    catch (e) { r = e instanceof m.NotGradable ? { problems: e.problems } : { error: String((e && e.stack) || e) }; }
    process.stdout.write("\\n" + JSON.stringify(r) + "\\n");`;
  const p = spawnSync(process.execPath, ["--import", tsx, "--input-type=module", "--eval", script], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 16 << 20,
    env: {
      ...process.env,
      PGBOOK_BUNDLE_REQUEST: JSON.stringify({
        module: path.resolve(modulePath),
        out: path.resolve(out),
        folder: folder && path.resolve(folder),
      }),
    },
  });
  const last = (p.stdout ?? "").trim().split("\n").pop() ?? "";
  let r: { ok?: boolean; problems?: string[]; error?: string } | undefined;
  try {
    r = JSON.parse(last) as typeof r;
  } catch {
    r = undefined;
  }
  if (r?.ok) return;
  if (r?.problems) throw new NotGradable(r.problems);
  throw new Error(`the bundler process failed: ${r?.error ?? (p.error?.message || p.stderr || `exit ${p.status}`)}`);
}

/** Build the child runtime and the helper thread into `dir` (the grader's own sources). */
export function bundleRuntime(files: SandboxFiles): void {
  for (const [src, out] of [
    ["child.ts", files.child],
    ["helper.ts", files.helper],
  ] as const) {
    buildSync({
      entryPoints: [path.join(here, src)],
      outfile: out,
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      tsconfigRaw: { compilerOptions: {} },
    });
  }
}

function complete(files: SandboxFiles): boolean {
  return existsSync(files.child) && existsSync(files.helper) && existsSync(files.submission);
}

/**
 * Build a complete sandbox folder for a module (confined to `folder`, default the module's folder);
 * reuse `dir` when it is already complete. A folder this call created is removed when bundling fails.
 */
export async function buildSandboxAsync(modulePath: string, dir?: string, folder?: string): Promise<SandboxFiles> {
  const files = sandboxFiles(dir ?? mkdtempSync(path.join(tmpdir(), "pgbook-sandbox-")));
  if (complete(files)) return files;
  try {
    bundleRuntime(files);
    await bundleSubmission(modulePath, files.submission, folder);
  } catch (e) {
    if (!dir) rmSync(files.dir, { recursive: true, force: true });
    throw e;
  }
  return files;
}

/** `buildSandboxAsync` for synchronous callers: the submission is bundled in a child process (same confinement). */
export function buildSandboxSync(modulePath: string, dir?: string, folder?: string): SandboxFiles {
  const files = sandboxFiles(dir ?? mkdtempSync(path.join(tmpdir(), "pgbook-sandbox-")));
  if (complete(files)) return files;
  try {
    bundleRuntime(files);
    bundleSubmissionSync(modulePath, files.submission, folder);
  } catch (e) {
    if (!dir) rmSync(files.dir, { recursive: true, force: true });
    throw e;
  }
  return files;
}
