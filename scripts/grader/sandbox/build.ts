/**
 * Prepare a sandbox folder: the student module bundled into one plain-JavaScript file (so the child
 * needs to read nothing outside this folder), plus the child runtime and the helper thread, bundled
 * from their TypeScript sources with esbuild. The grader builds it once per submission and hands the
 * folder to every test worker (PGBOOK_SANDBOX_DIR); a worker started without it builds its own.
 */
import { buildSync } from "esbuild";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface SandboxFiles {
  dir: string;
  child: string;
  helper: string;
  submission: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");

/** The files of a sandbox folder (whether or not they exist yet). */
export function sandboxFiles(dir: string): SandboxFiles {
  return { dir, child: path.join(dir, "child.cjs"), helper: path.join(dir, "helper.cjs"), submission: path.join(dir, "submission.mjs") };
}

/** Bundle a student module (a .ts/.js file) into `dir`. Throws with esbuild's message on a syntax error. */
export function bundleSubmission(modulePath: string, out: string): void {
  const r = buildSync({
    entryPoints: [modulePath],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: true,
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: {} },
    // The contract's types (and its name lists) are the only thing a submission may import from the book.
    alias: { "pgbook/contract": path.join(root, "scripts/grader/student-contract.ts") },
  });
  if (r.errors.length) throw new Error(r.errors.map((e) => e.text).join("\n"));
}

/** Build the child runtime and the helper thread into `dir`. */
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

/** Build a complete sandbox folder for a module; reuse `dir` when it is already complete. */
export function buildSandbox(modulePath: string, dir?: string): SandboxFiles {
  const files = sandboxFiles(dir ?? mkdtempSync(path.join(tmpdir(), "pgbook-sandbox-")));
  if (existsSync(files.child) && existsSync(files.helper) && existsSync(files.submission)) return files;
  bundleRuntime(files);
  bundleSubmission(modulePath, files.submission);
  return files;
}
