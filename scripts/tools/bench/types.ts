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
}

export interface BenchEntry {
  chapter: string;
  name: string;
  run(ctx: BenchContext): BenchRow | Promise<BenchRow>;
}

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
