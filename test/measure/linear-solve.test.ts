/**
 * measure/linear-solve.ts, the checks' independent solver (mathjs LU): a solution worked out by hand,
 * and its refusals — shapes that do not match, and pivots that are zero or negligible at the scale of A.
 */
import { describe, expect, it } from "vitest";
import { solveLinear } from "../../measure/linear-solve.ts";

describe("solveLinear(A, b)", () => {
  it("solves [[2, 1], [1, 3]] x = (3, 5): x = (4/5, 7/5)", () => {
    const x = solveLinear(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );
    expect(x[0]).toBeCloseTo(0.8, 15);
    expect(x[1]).toBeCloseTo(1.4, 15);
  });

  it("refuses A and b of different sizes, and a ragged A, naming the row", () => {
    expect(() => solveLinear([[1, 0]], [1, 2])).toThrow("A has 1 rows, b has 2 entries");
    expect(() => solveLinear([[1, 0], [0]], [1, 2])).toThrow("row 1 of A has 1 entries, expected 2");
  });

  it("refuses a singular A: [[1, 2], [2, 4]] eliminates to a pivot of exactly 0", () => {
    expect(() =>
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow(/A is singular \(pivot 1 is 0\)/);
  });

  it("refuses a pivot below 1e-13 of A's largest entry, and accepts one above it", () => {
    // scale 1e6: the threshold is 1e-7, so a pivot of 1e-8 is negligible and one of 1e-6 is not
    const diag = (p: number) => [
      [1e6, 0],
      [0, p],
    ];
    expect(() => solveLinear(diag(1e-8), [1, 1])).toThrow(/A is singular \(pivot 1 is 1e-8\)/);
    expect(solveLinear(diag(1e-6), [1, 1e-6])[1]).toBeCloseTo(1, 12);
  });
});
