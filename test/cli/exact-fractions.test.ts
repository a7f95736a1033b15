/**
 * Tooling tests of `pgbook exact --fractions` and `--pi`: exact fractions beside the floats on the
 * README's examples (each expected fraction derived by hand in a comment), fraction strings in the
 * input, policies given as probabilities, and one-line errors naming the JSON path.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compactJson } from "../../scripts/cli/exact.ts";
import { expectOneLineError, inputFolder, root, run } from "./exact-harness.ts";

const homeWork = path.join(root, "examples/mdp/home-work.json");
const stopOrPlay = path.join(root, "examples/episodic/stop-or-play.json");
const { file } = inputFolder("pgbook-fractions-");

/** "p/q" → p/q as a double, to compare the fractions with the floats printed beside them. */
const value = (f: string) => {
  const [n, d] = f.split("/");
  return Number(n) / (d === undefined ? 1 : Number(d));
};

/** The parts of the reports these tests read. */
interface AverageRewardReport {
  lambda: number;
  d: number[];
  theta?: number[];
  bias: { Q: number[][] };
  gradient: number[][] | null;
  fractions: {
    pi: string[][];
    lambda: string;
    d: string[];
    mu: string[][];
    reference: { V: string[]; Q: string[][] };
    bias: { V: string[]; Q: string[][] };
    gradient: string[][] | null;
  };
}
interface EpisodicReport {
  J: number;
  fractions: { J: string; Q0: string[][]; gradJ: string[] };
}
const averageReward = (out: string) => JSON.parse(out) as AverageRewardReport;
const episodic = (out: string) => JSON.parse(out) as EpisodicReport;

const homeWorkData = {
  P: [
    [
      [1, 0],
      [0.5, 0.5],
    ],
    [
      [0.2, 0.8],
      [1, 0],
    ],
  ],
  r: [
    [0.5, 0],
    [1, 0],
  ],
};

