/**
 * The reference's validateMdp reports each defect once, at its own JSON path, and nothing that only
 * follows from it: a row with a bad entry gets no sum complaint, a missing or malformed P no complaints
 * about the shape it would have had. Paths only (the wording after them is not the contract's).
 */
import { describe, expect, it } from "vitest";
import { validateMdp } from "../../src/average-return/validate.ts";
import { InputError } from "../../src/core/problems.ts";

/** The paths of the problems validateMdp reports for `input`, in order. */
function paths(input: unknown): string[] {
  try {
    validateMdp(input);
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => p.path);
    throw e;
  }
  return [];
}

const r2 = [
  [0, 1],
  [2, 3],
];

describe("validateMdp: one problem per defect, at its path", () => {
  it("a missing field: that field only", () => {
    expect(paths({ r: r2 })).toEqual(["$"]);
    expect(paths({ P: [[[1]]] })).toEqual(["$"]);
  });

  it("P that is not an array, empty, or whose first state is not an array: that place only", () => {
    expect(paths({ P: 5, r: r2 })).toEqual(["$.P"]);
    expect(paths({ P: [], r: [] })).toEqual(["$.P"]);
    expect(paths({ P: [5], r: [[0]] })).toEqual(["$.P[0]"]);
    expect(paths({ P: [[]], r: [[]] })).toEqual(["$.P[0]"]);
  });

  it("a bad entry of a row: the entry, with no complaint about the row's sum", () => {
    const P = [
      [
        [1, 0],
        ["x", 1],
      ],
      [
        [0.5, 0.5],
        [-0.5, 1.5],
      ],
    ];
    expect(paths({ P, r: r2 })).toEqual(["$.P[0][1][0]", "$.P[1][1][0]"]);
  });

  it("r that is not an array, or a row of r that is not one: that place only", () => {
    const P = [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ];
    expect(paths({ P, r: 7 })).toEqual(["$.r"]);
    expect(paths({ P, r: [[0, 1], 7] })).toEqual(["$.r[1]"]);
    expect(
      paths({
        P: [
          [
            [1, 0],
            [0, 1],
          ],
          7,
        ],
        r: r2,
      }),
    ).toEqual(["$.P[1]"]);
    expect(
      paths({
        P: [
          [[1, 0], 7],
          [
            [1, 0],
            [0, 1],
          ],
        ],
        r: r2,
      }),
    ).toEqual(["$.P[0][1]"]);
  });
});
