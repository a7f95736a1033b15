/**
 * The C references of the benchmark (scripts/tools/bench/*.c): finding a compiler and compiling one
 * program, so every row that has a C twin builds and reports it the same way.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The fact a row states when it has no C figure for want of a compiler. */
export const NO_COMPILER = "no C compiler found (set CC or install cc)";

/** The first C compiler that answers `--version`: $CC, then cc, gcc, clang; undefined if none does. */
export function findCompiler(): string | undefined {
  for (const cc of [process.env.CC, "cc", "gcc", "clang"].filter((x): x is string => !!x)) {
    try {
      execFileSync(cc, ["--version"], { stdio: "ignore" });
      return cc;
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}

/**
 * The executable of scripts/tools/bench/<name>.c, compiled with -O2 into `dir` (once per directory: rows
 * sharing a program share its build); undefined without a compiler.
 */
export function compileC(cc: string | undefined, dir: string, name: string): string | undefined {
  if (!cc) return undefined;
  const exe = path.join(dir, name);
  if (!existsSync(exe)) execFileSync(cc, ["-O2", "-o", exe, path.join(here, `${name}.c`), "-lm"], { stdio: "inherit" });
  return exe;
}
