/**
 * The reference's check of a finite-horizon problem (src/total-return/problem.ts): problemErrors names each
 * malformed field at its JSON path, and validateProblem throws them all. A unit test of the reference's
 * validator, not a claim of the book (the contract does not ask an implementation for these messages).
 */
import { describe, expect, it } from "vitest";
import { problemErrors, validateProblem } from "../../src/total-return/problem.ts";
import type { EpisodicProblem } from "../../src/total-return/types.ts";

describe("the finite-horizon problem as data: every malformed field is named", () => {
  it("problemErrors lists each bad field of a problem (T, initial distribution, terminal states, features) at its JSON path; validateProblem throws them all", () => {
    const good = (): EpisodicProblem => ({
      mdp: {
        P: [
          [
            [0.5, 0.5, 0],
            [0, 0, 1],
          ],
          [
            [0, 1, 0],
            [1, 0, 0],
          ],
          [
            [0, 0, 1],
            [0, 0, 1],
          ],
        ],
        r: [
          [1, 0],
          [0, 2],
          [0, 0],
        ],
      },
      horizon: 3,
      initial: [0.5, 0.5, 0],
      terminal: [0, 2],
      features: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 1],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ],
    });
    expect(problemErrors(good())).toEqual([]);
    const { terminal: _t, features: _f, ...bare } = good();
    expect(problemErrors(bare as EpisodicProblem)).toEqual([]);
    expect(validateProblem(bare as EpisodicProblem)).toBe(bare);
    const errorsOf = (edit: (p: EpisodicProblem & Record<string, unknown>) => void) => {
      const p = good() as EpisodicProblem & Record<string, unknown>;
      edit(p);
      return problemErrors(p);
    };
    const only = (edit: (p: EpisodicProblem & Record<string, unknown>) => void, path: string) => {
      const errs = errorsOf(edit);
      expect(errs, path).toHaveLength(1);
      expect(errs[0].startsWith(path), `${errs[0]} should start with ${path}`).toBe(true);
    };
    only((p) => (p.mdp.P = []), "$.mdp.P:");
    only((p) => (p.mdp.P[1] = [[0, 1, 0]]), "$.mdp.P[1]:");
    only((p) => (p.mdp.P[0][1] = [NaN, 0, 1]), "$.mdp.P[0][1][0]:");
    only((p) => (p.mdp.P[0][1] = [1.5, -0.5, 0]), "$.mdp.P[0][1][1]:");
    // rows may miss 1 by up to 1e-9 per entry (here 3e-9 for 3 states): 2e-9 is rounding, 1e-6 is not
    expect(errorsOf((p) => (p.mdp.P[0][1] = [0, 0, 1 + 2e-9]))).toEqual([]);
    only((p) => (p.mdp.P[0][1] = [0, 0, 1 + 1e-6]), "$.mdp.P[0][1]: must sum to 1");
    only((p) => (p.mdp.r[1] = [0]), "$.mdp.r[1]:");
    only((p) => (p.mdp.r[0][1] = NaN), "$.mdp.r[0][1]:");
    only((p) => (p.initial = [0.5, -0.5, 1]), "$.initial[1]:");
    only((p) => ((p as Record<string, unknown>).initial = 7), "$.initial: must be an array");
    only((p) => (p.horizon = 0), "$.horizon:");
    only((p) => (p.terminal = [1.5]), "$.terminal[0]:");
    only((p) => (p.terminal = [-1]), "$.terminal[0]:");
    only((p) => (p.terminal = [3]), "$.terminal[0]:");
    expect(errorsOf((p) => (p.terminal = [0]))).toEqual([]);
    only(
      (p) =>
        (p.features = [
          [[], []],
          [[], []],
          [[], []],
        ]),
      "$.features[0][0]:",
    );
    only((p) => (p.features![1] = [[1, 1]]), "$.features[1]:");
    only((p) => (p.features![0][1] = [0, NaN]), "$.features[0][1]:");
    only((p) => (p.features![2][0] = [0]), "$.features[2][0]:");
    expect(() => validateProblem({ ...good(), horizon: 0, initial: [1, 1, 0] })).toThrow(
      /\$\.horizon[\s\S]*\$\.initial/,
    );
  });
});
