/**
 * An independent linear solver for the checks: mathjs's LU decomposition (`lusolve`), not the
 * reference's own elimination (src/core/linalg.ts), so that a claim whose oracle solves a linear
 * system does not share that code with the implementation it judges.
 */
import { lup, lusolve } from "mathjs";

/** Solve A x = b for a square, non-singular A given as rows; throws on a shape mismatch or a singular A. */
export function solveLinear(A: ArrayLike<ArrayLike<number>>, b: ArrayLike<number>): Float64Array {
  const n = b.length;
  if (A.length !== n) throw new Error(`solveLinear: A has ${A.length} rows, b has ${n} entries`);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (A[i].length !== n) throw new Error(`solveLinear: row ${i} of A has ${A[i].length} entries, expected ${n}`);
    rows.push(Array.from(A[i]));
  }
  const scale = Math.max(1, ...rows.map((r) => Math.max(...r.map(Math.abs))));
  const f = lup(rows);
  const U = f.U as number[][];
  for (let i = 0; i < n; i++)
    if (!(Math.abs(U[i][i]) > 1e-13 * scale)) throw new Error(`solveLinear: A is singular (pivot ${i} is ${U[i][i]})`);
  const x = lusolve(f, Array.from(b)).valueOf() as number[][]; // a DenseMatrix when given a factorization
  return Float64Array.from(x, (r) => r[0]);
}
