/**
 * The reference's direct solve (src/core/linalg.ts), behind d, λ and Q in Chapter 2: partial pivoting in
 * every column, and a singular or negligible pivot (≤ 1e-13 of the largest entry, or of 1) refused. Moved
 * out of spec/2-average-return (it was "[eq 20] the direct solve behind d, λ and Q …"): a unit test of a
 * reference primitive, not a claim of the book.
 */
import { describe, expect, it } from "vitest";
import { solve } from "../../src/core/linalg.ts";
import { stream } from "../../src/contract/random.ts";
import { solveLinear } from "../../measure/linear-solve.ts";

describe("solve: Gaussian elimination with partial pivoting", () => {
  it("pivots in every column, and refuses a singular or negligible pivot (≤ 1e-13 of the largest entry, or of 1)", () => {
    const residual = (A: number[][], x: ArrayLike<number>, b: number[]) =>
      Math.max(...A.map((row, i) => Math.abs(row.reduce((s, a, j) => s + a * x[j], 0) - b[i])));
    const run = (A: number[][], b: number[]) => solve(Float64Array.from(A.flat()), Float64Array.from(b), b.length);
    // zero or tiny diagonal entries: without pivoting (in column 0, then in column 1) these fail
    const cases: [number[][], number[], number[]][] = [
      [
        [
          [1e-20, 1],
          [1, 1],
        ],
        [1, 2],
        [1, 1],
      ],
      [
        [
          [1, 0, 0],
          [0, 1e-20, 1],
          [0, 1, 1],
        ],
        [1, 1, 2],
        [1, 1, 1],
      ],
      [
        [
          [1, 0, 0],
          [0, 0, 1],
          [0, 1, 0],
        ],
        [1, 2, 3],
        [1, 3, 2],
      ],
      [
        [
          [0, 0, 2, 0],
          [0, 3, 0, 0],
          [0, 0, 0, 4],
          [5, 0, 0, 0],
        ],
        [2, 3, 4, 5],
        [1, 1, 1, 1],
      ],
    ];
    for (const [A, b, x] of cases) {
      const got = run(A, b);
      for (let i = 0; i < x.length; i++) expect(got[i]).toBeCloseTo(x[i], 12);
      expect(residual(A, got, b)).toBeLessThan(1e-12);
    }
    expect(() =>
      run(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 1],
      ),
    ).toThrow(RangeError);
    expect(() =>
      run(
        [
          [1, 0],
          [0, 0],
        ],
        [1, 1],
      ),
    ).toThrow(RangeError);
    expect(() =>
      run(
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 1, 0],
        ],
        [1, 1, 1],
      ),
    ).toThrow(RangeError);
    // relative to the scale: 1e-8 beside 1e6 is a negligible pivot, though far above 1e-13 in absolute terms
    expect(() =>
      run(
        [
          [1e-8, 0],
          [0, 1e6],
        ],
        [1, 1],
      ),
    ).toThrow(RangeError);
    expect(() =>
      run(
        [
          [1e6, 0],
          [0, 1e-8],
        ],
        [1, 1],
      ),
    ).toThrow(RangeError);
    // at scale ≤ 1 the threshold is 1e-13 itself: a pivot of exactly 1e-13 is refused, 2e-13 is not
    expect(() => run([[1e-13]], [1])).toThrow(RangeError);
    expect(run([[2e-13]], [1])[0]).toBeCloseTo(5e12, 0);
  });
});

describe("solve against an independent solver (mathjs lusolve, measure/linear-solve.ts)", () => {
  /** A random n×n system with entries of magnitude 10^[-3, 3], made non-singular by a dominant diagonal. */
  const system = (rng: () => number, n: number): { A: number[][]; b: number[] } => {
    const mag = () => (rng() < 0.5 ? -1 : 1) * 10 ** (6 * rng() - 3);
    const A = Array.from({ length: n }, () => Array.from({ length: n }, mag));
    for (let i = 0; i < n; i++) A[i][i] = (A[i][i] < 0 ? -1 : 1) * (1 + A[i].reduce((s, x) => s + Math.abs(x), 0));
    return { A, b: Array.from({ length: n }, mag) };
  };
  const relErr = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < x.length; i++) {
      num = Math.max(num, Math.abs(x[i] - y[i]));
      den = Math.max(den, Math.abs(y[i]));
    }
    return num / Math.max(den, 1e-300);
  };
  const draws = (seed: string): (() => number) => stream(seed);

  it("agrees to 1e-9 (relative, max-norm) on 200 random systems of sizes 1–12, entries spanning six decades", () => {
    const rng = draws("linalg-vs-mathjs");
    for (let k = 0; k < 200; k++) {
      const n = 1 + Math.floor(rng() * 12);
      const { A, b } = system(rng, n);
      const ours = solve(Float64Array.from(A.flat()), Float64Array.from(b), n);
      expect(relErr(ours, solveLinear(A, b)), `system ${k} (n = ${n})`).toBeLessThan(1e-9);
    }
  });

  it("negative control: a solver that skips the last back-substitution update disagrees with mathjs", () => {
    const rng = draws("linalg-vs-mathjs-control");
    let caught = 0;
    for (let k = 0; k < 50; k++) {
      const n = 2 + Math.floor(rng() * 10);
      const { A, b } = system(rng, n);
      const x = solve(Float64Array.from(A.flat()), Float64Array.from(b), n);
      // a wrong answer: x₀ recomputed without the contribution of x_{n−1}
      const wrong = Float64Array.from(x);
      wrong[0] = (b[0] - A[0].slice(1, n - 1).reduce((s, a, j) => s + a * x[j + 1], 0)) / A[0][0];
      if (relErr(wrong, solveLinear(A, b)) > 1e-9) caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(45);
  });
});
