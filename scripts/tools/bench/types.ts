/** The shape of a benchmark: each chapter contributes entries (scripts/tools/bench/chN.ts), scripts/tools/bench.ts runs them all. */

export interface BenchContext {
  /** Timed repetitions per measurement; the median is reported. */
  repeats: number;
  /** A scratch directory for compiled reference programs (removed afterwards). */
  tmpDir: string;
  /** The C compiler, when the machine has one. */
  cc?: string;
  /** The master seed of the benchmark's random streams. */
  seed: string;
}

/** A figure's goal (the speed issue's): the measured value, or the TS / C ratio, at most or at least `value`. */
export interface Goal {
  of: "value" | "ratio";
  op: "≤" | "≥";
  value: number;
}

/** "≤ 20 s: met", "≥ 0.70× C: not met" (— without a goal or a measurement). */
export function goalText(r: { js: number | null; ratio?: number; unit: string; goal?: Goal }): string {
  const g = r.goal;
  if (!g) return "—";
  const x = g.of === "ratio" ? r.ratio : r.js;
  const what = g.of === "ratio" ? `${g.value.toFixed(2)}× C` : `${g.value} ${r.unit}`;
  if (x === undefined || x === null || Number.isNaN(x)) return `${g.op} ${what}: not measured`;
  const met = g.op === "≤" ? x <= g.value : x >= g.value;
  return `${g.op} ${what}: ${met ? "met" : "not met"}`;
}

export interface BenchRow {
  chapter: string;
  name: string;
  /** What `js` and `c` count, e.g. "steps/s". */
  unit: string;
  /** Median throughput of the TypeScript engine. */
  js: number;
  /** Median throughput of the same workload in C, when a compiler exists. */
  c?: number;
  /** js / c. */
  ratio?: number;
  /** Further measured facts (shown in the table's last column and in the JSON). */
  facts: Record<string, number | string>;
  /** The entry's goal, copied onto its row so that the file states what each figure is measured against. */
  goal?: Goal;
}

export interface BenchEntry {
  chapter: string;
  name: string;
  goal?: Goal;
  run(ctx: BenchContext): BenchRow | Promise<BenchRow>;
}

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