describe("pgbook exact --fractions", () => {
  it("home/work at θ = 0: λ = 11/34, d = (12/17, 5/17), V_ref = (0, 5/17), beside floats that agree with them", () => {
    const r = run([homeWork, "--fractions"]);
    expect(r.code).toBe(0);
    const j = averageReward(r.out);
    const f = j.fractions;
    // P_π = [[¾, ¼], [0.6, 0.4]]: balance d₀·¼ = d₁·0.6 → d = (12/17, 5/17); r_π = (¼, ½) → λ = 3/17 + 5/34 = 11/34
    expect(f.lambda).toBe("11/34");
    expect(f.d).toEqual(["12/17", "5/17"]);
    expect(f.mu).toEqual([
      ["6/17", "6/17"],
      ["5/34", "5/34"],
    ]);
    // reference: V(0) = 0 and V(0) − ¾V(0) − ¼V(1) + λ = ¼ → V(1) = 4(λ − ¼) = 4·(11/34 − 1/4) = 5/17
    expect(f.reference.V).toEqual(["0", "5/17"]);
    // Q(home, stay) = ½ − λ + V(home) = 6/34 = 3/17; Q(home, go) = −λ + ½·5/17 = −11/34 + 5/34 = −3/17
    expect(f.reference.Q[0]).toEqual(["3/17", "-3/17"]);
    // bias: V − (Σ d V) = V − (5/17)(5/17) = V − 25/289
    expect(f.bias.V).toEqual(["-25/289", "60/289"]);
    expect(f.pi).toEqual([
      ["1/2", "1/2"],
      ["1/2", "1/2"],
    ]);
    // the floats beside the fractions are the reference implementation's: each within 1e-12 of its fraction
    expect(j.lambda).toBeCloseTo(value(f.lambda), 12);
    f.d.forEach((x, s) => expect(j.d[s]).toBeCloseTo(value(x), 12));
    f.bias.Q.flat().forEach((x, i) => expect(j.bias.Q.flat()[i]).toBeCloseTo(value(x), 12));
    const g = f.gradient ?? [];
    expect(g).toHaveLength(2);
    g.flat().forEach((x, i) => expect(j.gradient?.flat()[i]).toBeCloseTo(value(x), 12));
    // each state's gradient block sums to zero (the score sums to zero under π)
    for (const row of g) expect(value(row[0]) + value(row[1])).toBe(0);
  });

  it("prints each array of fractions on one line", () => {
    const r = run([homeWork, "--fractions"]);
    expect(r.out).toContain('"d": ["12/17", "5/17"]');
    expect(compactJson({ x: ["1/2", "-3/17", "0"], y: [1, -2.5e-3] })).toBe(
      '{\n  "x": ["1/2", "-3/17", "0"],\n  "y": [1, -0.0025]\n}',
    );
  });

  it('reads fraction strings in P and r: with r(home, stay) = "1/3", λ = 12/17·⅙ + 5/17·½ = 9/34', () => {
    const r = run([
      file("third.json", {
        P: [
          [
            [1, 0],
            ["1/2", "1/2"],
          ],
          [
            ["1/5", "4/5"],
            [1, 0],
          ],
        ],
        r: [
          ["1/3", 0],
          [1, 0],
        ],
      }),
      "--fractions",
    ]);
    expect(r.code).toBe(0);
    const j = averageReward(r.out);
    expect(j.fractions.lambda).toBe("9/34");
    expect(j.fractions.d).toEqual(["12/17", "5/17"]); // P is home/work's, written as fractions
    expect(j.lambda).toBeCloseTo(9 / 34, 12);
  });

  it("--pi: the deterministic policy (go, work) earns λ* = 5/7 with d = (2/7, 5/7); ∇λ is not defined there", () => {
    // balance d(home)·½ = d(work)·0.2 → d = (2/7, 5/7); λ = d(work)·1 = 5/7
    const r = run([
      homeWork,
      "--fractions",
      "--pi",
      file("go-work.json", [
        [0, 1],
        [1, 0],
      ]),
    ]);
    expect(r.code).toBe(0);
    const j = averageReward(r.out);
    expect(j.fractions.lambda).toBe("5/7");
    expect(j.fractions.d).toEqual(["2/7", "5/7"]);
    expect(j.gradient).toBeNull();
    expect(j.fractions.gradient).toBeNull();
    expect(j.theta).toBeUndefined();
    expect(j.lambda).toBeCloseTo(5 / 7, 12);
  });

  it("--pi with positive probabilities gives ∇λ of the Gibbs policy at θ = ln π, the same as --theta with that θ", () => {
    const pi = [
      [0.25, 0.75],
      [0.5, 0.5],
    ];
    const byPi = averageReward(run([homeWork, "--pi", file("pi.json", { pi })]).out);
    const byTheta = averageReward(
      run([
        homeWork,
        "--theta",
        file(
          "ln-pi.json",
          pi.map((row) => row.map(Math.log)),
        ),
      ]).out,
    );
    const want = byTheta.gradient?.flat() ?? [];
    expect(want).toHaveLength(4);
    expect(byPi.gradient?.flat()).toHaveLength(4);
    byPi.gradient?.flat().forEach((g, i) => expect(g).toBeCloseTo(want[i], 12));
    expect(byPi.lambda).toBeCloseTo(byTheta.lambda, 12);
    const exact = averageReward(
      run([
        homeWork,
        "--pi",
        file("pi-frac.json", [
          ["1/4", "3/4"],
          ["1/2", "1/2"],
        ]),
        "--fractions",
      ]).out,
    );
    expect(exact.fractions.gradient?.flat()).toHaveLength(4);
    exact.fractions.gradient?.flat().forEach((g, i) => expect(value(g)).toBeCloseTo(want[i], 12));
  });

  it("stop-or-play (T = 4, θ = 0): J = 45/32, Q₀(playing) = (29/16, 1), ∇J = (9/32, −9/32, 0, 0); T = 8 gives J = 765/512", () => {
    // V_4 = 0, Q_t(play) = ½ + V_{t+1}, Q_t(stop) = 1, V_t = (Q_t(play) + 1)/2: V_3 = ¾, V_2 = 9/8, V_1 = 21/16, V_0 = 45/32, Q_0(play) = 29/16
    const j = episodic(run([stopOrPlay, "--fractions"]).out);
    expect(j.fractions.J).toBe("45/32");
    expect(j.fractions.Q0[0]).toEqual(["29/16", "1"]);
    // ∂J/∂θ_play = Σ_t 2^{-t}·¼·(Q_t(play) − 1) = ¼(13/16 + 5/16 + 1/16 − 1/16) = 9/32
    expect(j.fractions.gradJ).toEqual(["9/32", "-9/32", "0", "0"]);
    expect(j.J).toBe(45 / 32);
    // four more steps of the recursion: V_0 = 93/64, 189/128, 381/256, 765/512 at T = 5 … 8
    expect(episodic(run([stopOrPlay, "--fractions", "--horizon", "8"]).out).fractions.J).toBe("765/512");
  });

  it("episodic --pi: playing with probability ⅓ on stop-or-play (T = 4) gives J = 100/81", () => {
    // π(play) = ⅓: V_t = ⅓(½ + V_{t+1}) + ⅔·1 → V_3 = 5/6, V_2 = 1 − … : V_t = ⅚ + ⅓V_{t+1}
    // V_3 = 5/6, V_2 = 5/6 + 5/18 = 10/9, V_1 = 5/6 + 10/27 = 65/54, V_0 = 5/6 + 65/162 = 200/162 = 100/81
    const j = episodic(
      run([
        stopOrPlay,
        "--fractions",
        "--pi",
        file("third-play.json", [
          ["1/3", "2/3"],
          ["1/2", "1/2"],
        ]),
      ]).out,
    );
    expect(j.fractions.J).toBe("100/81");
    expect(j.J).toBeCloseTo(100 / 81, 12);
  });

  const bad: [string, string[], RegExp][] = [
    [
      "a 16-digit number",
      [
        file("long.json", {
          ...homeWorkData,
          r: [
            [0.5, 0],
            [1, 0.1234567890123456],
          ],
        }),
        "--fractions",
      ],
      /^pgbook exact: \$\.r\[1\]\[1\]: 0\.1234567890123456 has 16 significant digits.*"1\/3"/,
    ],
    [
      "a string that is no fraction",
      [
        file("str.json", {
          ...homeWorkData,
          r: [
            [0.5, "half"],
            [1, 0],
          ],
        }),
        "--fractions",
      ],
      /^pgbook exact: \$\.r\[0\]\[1\]: expected a number or a fraction such as "11\/34", got "half"$/,
    ],
    [
      "a zero denominator",
      [
        file("zero-den.json", {
          ...homeWorkData,
          r: [
            [0.5, "1/0"],
            [1, 0],
          ],
        }),
        "--fractions",
      ],
      /^pgbook exact: \$\.r\[0\]\[1\]: expected a number or a fraction/,
    ],
    // 0.3333333333 + 0.6666666666 misses 1 by 1e-10: within the float check's 1e-9, but not exactly 1
    [
      "a row summing to 1 within 1e-9 only",
      [
        file("near.json", {
          ...homeWorkData,
          P: [
            [
              [1, 0],
              [0.3333333333, 0.6666666666],
            ],
            [
              [0.2, 0.8],
              [1, 0],
            ],
          ],
        }),
        "--fractions",
      ],
      /^pgbook exact: \$\.P\[0\]\[1\]: probabilities sum to 9999999999\/10000000000 exactly, not 1/,
    ],
    [
      "θ ≠ 0",
      [
        homeWork,
        "--fractions",
        "--theta",
        file("theta.json", [
          [0, 1],
          [0, 0],
        ]),
      ],
      /^pgbook exact: theta:\$\[0\]\[1\]: --fractions needs a rational policy.*--pi/,
    ],
    [
      "θ ≠ 0 given flat inside {theta}",
      [homeWork, "--fractions", "--theta", file("theta-obj.json", { theta: [0, 0, 0, 2] })],
      /^pgbook exact: theta:\$\.theta\[3\]: --fractions needs a rational policy/,
    ],
    [
      "a π row not summing to 1",
      [
        homeWork,
        "--fractions",
        "--pi",
        file("pi-bad.json", [
          [0.5, 0.5],
          ["1/3", "1/2"],
        ]),
      ],
      /^pgbook exact: pi:\$\[1\]: probabilities sum to 5\/6 exactly, not 1/,
    ],
    [
      "a negative π",
      [homeWork, "--pi", file("pi-neg.json", [1.5, -0.5, 0.5, 0.5])],
      /^pgbook exact: pi:\$\[1\]: negative probability -0\.5$/,
    ],
    [
      "π of the wrong size",
      [homeWork, "--pi", file("pi-short.json", [0.5, 0.5])],
      /^pgbook exact: pi:\$: expected 2 rows of 2 probabilities, or 4 numbers/,
    ],
    [
      "π not an array",
      [homeWork, "--fractions", "--pi", file("pi-obj.json", { pi: "uniform" })],
      /^pgbook exact: pi:\$\.pi: expected the policy's probabilities/,
    ],
    [
      "π that splits the chain",
      [
        file("two-rooms.json", {
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
            [0, 0],
          ],
        }),
        "--pi",
        file("stay.json", [
          [1, 0],
          [1, 0],
        ]),
      ],
      /^pgbook exact: pi:\$: under this policy states \{0\} and \{1\} form separate closed classes/,
    ],
    [
      "--pi with a log-linear policy",
      [
        path.join(root, "examples/mdp/home-work-loglinear.json"),
        "--pi",
        file("pi-ll.json", [
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ],
      /^pgbook exact: \$\.policy: --pi gives the probabilities of a tabular policy/,
    ],
    [
      "an episodic initial distribution not summing to 1 exactly",
      [
        file("ep-init.json", {
          P: [
            [
              [1, 0],
              [0, 1],
            ],
            [
              [0, 1],
              [0, 1],
            ],
          ],
          r: [
            [0.5, 1],
            [0, 0],
          ],
          horizon: 2,
          initial: [0.9999999999, 5e-11],
          terminal: [1],
        }),
        "--fractions",
      ],
      /^pgbook exact: \$\.initial: the initial probabilities sum to 19999999999\/20000000000 exactly, not 1/,
    ],
    [
      "an episodic θ ≠ 0 in the JSON",
      [path.join(root, "examples/episodic/stop-or-play-features.json"), "--fractions"],
      /^pgbook exact: \$\.theta\[0\]: --fractions needs a rational policy/,
    ],
    [
      "an episodic π with a zero",
      [
        stopOrPlay,
        "--pi",
        file("ep-zero.json", [
          [1, 0],
          [0.5, 0.5],
        ]),
      ],
      /^pgbook exact: pi:\$\[0\]\[1\]: must be positive/,
    ],
  ];
  for (const [what, args, msg] of bad)
    it(`bad input (${what}) exits 1 with one line naming the place`, () => {
      expectOneLineError(run(args), msg);
    });

  it("--theta with --pi is a usage error (exit 2)", () => {
    const r = run([homeWork, "--theta", file("t0.json", [0, 0, 0, 0]), "--pi", file("p0.json", [0.5, 0.5, 0.5, 0.5])]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pgbook exact: --theta and --pi both give the policy/);
  });

  it("through the installed bin: fractions on stdout, and a bad number as one stderr line with exit 1, no stack trace", () => {
    const bin = path.join(root, "scripts/cli/pgbook.mjs");
    const ok = spawnSync(process.execPath, [bin, "exact", homeWork, "--fractions"], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(averageReward(ok.stdout).fractions.lambda).toBe("11/34");
    const bad = spawnSync(
      process.execPath,
      [
        bin,
        "exact",
        file("bin-bad.json", {
          ...homeWorkData,
          r: [
            [0.1 + 0.2, 0],
            [1, 0],
          ],
        }),
        "--fractions",
      ],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'pgbook exact: $.r[0][0]: 0.30000000000000004 has 17 significant digits, more than a JSON number keeps exactly (at most 15); write it as a string such as "1/3"',
    );
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
