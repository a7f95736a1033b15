/**
 * The benchmark's C twin of the network (scripts/tools/bench/network.c) and its TypeScript side
 * (network-c.ts): the input θ reaches C exactly, the checksum comparison fails on what it should, and the
 * compiled program computes the reference's log-probabilities and gradients on shapes other than the
 * chapter's (when the machine has a C compiler).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { substream } from "../../src/contract/random.ts";
import { initNetwork } from "../../src/language-models/network/init.ts";
import { type NetShape, netLayout } from "../../src/language-models/network/shape.ts";
import { compileC, findCompiler } from "../../scripts/tools/bench/c.ts";
import {
  CHECKSUM_TOLERANCE,
  type NetWorkload,
  compareChecksums,
  networkInput,
  parseNetworkOutput,
  relativeDifference,
  runNetworkC,
  tsChecksum,
} from "../../scripts/tools/bench/network-c.ts";

const dir = mkdtempSync(path.join(tmpdir(), "pgbook-bench-network-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny: NetShape = { vocab: 4, window: 2, width: 2, hidden: 3, layers: 1 };

/** θ₀ of a shape at a weight scale and `count` random (window, token) pairs, all from one labelled stream. */
function workload(shape: NetShape, scale: number, count: number, label: string): NetWorkload {
  const rng = substream("bench-network-test", label);
  const theta = initNetwork(shape, rng, scale);
  // biases start at 0; give them values too, so a misplaced bias block shows
  for (const b of netLayout(shape).blocks)
    if (b.cols === 1) for (let i = 0; i < b.rows; i++) theta[b.offset + i] = scale * (rng() - 0.5);
  const token = () => Math.floor(rng() * shape.vocab);
  const windows = Array.from({ length: count }, () => Array.from({ length: shape.window }, token));
  return { shape, theta, windows, tokens: windows.map(token) };
}

describe("networkInput(workload)", () => {
  it("writes the shape, θ so that every entry reads back as the same double, and each window with its token", () => {
    const w = workload(tiny, 1, 2, "input");
    // doubles whose shortest decimal is long, tiny, subnormal or beyond 2^53
    w.theta.set([0.1 + 0.2, 1 / 3, -5e-324, 1e-300, 2 ** 53 + 2]);
    const lines = networkInput(w).trimEnd().split("\n");
    expect(lines[0]).toBe("4 2 2 3 1");
    expect(Number(lines[1])).toBe(w.theta.length);
    expect(lines[2].split(" ").map(Number)).toEqual(Array.from(w.theta));
    expect(lines[3]).toBe("2");
    expect(lines.slice(4)).toEqual(w.windows.map((win, i) => [...win, w.tokens[i]].join(" ")));
  });

  it("refuses windows and tokens of different counts", () => {
    const w = workload(tiny, 1, 2, "input");
    expect(() => networkInput({ ...w, tokens: [0] })).toThrow(/2 windows but 1 tokens/);
  });
});

describe("relativeDifference(ts, c)", () => {
  it("is ‖c − ts‖∞ / ‖ts‖∞", () => {
    expect(relativeDifference([2, -4], [2, -4])).toBe(0);
    // |Δ| = 1 on the entry of size 2, and the largest entry is 4: 1/4
    expect(relativeDifference([2, -4], [3, -4])).toBe(0.25);
    // a difference where the reference is 0 still counts, against the largest entry
    expect(relativeDifference([0, 8], [2, 8])).toBe(0.25);
  });

  it("is 0 when both are zero, ∞ when only the reference is, NaN when either has NaN; lengths must agree", () => {
    expect(relativeDifference([0, 0], [0, 0])).toBe(0);
    expect(relativeDifference([0, 0], [0, 1e-300])).toBe(Infinity);
    expect(relativeDifference([1, 2], [Number.NaN, 2])).toBeNaN();
    expect(relativeDifference([1, Number.NaN], [1, 2])).toBeNaN();
    expect(() => relativeDifference([1], [1, 2])).toThrow(/lengths 1 and 2/);
  });
});

