/**
 * The reference's MDP validator (src/average-return/validate.ts) beyond what the contract asks of every
 * implementation: the state and action name lists it checks, and the closed classes behind its unichain
 * test, against hand-derived cases and against the independent tools of measure/average-return/structure.ts
 * (which the specs use in their place).
 * Unit tests of the reference, not claims of the book (spec/2-average-return/2.0-setting.spec.ts holds those).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closedClasses, validateMdp } from "../../src/average-return/validate.ts";
import type { Mdp } from "../../src/average-return/types.ts";
import { homeWork, periodic, withTransient } from "../../measure/average-return/examples.ts";
import { closedClassesOf, mdpDefects } from "../../measure/average-return/structure.ts";

/** A message that names exactly `path` (not a deeper path such as `path[0]`) at its start. */
const atPath = (path: string) => new RegExp(`^${path.replace(/[$.[\]]/g, (c) => `\\${c}`)}(?![[.\\w])`);

describe("validateMdp of the reference: names", () => {
  it("rejects bad name lists at their JSON path and keeps valid names", () => {
    const P = [
      [
        [1, 0],
        [0.5, 0.5],
      ],
      [
        [0.5, 0.5],
        [1, 0],
      ],
    ];
    const r = [
      [0, 1],
      [2, 3],
    ];
    // names are part of the Mdp type (string[] of length S and A): a wrong count or a non-string is not
    // one. The contract does not ask a student's validateMdp to check names, so these hold of the book's.
    expect(() => validateMdp({ P, r, stateNames: ["a"] })).toThrow(atPath("$.stateNames"));
    expect(() => validateMdp({ P, r, stateNames: ["a", 2] })).toThrow(atPath("$.stateNames[1]"));
    expect(() => validateMdp({ P, r, actionNames: ["x", "y", "z"] })).toThrow(atPath("$.actionNames"));
    const named = validateMdp({ P, r, stateNames: ["a", "b"], actionNames: ["x", "y"] });
    expect(named.stateNames).toEqual(["a", "b"]);
    expect(named.actionNames).toEqual(["x", "y"]);
    expect(named.r).toEqual(r);
  });
});

describe("closedClasses: the unichain test's closed classes", () => {
  it("one for homeWork and withTransient (state 2 is transient), one per absorbing state otherwise", () => {
    expect(closedClasses(homeWork)).toEqual([[0, 1]]);
    expect(closedClasses(withTransient)).toEqual([[0, 1]]);
    expect(closedClasses(periodic)).toEqual([[0, 1]]);
    const twoAbsorbing: Mdp = { P: [[[1, 0, 0]], [[0, 1, 0]], [[0.5, 0.5, 0]]], r: [[0], [0], [0]] };
    expect(closedClasses(twoAbsorbing)).toEqual([[0], [1]]);
  });

  it("agrees with Warshall's closure (measure/average-return/structure.ts) on random sparse move graphs, several classes included", () => {
    // each row of P moves to each state with chance ¼ (to its own state when it drew none): sparse rows
    // make several closed classes and transient states common
    const edge = fc.integer({ min: 0, max: 3 }).map((x) => x === 0);
    const mdpArb = fc.integer({ min: 1, max: 6 }).chain((S) =>
      fc.integer({ min: 1, max: 3 }).chain((A) =>
        fc
          .array(fc.array(fc.array(edge, { minLength: S, maxLength: S }), { minLength: A, maxLength: A }), {
            minLength: S,
            maxLength: S,
          })
          .map((edges): Mdp => ({
            P: edges.map((rows, s) =>
              rows.map((row) => {
                const to = row.some(Boolean) ? row : row.map((_, t) => t === s);
                const n = to.filter(Boolean).length;
                return to.map((e) => (e ? 1 / n : 0));
              }),
            ),
            r: edges.map((rows) => rows.map(() => 0)),
          })),
      ),
    );
    let several = 0;
    fc.assert(
      fc.property(mdpArb, (mdp) => {
        const want = closedClassesOf(mdp);
        if (want.length > 1) several++;
        expect(closedClasses(mdp)).toEqual(want);
      }),
      { seed: 20251117, numRuns: 300 },
    );
    // the comparison has power: many draws have more than one closed class
    expect(several).toBeGreaterThan(30);
  });
});

describe("mdpDefects (measure/average-return/structure.ts) against validateMdp", () => {
  it("finds a defect in every well-typed MDP the validator refuses for its shape or entries, and none in the examples", () => {
    for (const m of [homeWork, withTransient, periodic]) expect(mdpDefects(m)).toEqual([]);
    const bad: Mdp[] = [
      {
        P: [
          [
            [0.5, 0.4],
            [1, 0],
          ],
          [
            [0, 1],
            [0, 1],
          ],
        ],
        r: [
          [0, 0],
          [0, 0],
        ],
      },
      {
        P: [
          [
            [1.5, -0.5],
            [1, 0],
          ],
          [
            [0, 1],
            [0, 1],
          ],
        ],
        r: [
          [0, 0],
          [0, 0],
        ],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [[0, 1]],
        ],
        r: [
          [0, 0],
          [0, 0],
        ],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [
            [0, 1],
            [0, 1, 0],
          ],
        ],
        r: [
          [0, 0],
          [0, 0],
        ],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [
            [1, 0],
            [1, 0],
          ],
        ],
        r: [
          [0, 0],
          [0, NaN],
        ],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [
            [1, 0],
            [1, 0],
          ],
        ],
        r: [[0, 0]],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [
            [1, 0],
            [1, 0],
          ],
        ],
        r: [[0, 0], [0]],
      },
      {
        P: [
          [
            [1, 0],
            [1, 0],
          ],
          [
            [1, 0],
            [NaN, 1],
          ],
        ],
        r: [
          [0, 0],
          [0, 0],
        ],
      },
      { P: [], r: [] },
    ];
    for (const m of bad) {
      expect(() => validateMdp(m), JSON.stringify(m)).toThrow();
      expect(mdpDefects(m), JSON.stringify(m)).not.toEqual([]);
    }
    // rounding in decimal JSON is no defect: 0.1 + 0.2 + 0.7 = 1.0000000000000002
    expect(mdpDefects({ P: [[[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]]], r: [[0], [0], [0]] })).toEqual(
      [],
    );
  });
});
