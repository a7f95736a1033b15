/** Tooling tests of `pgbook exact`'s labels: the input's stateNames and actionNames echoed, and checked. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, inputFolder, root, run } from "./exact-harness.ts";

const { file } = inputFolder("pgbook-names-");

/** The labels of an answer, the only fields read here. */
const labels = (stdout: string) => {
  const j = JSON.parse(stdout) as { stateNames?: string[]; actionNames?: string[] };
  return { stateNames: j.stateNames, actionNames: j.actionNames };
};

describe("pgbook exact: stateNames and actionNames", () => {
  it("an average-reward MDP's names are echoed, each list on one line", () => {
    const r = run([path.join(root, "examples/mdp/home-work.json")]);
    expect(r.code).toBe(0);
    expect(labels(r.out)).toEqual({ stateNames: ["home", "work"], actionNames: ["stay/work", "go/leave"] });
    expect(r.out).toContain('"actionNames": ["stay/work", "go/leave"],');
  });

  it("an episodic problem's names are echoed, at the top level or beside P under mdp", () => {
    const top = run([path.join(root, "examples/episodic/stop-or-play.json")]);
    expect(labels(top.out)).toEqual({ stateNames: ["playing", "done"], actionNames: undefined });
    const P = [[[0, 1]], [[0, 1]]];
    const nested = { mdp: { P, r: [[0], [1]], actionNames: ["go, on"] }, horizon: 2, initial: [1, 0] };
    const r = run([file("nested.json", nested)]);
    expect(r.code).toBe(0);
    expect(labels(r.out)).toEqual({ stateNames: undefined, actionNames: ["go, on"] }); // a comma inside a name
    expect(r.out).toContain('"actionNames": ["go, on"],');
  });

  it("without names, the answer has none", () => {
    const r = run([file("bare.json", { P: [[[1]]], r: [[2]] })]);
    expect(labels(r.out)).toEqual({ stateNames: undefined, actionNames: undefined });
  });

  const episodic = { P: [[[1], [1]]], r: [[0, 1]], horizon: 1, initial: [1] };
  const bad: [string, unknown, RegExp][] = [
    ["too few state names", { P: [[[1]]], r: [[0]], stateNames: [] }, /^pgbook exact: \$\.stateNames: expected 1/],
    [
      "a number among the action names",
      { P: [[[1], [1]]], r: [[0, 0]], actionNames: ["a", 7] },
      /^pgbook exact: \$\.actionNames\[1\]/,
    ],
    [
      "episodic: two action names for one action",
      { ...episodic, actionNames: ["a"], stateNames: ["s", "t"] },
      /^pgbook exact: \$\.stateNames: must be 1 strings, one per state/,
    ],
    [
      "episodic: a name that is not a string",
      { ...episodic, actionNames: ["a", null] },
      /^pgbook exact: \$\.actionNames\[1\]: must be a string, got null/,
    ],
    [
      "episodic, nested: the path says mdp",
      { mdp: { P: [[[1]]], r: [[0]], stateNames: "s" }, horizon: 1, initial: [1] },
      /^pgbook exact: \$\.mdp\.stateNames: must be 1 strings/,
    ],
  ];
  for (const [what, content, msg] of bad)
    it(`bad names (${what}) exit 1 with one line naming the place`, () => {
      expectOneLineError(run([file(`${what.replace(/\W/g, "_")}.json`, content)]), msg);
    });
});
