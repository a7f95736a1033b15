/**
 * Chapter 2, §2.0 "The setting" (notes §2): unichain MDPs as plain data, refused with the JSON path of what
 * is wrong, and the random instances every property of the chapter runs on.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impl } from "../support/impl.ts";
import { claim } from "../support/claim.ts";
import { checkProperty } from "../support/property.ts";
import {
  homeWork,
  periodic,
  randomFeatures,
  randomUnichainMdp,
  withTransient,
} from "../../measure/average-return/examples.ts";
import { APERIODIC_KINDS, CHAIN_KINDS, unichainMdp, type ChainKind } from "../../measure/arbitraries/mdp.ts";
import { closedClassesOf, mdpDefects, periodOf } from "../../measure/average-return/structure.ts";
import { stream } from "../../src/contract/random.ts";

/** A message that names exactly `path` (not a deeper path such as `path[0]`) at its start. */
const atPath = (path: string) => new RegExp(`^${path.replace(/[$.[\]]/g, (c) => `\\${c}`)}(?![[.\\w])`);

describe("2.0 The setting: unichain MDPs as data", () => {
  it("[sec 2] validateMdp accepts the examples and names the JSON path of each kind of bad input", (ctx) => {
    claim(ctx, "exact", { implements: ["validateMdp"] });
    for (const m of [homeWork, withTransient, periodic])
      expect(impl.validateMdp(JSON.parse(JSON.stringify(m))).P).toEqual(m.P);
    const bad: [unknown, RegExp][] = [
      [[1, 2], /^\$: expected an object/],
      [{ r: [[0]] }, /^\$: missing field "P"/],
      [{ P: [[[1]]] }, /^\$: missing field "r"/],
      [
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
        /^\$\.P\[0\]\[0\]: probabilities sum to 0\.9/,
      ],
      [
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
        /^\$\.P\[0\]\[0\]\[1\]: negative probability/,
      ],
      [
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
        /^\$\.P\[1\]: expected 2 entries, got 1/,
      ],
      [
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
        /^\$\.P\[1\]\[1\]: expected 2 entries, got 3/,
      ],
      [
        {
          P: [
            [
              [1, 0],
              [1, 0],
            ],
            [
              [0, 1],
              [0, "1"],
            ],
          ],
          r: [
            [0, 0],
            [0, 0],
          ],
        },
        /^\$\.P\[1\]\[1\]\[1\]: expected a finite number/,
      ],
      [
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
            [0, null],
          ],
        },
        /^\$\.r\[1\]\[1\]: expected a finite number, got null/,
      ],
      [
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
        /^\$\.r: expected 2 entries/,
      ],
      // two absorbing states: two closed classes under every policy
      [
        {
          P: [
            [
              [1, 0],
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
        /^\$\.P: not unichain/,
      ],
    ];
    for (const [input, msg] of bad) expect(() => impl.validateMdp(input)).toThrow(msg);
    // rounding in decimal JSON is tolerated: 0.1 + 0.2 + 0.7 = 1.0000000000000002
    expect(() =>
      impl.validateMdp({ P: [[[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7]]], r: [[0], [0], [0]] }),
    ).not.toThrow();
  });

  it("[sec 2] validateMdp rejects non-objects, a non-array or empty P, an action-less state and non-numbers in r at their JSON path", (ctx) => {
    claim(ctx, "exact", { implements: ["validateMdp"] });
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
    for (const x of [null, 42, "an MDP", true]) expect(() => impl.validateMdp(x)).toThrow(atPath("$"));
    for (const bad of [7, "abc", {}]) expect(() => impl.validateMdp({ P: bad, r })).toThrow(atPath("$.P"));
    expect(() => impl.validateMdp({ P: [], r: [] })).toThrow(atPath("$.P"));
    // one state with no action at all: not an MDP
    expect(() => impl.validateMdp({ P: [[]], r: [[]] })).toThrow(/^\$\.P/);
    expect(() =>
      impl.validateMdp({
        P,
        r: [
          [0, 1],
          [NaN, 3],
        ],
      }),
    ).toThrow(atPath("$.r[1][0]"));
    expect(() =>
      impl.validateMdp({
        P,
        r: [
          [0, "1"],
          [2, 3],
        ],
      }),
    ).toThrow(atPath("$.r[0][1]"));
  });
});

describe("2.0 The random instances behind the properties", () => {
  it("[sec 2] the book's random MDPs: valid and unichain; mixing ones aperiodic, periodic ones of period ≥ 2, transient ones with states outside the closed class, slow ones with moves of probability ≤ ε closing a bottleneck or a cycle; each kind about a quarter of the draws", (ctx) => {
    const counts: Record<ChainKind, number> = { mixing: 0, periodic: 0, transient: 0, slow: 0 };
    checkProperty(
      ctx,
      fc.property(unichainMdp(), (m) => {
        counts[m.kind]++;
        const { mdp, S } = m;
        // valid: the shapes and entries an MDP needs (measure/average-return/structure.ts, not the validator under test)
        expect(mdpDefects(mdp), m.label).toEqual([]);
        for (const rs of mdp.r) for (const x of rs) expect(Math.abs(x)).toBeLessThanOrEqual(3);
        const classes = closedClassesOf(mdp);
        expect(classes).toHaveLength(1);
        expect(classes[0]).toEqual(m.transient.flatMap((t, s) => (t ? [] : [s])));
        const p = periodOf(mdp, classes[0][0]);
        if (m.kind === "periodic") expect(p, m.label).toBeGreaterThanOrEqual(2);
        else expect(p, m.label).toBe(1);
        expect(m.transient.some((t) => t)).toBe(m.kind === "transient");
        if (m.kind === "slow") {
          expect(m.epsilon).toBeGreaterThanOrEqual(1e-4);
          expect(m.epsilon).toBeLessThanOrEqual(1e-2);
          // a bottleneck: some nonempty proper set of states that every move leaves with probability ≤ ε;
          // or a cycle: every row's largest entry is ≥ 1 − ε
          const nearlyPeriodic = mdp.P.every((Ps) => Ps.every((row) => Math.max(...row) >= 1 - m.epsilon));
          let bottleneck = false;
          for (let mask = 1; mask < 2 ** S - 1; mask++) {
            const inSet = (s: number) => ((mask >> s) & 1) === 1;
            if (
              mdp.P.every((Ps, s) =>
                Ps.every(
                  (row) => row.reduce((acc, x, t) => acc + (inSet(s) !== inSet(t) ? x : 0), 0) <= m.epsilon + 1e-15,
                ),
              )
            )
              bottleneck = true;
          }
          expect(nearlyPeriodic || bottleneck, m.label).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    claim(ctx, "property", { facts: counts });
    // each kind drawn with probability ¼: fewer than 50 of 400 is 7 standard deviations below the mean
    for (const k of CHAIN_KINDS) expect(counts[k], k).toBeGreaterThanOrEqual(50);
    expect(APERIODIC_KINDS).not.toContain("periodic");
  });

  it("[sec 2] randomUnichainMdp: rows are distributions with at least `floor` on state 0, so every policy is unichain and aperiodic; sparsity 1 leaves only state 0, sparsity 0 no zero", (ctx) => {
    checkProperty(
      ctx,
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.05, 0.3),
        (S, A, seed, floor) => {
          const mdp = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor);
          expect(mdp.P.length).toBe(S);
          expect(mdp.r.length).toBe(S);
          for (let s = 0; s < S; s++) {
            expect(mdp.P[s].length).toBe(A);
            expect(mdp.r[s].length).toBe(A);
            for (let a = 0; a < A; a++) {
              const row = mdp.P[s][a];
              expect(row.length).toBe(S);
              expect(Math.abs(row.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-12);
              expect(row[0]).toBeGreaterThanOrEqual(floor - 1e-15);
              for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
              expect(mdp.r[s][a]).toBeGreaterThanOrEqual(0);
              expect(mdp.r[s][a]).toBeLessThan(1);
            }
          }
          expect(closedClassesOf(mdp)).toHaveLength(1);
          const only0 = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor, 1);
          for (const Ps of only0.P)
            for (const row of Ps) expect(row).toEqual(Array.from({ length: S }, (_, t) => (t === 0 ? 1 : 0)));
          const dense = randomUnichainMdp(stream(`ch2-examples/${seed}`), S, A, floor, 0);
          for (const Ps of dense.P) for (const row of Ps) for (const p of row) expect(p).toBeGreaterThan(0);
          const F = randomFeatures(stream(`ch2-features/${seed}`), S, A, 3);
          expect(F.length).toBe(S);
          for (const Fs of F) {
            expect(Fs.length).toBe(A);
            for (const f of Fs) {
              expect(f.length).toBe(3);
              for (const x of f) expect(Math.abs(x)).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
