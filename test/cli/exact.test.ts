/** Tooling tests of `pgbook exact`: output on the README's example, and one-line errors naming the JSON path. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, inputFolder, root, run } from "./exact-harness.ts";

const example = path.join(root, "examples/mdp/home-work.json");
const { dir, file } = inputFolder("pgbook-exact-");

/** The fields of `pgbook exact`'s JSON answer (an average-reward problem) that these tests read. */
interface ExactAnswer {
  lambda: number;
  d: number[];
  mu: number[][];
  reference: { V: number[] };
  bias: { V: number[] };
  /** ∇λ per state and action for a tabular policy; a flat vector for a log-linear one (only its length is read). */
  gradient: number[][];
  policy: string;
}
const answer = (stdout: string) => JSON.parse(stdout) as ExactAnswer;

describe("pgbook exact", () => {
  it("prints λ, d, μ, V and Q in both normalizations and ∇λ for the README example at θ = 0", () => {
    const r = run([example]);
    expect(r.code).toBe(0);
    const j = answer(r.out);
    // hand-derived in measure/average-return/examples.ts and spec 2.1: λ = 11/34, d = (12/17, 5/17) at the uniform policy
    expect(j.lambda).toBeCloseTo(11 / 34, 12);
    expect(j.d[0]).toBeCloseTo(12 / 17, 12);
    expect(j.mu[1][0]).toBeCloseTo(5 / 34, 12);
    expect(j.reference.V[0]).toBe(0);
    expect(j.d[0] * j.bias.V[0] + j.d[1] * j.bias.V[1]).toBeCloseTo(0, 12);
    expect(j.gradient).toHaveLength(2);
    expect(j.gradient[0][0] + j.gradient[0][1]).toBeCloseTo(0, 12);
  });

  it("reads θ as nested, flat or {theta: …}, and log-linear policies from the input's policy field", () => {
    const nested = answer(run([example, "--theta", path.join(root, "examples/mdp/home-work-theta.json")]).out);
    const flat = answer(run([example, "--theta", file("flat.json", [0, 1, 2, 0])]).out);
    expect(flat.lambda).toBe(nested.lambda);
    const ll = answer(
      run([path.join(root, "examples/mdp/home-work-loglinear.json"), "--theta", file("ll.json", [0.4, -0.7])]).out,
    );
    expect(ll.policy).toBe("log-linear");
    expect(ll.gradient).toHaveLength(2);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not JSON", "{ P: ", /^pgbook exact: .*not valid JSON/],
    [
      "row not summing to 1",
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
      /^pgbook exact: \$\.P\[0\]\[0\]: probabilities sum to 0\.9/,
    ],
    ["not unichain", { P: [[[1, 0]], [[0, 1]]], r: [[0], [0]] }, /^pgbook exact: \$\.P: not unichain/],
    ["bad reward", { P: [[[1]]], r: [["a"]] }, /^pgbook exact: \$\.r\[0\]\[0\]: expected a finite number/],
    [
      "bad policy kind",
      { P: [[[1]]], r: [[0]], policy: { kind: "neural" } },
      /^pgbook exact: \$\.policy\.kind: expected "tabular" or "log-linear"/,
    ],
    [
      "ragged features",
      { P: [[[1], [1]]], r: [[0, 0]], policy: { kind: "log-linear", features: [[[1, 2], [3]]] } },
      /^pgbook exact: \$\.policy\.features\[0\]\[1\]: expected 2 features/,
    ],
  ];
  for (const [what, content, msg] of bad)
    it(`bad input (${what}) exits 1 with one line naming the place`, () => {
      expectOneLineError(run([file(`${what.replace(/\W/g, "_")}.json`, content)]), msg);
    });

  it("a bad θ names its own path; usage errors exit 2", () => {
    const r = run([
      example,
      "--theta",
      file("theta-bad.json", [
        [0, 1],
        [2, "x"],
      ]),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('pgbook exact: theta:$[1][1]: expected a finite number, got "x"');
    expect(run([example, "--theta", file("theta-short.json", [1, 2])]).err).toMatch(
      /theta:\$: expected 4 numbers for a tabular policy, got 2/,
    );
    expect(run([]).code).toBe(2);
    expect(run([path.join(dir, "missing.json")]).err).toMatch(/cannot read input file .*ENOENT/);
    expect(run(["--bogus", example]).code).toBe(2);
    expect(run(["--help"]).code).toBe(0);
  });

  it("the installed bin (scripts/cli/pgbook.mjs) runs it: JSON on success, one stderr line and exit 1 on bad input, no stack trace", () => {
    const ok = spawnSync(process.execPath, [path.join(root, "scripts/cli/pgbook.mjs"), "exact", example], {
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(answer(ok.stdout).lambda).toBeCloseTo(11 / 34, 12);
    const bad = spawnSync(
      process.execPath,
      [
        path.join(root, "scripts/cli/pgbook.mjs"),
        "exact",
        file("neg.json", { P: [[[1.5, -0.5]], [[0, 1]]], r: [[0], [0]] }),
      ],
      {
        encoding: "utf8",
      },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe("pgbook exact: $.P[0][0][1]: negative probability -0.5");
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
