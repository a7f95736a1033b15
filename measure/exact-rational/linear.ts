/**
 * Linear algebra over exact rationals: Gauss–Jordan elimination on mathjs Fractions. The book's own
 * routine rather than mathjs's `lusolve` (which also accepts Fraction matrices and is used by the unit
 * tests as an independent check of this one), so that a singular system is named by the column that
 * has no pivot, and nothing in the arithmetic can round.
 */
import { ONE, ZERO, type Rational } from "./rational.ts";

export type RationalMatrix = Rational[][];

/** Thrown when a system has no unique solution. */
export class SingularError extends Error {
  override name = "SingularError";
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

function checkSquare(A: RationalMatrix, what: string): number {
  const n = A.length;
  A.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`${what}: row ${i} has ${row.length} entries, expected ${n}`);
  });
  return n;
}

/**
 * Reduce [A | B] in place until A is the identity (pivot: the first row at or below the diagonal with a
 * non-zero entry; exact arithmetic needs no size-based choice). Throws SingularError naming the column.
 */
function gaussJordan(A: RationalMatrix, B: RationalMatrix, what: string): void {
  const n = A.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    while (p < n && A[p][c].equals(ZERO)) p++;
    if (p === n) throw new SingularError(c, `${what}: the matrix is singular (no pivot in column ${c})`);
    [A[c], A[p]] = [A[p], A[c]];
    [B[c], B[p]] = [B[p], B[c]];
    const inv = ONE.div(A[c][c]);
    A[c] = A[c].map((x) => x.mul(inv));
    B[c] = B[c].map((x) => x.mul(inv));
    for (let i = 0; i < n; i++) {
      if (i === c || A[i][c].equals(ZERO)) continue;
      const f = A[i][c];
      A[i] = A[i].map((x, j) => x.sub(f.mul(A[c][j])));
      B[i] = B[i].map((x, j) => x.sub(f.mul(B[c][j])));
    }
  }
}

/** The unique x with A x = b (A square), exactly; throws SingularError when there is none or many. */
export function solveExact(A: RationalMatrix, b: readonly Rational[]): Rational[] {
  const n = checkSquare(A, "solveExact");
  if (b.length !== n) throw new RangeError(`solveExact: A has ${n} rows, b has ${b.length} entries`);
  const M = A.map((row) => [...row]);
  const B = b.map((x) => [x]);
  gaussJordan(M, B, "solveExact");
  return B.map((row) => row[0]);
}

/** A⁻¹ exactly (A square); throws SingularError for a singular A. */
export function inverseExact(A: RationalMatrix): RationalMatrix {
  const n = checkSquare(A, "inverseExact");
  const M = A.map((row) => [...row]);
  const B = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? ONE : ZERO)));
  gaussJordan(M, B, "inverseExact");
  return B;
}

/** ‖A‖∞ = maxᵢ Σⱼ |Aᵢⱼ|, the largest absolute row sum. */
export function normInf(A: RationalMatrix): Rational {
  let m = ZERO;
  for (const row of A) {
    const s = row.reduce((acc, x) => acc.add(x.abs()), ZERO);
    if (s.compare(m) > 0) m = s;
  }
  return m;
}

/** A x for a matrix and a vector of matching sizes. */
export function matVec(A: RationalMatrix, x: readonly Rational[]): Rational[] {
  return A.map((row, i) => {
    if (row.length !== x.length) throw new RangeError(`matVec: row ${i} has ${row.length} entries, x has ${x.length}`);
    return row.reduce((acc, a, j) => acc.add(a.mul(x[j])), ZERO);
  });
}
