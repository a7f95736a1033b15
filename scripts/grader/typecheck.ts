/**
 * Type-check a submission against the contract before anything runs. The submission's entry module
 * is compiled with the book's compiler options; a generated file then assigns each contract function
 * the submission exports to the contract's type of that function. A syntax error anywhere, or an
 * export whose type does not fit, makes the submission "not gradable" with the compiler's message.
 * Type errors inside the submission that do not touch the contract are reported as warnings.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./contract.ts";
import { clean } from "./text.ts";

export interface TypecheckResult {
  ok: boolean;
  /** Every name the entry module exports. */
  exports: string[];
  /** The contract functions it exports (whose types fit when ok). */
  attempted: string[];
  errors: string[];
  warnings: string[];
  seconds: number;
}

const STUDENT_CONTRACT = path.join(ROOT, "scripts/grader/student-contract.ts");

function options(): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    allowJs: true,
    checkJs: false,
    resolveJsonModule: true,
    types: ["node"],
    // the folder @types/node is in: the book's node_modules, or the one an installed pgbook sits in
    typeRoots: [path.dirname(path.dirname(createRequire(import.meta.url).resolve("@types/node/package.json")))],
    paths: { "pgbook/contract": [STUDENT_CONTRACT] },
  };
}

function format(d: ts.Diagnostic, base: string): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return clean(msg, 600);
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const rel = path.relative(base, d.file.fileName).split(path.sep).join("/");
  return clean(`${rel}:${line + 1}:${character + 1} ${msg}`, 600);
}

/** Check `entry` (a .ts/.js module) against the contract's functions `contractFns`. */
export function typecheck(entry: string, contractFns: string[]): TypecheckResult {
  const t0 = performance.now();
  const base = path.dirname(entry);
  const opts = options();
  const host = ts.createCompilerHost(opts);
  const first = ts.createProgram([entry], opts, host);
  const src = first.getSourceFile(entry);
  const errors: string[] = [];
  const warnings: string[] = [];
  const inSubmission = (f?: ts.SourceFile) =>
    !!f && !f.fileName.includes("/node_modules/") && path.resolve(f.fileName).startsWith(base + path.sep);
  for (const f of first.getSourceFiles()) {
    if (!inSubmission(f)) continue;
    for (const d of first.getSyntacticDiagnostics(f)) errors.push(format(d, base));
  }
  let exports: string[] = [];
  if (src) {
    const checker = first.getTypeChecker();
    const sym = checker.getSymbolAtLocation(src);
    exports = sym ? checker.getExportsOfModule(sym).map((s) => s.getName()) : [];
  } else errors.push(`cannot read ${path.basename(entry)}`);
  const attempted = contractFns.filter((f) => exports.includes(f));
  if (errors.length)
    return { ok: false, exports, attempted, errors, warnings, seconds: (performance.now() - t0) / 1000 };
  if (attempted.length === 0) {
    errors.push(
      `exports none of the contract's functions (${contractFns.join(", ")}); the module exports: ${exports.length ? exports.join(", ") : "nothing"}`,
    );
    return { ok: false, exports, attempted, errors, warnings, seconds: (performance.now() - t0) / 1000 };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "pgbook-typecheck-"));
  const check = path.join(dir, "contract-check.ts");
  const lines = [
    `import type { Contract } from ${JSON.stringify(STUDENT_CONTRACT)};`,
    `import * as submission from ${JSON.stringify(entry)};`,
    ...attempted.map((f) => `export const ${f}: Contract[${JSON.stringify(f)}] = submission.${f};`),
  ];
  writeFileSync(check, lines.join("\n") + "\n");
  try {
    const prog = ts.createProgram([check], opts, host, first);
    for (const d of prog.getSemanticDiagnostics(prog.getSourceFile(check))) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const fn = attempted[line - 2];
      const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      errors.push(clean(fn ? `${fn} does not match the contract: ${msg}` : msg, 800));
    }
    for (const f of prog.getSourceFiles()) {
      if (!inSubmission(f)) continue;
      for (const d of prog.getSemanticDiagnostics(f)) warnings.push(format(d, base));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    ok: errors.length === 0,
    exports,
    attempted,
    errors,
    warnings: warnings.slice(0, 20),
    seconds: (performance.now() - t0) / 1000,
  };
}