describe("compareChecksums(ts, c)", () => {
  const ts = { logProb: -10, grad: Float64Array.from([1, -2, 0.5]) };

  it("accepts rounding-sized differences and says so", () => {
    const c = { logProb: -10 * (1 + 1e-15), grad: Float64Array.from([1, -2 + 4e-15, 0.5]) };
    const r = compareChecksums(ts, c);
    expect(r.ok).toBe(true);
    expect(r.relativeDifference).toBeLessThanOrEqual(CHECKSUM_TOLERANCE);
    expect(r.verdict).not.toMatch(/MISMATCH/);
  });

  it("says MISMATCH for a gradient entry, or the log-probability alone, off by more than the tolerance, or NaN", () => {
    const off = [
      { logProb: -10, grad: Float64Array.from([1, -2, 0.5 + 1e-10]) },
      { logProb: -10 + 1e-9, grad: Float64Array.from(ts.grad) },
      { logProb: -10, grad: Float64Array.from([1, Number.NaN, 0.5]) },
    ];
    for (const c of off) {
      const r = compareChecksums(ts, c);
      expect(r.ok).toBe(false);
      expect(r.verdict).toMatch(/^MISMATCH/);
    }
  });
});

describe("parseNetworkOutput(text, params)", () => {
  const good = "logp -1.5\ngrad 0.25 -1 3e-17\nseconds 0.125000 sink 42\n";

  it("reads the checksum and the seconds", () => {
    const out = parseNetworkOutput(good, 3);
    expect(out.logProb).toBe(-1.5);
    expect(Array.from(out.grad)).toEqual([0.25, -1, 3e-17]);
    expect(out.seconds).toBe(0.125);
  });

  it("names a missing line, a wrong gradient length and a word that is not a number", () => {
    expect(() => parseNetworkOutput(good, 4)).toThrow(/3 gradient entries for a network of 4 parameters/);
    expect(() => parseNetworkOutput("logp -1.5\ngrad 1 2 3\n", 3)).toThrow(/no "seconds" line/);
    expect(() => parseNetworkOutput(good.replace("-1 ", "nan "), 3)).toThrow(/grad\[1\] = "nan"/);
  });
});

const cc = findCompiler();

describe.skipIf(!cc)("network.c, compiled as the benchmark compiles it", () => {
  const exe = () => compileC(cc, dir, "network") as string;
  const shapes: NetShape[] = [
    tiny,
    { vocab: 5, window: 3, width: 4, hidden: 6, layers: 1 },
    { vocab: 7, window: 5, width: 6, hidden: 3, layers: 3 },
    { vocab: 11, window: 8, width: 16, hidden: 32, layers: 2 },
  ];

  it("prints the reference's Σ ln πθ and Σ ∇θ ln πθ over the windows, to rounding, in both modes", () => {
    for (const shape of shapes)
      for (const scale of [1, 3]) {
        const w = workload(shape, scale, 12, `${JSON.stringify(shape)} ${scale}`);
        const input = path.join(dir, "input.txt");
        writeFileSync(input, networkInput(w));
        const reference = tsChecksum(w);
        for (const mode of ["backward", "forward"] as const) {
          const r = compareChecksums(reference, runNetworkC(exe(), input, mode, 1, w.theta.length));
          expect(r.ok, `${JSON.stringify(shape)} at scale ${scale}, ${mode}: ${r.verdict}`).toBe(true);
        }
      }
  });

  it("disagrees with the reference when one entry of θ it reads differs", () => {
    const shape = shapes[1];
    const w = workload(shape, 1, 12, "perturbed");
    const reference = tsChecksum(w);
    // one entry of the query matrix: it moves the gradient a little
    const moved = Float64Array.from(w.theta);
    moved[netLayout(shape).layers[0].query] += 1e-6;
    const input = path.join(dir, "perturbed.txt");
    writeFileSync(input, networkInput({ ...w, theta: moved }));
    const r = compareChecksums(reference, runNetworkC(exe(), input, "backward", 1, w.theta.length));
    expect(r.ok).toBe(false);
    expect(r.relativeDifference).toBeGreaterThan(CHECKSUM_TOLERANCE);
  });

  it("exits 2 naming the problem when the parameter count does not fit the shape", () => {
    const w = workload(tiny, 1, 1, "count");
    const input = path.join(dir, "count.txt");
    writeFileSync(input, networkInput(w).replace(/\n\d+\n/, `\n${w.theta.length + 1}\n`));
    let status = 0;
    let stderr = "";
    try {
      execFileSync(exe(), [input, "backward", "1"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      ({ status, stderr } = e as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/parameter count does not match/);
  });
});
