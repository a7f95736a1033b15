/**
 * `npm run bench`: run every chapter's benchmark entries (scripts/tools/bench/index.ts), each as the median of
 * repeated timed runs, with a C reference of the same workload where one exists. Prints a table,
 * then one line of JSON (with the machine's core count). Speed lives here, never in tests.
 *
 *   --repeats <n>   timed repetitions per measurement (default 5; whole-command tool timings take at most 3)
 *   --only <text>   run only entries whose chapter or name contains <text> (e.g. --only tools)
 *   --fresh         also time a site build with fresh check results (both tiers rerun; minutes)
 *   --out <file>    where the JSON goes (default measured/bench.json; rows of an --only run replace
 *                   the same rows of the file and keep the others)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { masterSeed } from "../../measure/seed.ts";
import { findCompiler } from "./bench/c.ts";
import { entries } from "./bench/index.ts";
import { goalText, type BenchRow } from "./bench/types.ts";
import { writeMeasured } from "./measured.ts";

const { values } = parseArgs({
  options: {
    repeats: { type: "string", default: "5" },
    only: { type: "string" },
    fresh: { type: "boolean", default: false },
    out: { type: "string", default: "measured/bench.json" },
  },
});
if (values.fresh) process.env.PGBOOK_BENCH_FRESH = "1";
const repeats = Number(values.repeats);
if (!(Number.isInteger(repeats) && repeats >= 1))
  throw new Error(`--repeats must be a positive integer, got ${values.repeats}`);

const tmpDir = mkdtempSync(path.join(os.tmpdir(), "pgbook-bench-"));
const cc = findCompiler();
const seed = masterSeed();
const rows: BenchRow[] = [];
try {
  for (const e of entries) {
    if (values.only && !`${e.chapter} ${e.name}`.includes(values.only)) continue;
    console.error(`[bench] chapter ${e.chapter}: ${e.name} …`);
    const r = await e.run({ repeats, tmpDir, cc, seed });
    rows.push(e.goal ? { ...r, goal: e.goal } : r);
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}

const fmt = (x: number | undefined) =>
  x === undefined ? "—" : Number.isNaN(x) ? "skipped" : x >= 1e3 ? x.toExponential(3) : x.toPrecision(4);
const header = ["ch", "benchmark", "unit", "TypeScript", "C -O2", "TS / C", "goal", "facts"];
const table = rows.map((r) => [
  r.chapter,
  r.name,
  r.unit,
  fmt(r.js),
  fmt(r.c),
  r.ratio === undefined ? "—" : `${r.ratio.toFixed(2)}×`,
  goalText(r),
  Object.entries(r.facts)
    .map(([k, v]) => `${k}=${typeof v === "number" ? +v.toPrecision(4) : v}`)
    .join(" "),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
const measured = {
  date: new Date().toISOString(),
  cores: os.availableParallelism(),
  cpu: os.cpus()[0]?.model ?? "unknown",
  node: process.version,
  compiler: cc ?? null,
  repeats,
  seed,
  /** Load average at the end: benchmarks on a shared machine read slow when it is high. */
  loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  rows,
};
console.log(JSON.stringify(measured));
// Skipped rows (NaN) are kept in the file as null with their reason in facts.
let fileRows = rows;
if (values.only && existsSync(values.out)) {
  const prev = JSON.parse(readFileSync(values.out, "utf8")) as { rows: BenchRow[] };
  const fresh = new Set(rows.map((r) => `${r.chapter}\u0000${r.name}`));
  fileRows = [...prev.rows.filter((r) => !fresh.has(`${r.chapter}\u0000${r.name}`)), ...rows];
}
mkdirSync(path.dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify({ ...measured, rows: fileRows }, null, 2) + "\n");
console.error(`[bench] written to ${values.out}`);
if (path.resolve(values.out) === path.resolve("measured/bench.json")) writeMeasured();
