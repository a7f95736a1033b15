#!/usr/bin/env node
/**
 * `npm test`: the type-check and the fast tier at once, on the machine's cores. The type-check (incremental,
 * about 5 s even when nothing changed: it parses ~960 files) runs beside vitest instead of before it; its
 * output is held back and printed after vitest's, so the two never interleave. Exits non-zero when either
 * fails (the type-check's code first). Arguments go to vitest: `npm test -- spec/1-bandits`.
 *
 * Plain Node, no tsx: nothing to load before the two start.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const vitest = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");

const typecheck = new Promise((resolve) => {
  const p = spawn(
    process.execPath,
    [tsc, "--noEmit", "-p", ".", "--incremental", "--tsBuildInfoFile", ".cache/tsc.tsbuildinfo", "--pretty"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (out += d));
  p.on("error", (e) => resolve({ code: 1, out: `the type-check could not start: ${e.message}\n` }));
  p.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
});

const tests = new Promise((resolve) => {
  const p = spawn(process.execPath, [vitest, "run", "--project", "fast", ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  p.on("error", (e) => {
    process.stderr.write(`vitest could not start: ${e.message}\n`);
    resolve(1);
  });
  p.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

const [tc, vt] = await Promise.all([typecheck, tests]);
if (tc.code !== 0) process.stdout.write(`\ntype-check (tsc --noEmit) failed:\n${tc.out}`);
else process.stdout.write("\ntype-check (tsc --noEmit): no errors\n");
process.exit(tc.code !== 0 ? tc.code : vt);
