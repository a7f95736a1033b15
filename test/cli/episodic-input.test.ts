/**
 * The episodic input of `pgbook exact` (scripts/cli/episodic-input.ts): a pure function from parsed JSON to
 * J, V₀, Q₀ and ∇J, with errors that name the JSON path of the bad field. A book tool (not in the contract),
 * so its tests live here rather than among the claims; its numbers are checked against hand-derived values
 * of the chapter's examples.
 */
import { describe, expect, it } from "vitest";
import {
  episodicFromJson,
  episodicReport,
  exactEpisodicJson,
  isEpisodicInput,
  withHorizon,
} from "../../scripts/cli/episodic-input.ts";
import { stopOrPlay } from "../../measure/total-return/examples.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { expectClose } from "../../measure/close.ts";

const stopOrPlayJson = () => {
  const p = stopOrPlay(4);
  return { P: p.mdp.P, r: p.mdp.r, horizon: 4, initial: [1, 0], terminal: [1] };
};

describe("pgbook exact: episodic input", () => {
  it("exactEpisodicJson(stop-or-play, T = 4, θ = 0): J = 45/32, Q₀(playing) = (29/16, 1), ∇J = ±(51/512 + …) derived by hand", () => {
    const out = exactEpisodicJson(stopOrPlayJson());
    // V_0 = ½(29/16 + 1) = 45/32 (backward induction in the chapter); "done" is terminal: zeros
    expectClose(out.J, 45 / 32, ACCURACY);
    expect(out.V0).toEqual([45 / 32, 0]);
    expect(out.Q0).toEqual([
      [29 / 16, 1],
      [0, 0],
    ]);
    expect(out.policy).toBe("tabular");
    // ∂J/∂θ_play = Σ_t 2^{−t}·π(1 − π)·(Q_t(play) − Q_t(stop)) = ¼(13/16 + ⅝·½ + ¼·¼ − ½·⅛) = ¼·(9/8) = 9/32
    expectClose(out.gradJ[0], 9 / 32, ACCURACY);
    expectClose(out.gradJ[1], -9 / 32, ACCURACY);
    expect(out.gradJ.slice(2)).toEqual([0, 0]);
    // the output is plain JSON data
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('accepts the MDP nested under "mdp", a horizon from the command line, features and θ', () => {
    const { P, r, initial, terminal } = stopOrPlayJson();
    const features = [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ];
    const out = exactEpisodicJson({ mdp: { P, r }, initial, terminal, features, theta: [0, 0] }, { horizon: 4 });
    // the 2-feature policy with θ = 0 is the uniform policy: same J as the tabular one
    expectClose(out.J, 45 / 32, ACCURACY);
    expect(out.policy).toBe("log-linear");
    expect(out.gradJ).toHaveLength(2);
    expectClose(out.gradJ[0], 9 / 32, ACCURACY);
    // --horizon overrides the file: with T = 1 only the first decision counts: J = ½·½ + ½·1 = ¾
    expectClose(exactEpisodicJson({ ...stopOrPlayJson(), horizon: 9 }, { horizon: 1 }).J, 0.75, ACCURACY);
    // the average-reward input's way of naming features, and a nested tabular θ[s][a]
    const viaPolicy = exactEpisodicJson({
      P,
      r,
      initial,
      terminal,
      horizon: 4,
      policy: { kind: "log-linear", features },
      theta: [0.5, 0],
    });
    expect(viaPolicy).toEqual(exactEpisodicJson({ P, r, initial, terminal, horizon: 4, features, theta: [0.5, 0] }));
    expect(
      exactEpisodicJson({
        ...stopOrPlayJson(),
        theta: [
          [1, 2],
          [3, 4],
        ],
      }).theta,
    ).toEqual([1, 2, 3, 4]);
    expect(() => exactEpisodicJson({ ...stopOrPlayJson(), policy: { kind: "neural" } })).toThrow(/\$\.policy: must be/);
    expect(() => exactEpisodicJson({ ...stopOrPlayJson(), policy: { kind: "log-linear" } })).toThrow(
      /\$\.policy\.features: missing/,
    );
    expect(() => exactEpisodicJson({ ...stopOrPlayJson(), policy: { kind: "log-linear", features: [[[1]]] } })).toThrow(
      /\$\.policy\.features: must have 2 rows/,
    );
    expect(isEpisodicInput({ P, r })).toBe(false);
    expect(isEpisodicInput({ P, r }, { horizon: 2 })).toBe(true);
    expect(isEpisodicInput(stopOrPlayJson())).toBe(true);
  });

  it("names the JSON path of every bad field", () => {
    const good = stopOrPlayJson();
    const bad =
      (x: unknown, o = {}) =>
      () =>
        exactEpisodicJson(x, o);
    expect(bad([1, 2])).toThrow(/\$: must be a JSON object/);
    expect(bad({ ...good, horizon: undefined })).toThrow(/\$\.horizon: missing/);
    expect(bad({ ...good, horizon: 0 })).toThrow(/\$\.horizon: must be a positive integer/);
    expect(bad(good, { horizon: 1.5 })).toThrow(/--horizon: must be a positive integer/);
    expect(bad({ ...good, initial: undefined })).toThrow(/\$\.initial: missing/);
    expect(bad({ ...good, initial: [0.5, 0.4] })).toThrow(/\$\.initial: must sum to 1/);
    expect(bad({ ...good, initial: [1, -0].concat([0]) })).toThrow(/\$\.initial: must have 2 entries/);
    expect(
      bad({
        ...good,
        P: [
          [
            [1, 0],
            [0.5, 0.6],
          ],
          good.P[1],
        ],
      }),
    ).toThrow(/\$\.P\[0\]\[1\]: must sum to 1/);
    expect(
      bad({
        mdp: {
          P: [
            [
              [1, 0],
              [0, 1],
            ],
            [
              [0, 1],
              [0, "x"],
            ],
          ],
          r: good.r,
        },
        initial: [1, 0],
        horizon: 2,
      }),
    ).toThrow(/\$\.mdp\.P\[1\]\[1\]\[1\]: must be a finite non-negative number/);
    expect(bad({ ...good, P: [] })).toThrow(/\$\.P: must be a non-empty array/);
    expect(bad({ ...good, r: [[0.5, 1]] })).toThrow(/\$\.r: must have 2 rows/);
    expect(
      bad({
        ...good,
        r: [
          [0.5, 1],
          [0, null],
        ],
      }),
    ).toThrow(/\$\.r\[1\]\[1\]: must be a finite number/);
    expect(bad({ ...good, terminal: [2] })).toThrow(/\$\.terminal\[0\]: must be a state index in 0\.\.1/);
    expect(bad({ ...good, terminal: 1 })).toThrow(/\$\.terminal: must be an array/);
    expect(bad({ ...good, features: [[[1], [0]]] })).toThrow(/\$\.features: must have 2 rows/);
    expect(
      bad({
        ...good,
        features: [
          [[1], [0, 1]],
          [[0], [0]],
        ],
      }),
    ).toThrow(/\$\.features\[0\]\[1\]: must have 1 entries/);
    expect(
      bad({
        ...good,
        features: [
          [[1], [NaN]],
          [[0], [0]],
        ],
      }),
    ).toThrow(/\$\.features\[0\]\[1\]: entries must be finite/);
    expect(bad({ ...good, theta: [0, 0] })).toThrow(/\$\.theta: must be an array of 4 numbers/);
    expect(bad({ ...good, theta: [0, 0, 0, "a"] })).toThrow(/\$\.theta\[3\]: must be a finite number/);
  });

  it("episodicReport: θ from a --theta file (array or {theta}) overrides the input's, with errors naming theta:$", () => {
    const good = stopOrPlayJson();
    const a = episodicReport({ ...good, theta: [5, 5, 5, 5] }, [0, 0, 0, 0]);
    expectClose(a.J, 45 / 32, ACCURACY);
    expectClose(episodicReport(good, { theta: [0, 0, 0, 0] }).J, 45 / 32, ACCURACY);
    expectClose(episodicReport(good).J, 45 / 32, ACCURACY);
    expectClose(episodicReport(good, undefined, 1).J, 0.75, ACCURACY);
    expect(() => episodicReport(good, [0, 0])).toThrow(/theta:\$: must be an array of 4 numbers/);
    expect(() => episodicReport("x", [0])).toThrow(/\$: must be a JSON object/);
  });

  it("withHorizon: --horizon sets the input's horizon, or names --horizon in its error", () => {
    const { P, r } = stopOrPlayJson();
    expect(withHorizon({ P, r, initial: [1, 0] }, "3")).toEqual({ P, r, initial: [1, 0], horizon: 3 });
    expectClose(exactEpisodicJson(withHorizon({ ...stopOrPlayJson(), horizon: 9 }, "1")).J, 0.75, ACCURACY);
    expect(() => withHorizon({ P, r }, "0")).toThrow(/--horizon: must be a positive integer, got "0"/);
    expect(() => withHorizon({ P, r }, "2.5")).toThrow(/--horizon: must be a positive integer/);
    expect(withHorizon([1], "2")).toEqual([1]);
  });

  it("episodicFromJson, episodicReport and withHorizon: the input's fields, a nested or flat θ, θ from --theta, --horizon, each error at its path", () => {
    const base = {
      P: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0, 1],
          [1, 0],
        ],
      ],
      r: [
        [1, 0],
        [0, 2],
      ],
      horizon: 2,
      initial: [1, 0],
    };
    expect([
      isEpisodicInput(null),
      isEpisodicInput(5),
      isEpisodicInput({}),
      isEpisodicInput({ horizon: 3 }),
      isEpisodicInput(null, { horizon: 2 }),
    ]).toEqual([false, false, false, true, true]);
    const ok = episodicFromJson(base);
    expect(ok.problem.horizon).toBe(2);
    expect(Array.from(ok.theta)).toEqual([0, 0, 0, 0]);
    const fails = (input: unknown, msg: RegExp, o = {}) => expect(() => episodicFromJson(input, o)).toThrow(msg);
    fails([1], /^\$: must be a JSON object/);
    fails({ ...base, horizon: undefined }, /^\$\.horizon: missing/);
    fails({ ...base, initial: undefined }, /^\$\.initial: missing/);
    for (const policy of [5, null, { kind: "other" }]) fails({ ...base, policy }, /^\$\.policy: must be/);
    expect(episodicFromJson({ ...base, policy: { kind: "tabular" } }).theta).toHaveLength(4);
    fails({ ...base, policy: { kind: "log-linear" } }, /^\$\.policy\.features: missing/);
    expect(
      episodicFromJson({
        ...base,
        policy: {
          kind: "log-linear",
          features: [
            [[1], [0]],
            [[0], [1]],
          ],
        },
      }).theta,
    ).toHaveLength(1);
    fails({ ...base, horizon: 0 }, /^--horizon:/, { horizon: 0 });
    // θ nested per state (tabular) is read row by row; a mixed list is not a table
    expect(
      Array.from(
        episodicFromJson({
          ...base,
          theta: [
            [1, 2],
            [3, 4],
          ],
        }).theta,
      ),
    ).toEqual([1, 2, 3, 4]);
    expect(Array.from(episodicFromJson({ ...base, theta: [1, 2, 3, 4] }).theta)).toEqual([1, 2, 3, 4]);
    fails({ ...base, theta: [[0, 0], 0, 0] }, /^\$\.theta: must be an array of 4 numbers/);
    fails({ ...base, theta: [NaN, 0, 0, 0] }, /^\$\.theta\[0\]: must be a finite number/);
    fails({ ...base, theta: [0, 0, "1", 0] }, /^\$\.theta\[2\]: must be a finite number/);
    // --theta overrides the input's θ, as an array or as {"theta": …}; its errors are named theta:$
    const J = (theta: number[]) => exactEpisodicJson({ ...base, theta }).J;
    expectClose(
      episodicReport({ ...base, theta: [9, 9, 9, 9] }, [1, 0, 0, 0]).J,
      J([1, 0, 0, 0]),
      ACCURACY,
      "J with --theta",
    );
    expectClose(
      episodicReport({ ...base, theta: [9, 9, 9, 9] }, { theta: [0, 1, 0, 0] }).J,
      J([0, 1, 0, 0]),
      ACCURACY,
      "J with --theta {theta}",
    );
    expect(() => episodicReport(base, 5)).toThrow(/^theta:\$/);
    expect(() => episodicReport(null, [0, 0, 0, 0])).toThrow(/^\$: must be a JSON object/);
    // --horizon: only a plain positive integer; it overrides the input's horizon, also with --theta
    expect(episodicReport(base, [0, 0, 0, 0], 3).horizon).toBe(3);
    expect(episodicReport(base, undefined, 3).horizon).toBe(3);
    expect(withHorizon(base, " 12 ")).toEqual({ ...base, horizon: 12 });
    for (const bad of ["3x", "x3", "3.5", "0", "-1", ""]) expect(() => withHorizon(base, bad)).toThrow(/^--horizon:/);
    expect(withHorizon([1, 2], "3")).toEqual([1, 2]);
    expect(withHorizon(null, "3")).toBeNull();
  });
});
