/**
 * The TypeScript side of scripts/tools/bench/network.c: the input file it reads (θ and the scored windows,
 * so both languages run on identical numbers), its output, and the check that it computed what the
 * reference computes — Σ ln πθ(token | window) and Σ ∇θ ln πθ(token | window) over the windows.
 */
import { execFileSync } from "node:child_process";
import { logSoftmaxAt } from "../../../src/core/distributions.ts";
import { netForward } from "../../../src/language-models/network/forward.ts";
import { addNetTokenScore } from "../../../src/language-models/network/score.ts";
import type { NetShape } from "../../../src/language-models/network/shape.ts";

/** θ and the (window, token) pairs one pass scores. */
export interface NetWorkload {
  shape: NetShape;
  theta: Float64Array;
  windows: number[][];
  tokens: number[];
}

/** One pass's sums: Σ ln πθ(token | window) and Σ ∇θ ln πθ(token | window). */
export interface NetChecksum {
  logProb: number;
  grad: Float64Array;
}

/** What network.c printed: its checksum, and the seconds of its timed passes. */
export interface NetworkCOutput extends NetChecksum {
  seconds: number;
}

/** The largest relative difference the two languages may show on the same pass (rounding only). */
export const CHECKSUM_TOLERANCE = 1e-12;

/** network.c's input: "V N d m L", the parameter count, θ, the number of windows, then each window and its token. */
export function networkInput(w: NetWorkload): string {
  const { vocab, window, width, hidden, layers } = w.shape;
  if (w.windows.length !== w.tokens.length)
    throw new RangeError(`network input: ${w.windows.length} windows but ${w.tokens.length} tokens`);
  // String(x) is the shortest decimal that reads back as the same double, so C's strtod gets θ exactly
  const lines = [
    `${vocab} ${window} ${width} ${hidden} ${layers}`,
    String(w.theta.length),
    Array.from(w.theta, String).join(" "),
    String(w.windows.length),
    ...w.windows.map((win, i) => `${win.join(" ")} ${w.tokens[i]}`),
  ];
  return lines.join("\n") + "\n";
}

/** Read network.c's output for a network of `params` parameters; throws naming what is missing. */
export function parseNetworkOutput(text: string, params: number): NetworkCOutput {
  const line = (key: string): string[] => {
    const found = text.split("\n").find((l) => l.startsWith(`${key} `));
    if (!found) throw new Error(`network.c's output has no "${key}" line:\n${text.slice(0, 500)}`);
    return found.trim().split(/\s+/).slice(1);
  };
  const number = (s: string, what: string): number => {
    const x = Number(s);
    if (s === "" || !Number.isFinite(x)) throw new Error(`network.c printed ${what} = "${s}", not a finite number`);
    return x;
  };
  const grad = line("grad");
  if (grad.length !== params)
    throw new Error(`network.c printed ${grad.length} gradient entries for a network of ${params} parameters`);
  return {
    logProb: number(line("logp")[0] ?? "", "logp"),
    grad: Float64Array.from(grad, (s, i) => number(s, `grad[${i}]`)),
    seconds: number(line("seconds")[0] ?? "", "seconds"),
  };
}

/** One pass of the reference over the workload: the sums network.c prints as its checksum. */
export function tsChecksum(w: NetWorkload): NetChecksum {
  const grad = new Float64Array(w.theta.length);
  let logProb = 0;
  for (let i = 0; i < w.windows.length; i++) {
    const trace = netForward(w.shape, w.theta, w.windows[i]);
    logProb += logSoftmaxAt(trace.logits, w.tokens[i]);
    addNetTokenScore(w.theta, trace, w.tokens[i], 1, grad);
  }
  return { logProb, grad };
}

/** ‖c − ts‖∞ / ‖ts‖∞, the difference relative to the reference's largest entry (0 when both are zero). */
export function relativeDifference(ts: ArrayLike<number>, c: ArrayLike<number>): number {
  if (ts.length !== c.length) throw new RangeError(`relativeDifference: lengths ${ts.length} and ${c.length}`);
  let diff = 0;
  let size = 0;
  for (let i = 0; i < ts.length; i++) {
    // NaN in either makes the difference NaN, which no tolerance accepts
    const d = Math.abs(c[i] - ts[i]);
    diff = Number.isNaN(d) || d > diff ? d : diff;
    size = Math.max(size, Math.abs(ts[i]));
  }
  if (Number.isNaN(diff)) return Number.NaN;
  return diff === 0 ? 0 : size === 0 ? Infinity : diff / size;
}

/** Whether network.c's checksum is the reference's up to rounding, with the verdict the row prints. */
export function compareChecksums(
  ts: NetChecksum,
  c: NetChecksum,
  tolerance = CHECKSUM_TOLERANCE,
): { ok: boolean; relativeDifference: number; verdict: string } {
  const rel = Math.max(relativeDifference(ts.grad, c.grad), relativeDifference([ts.logProb], [c.logProb]));
  const d = Number.isNaN(rel) ? "NaN" : rel.toExponential(1);
  // NaN fails the comparison too
  const ok = rel <= tolerance;
  return {
    ok,
    relativeDifference: rel,
    verdict: ok
      ? `C = TS (rel. diff. ${d} ≤ ${tolerance})`
      : `MISMATCH: C and TS differ (rel. diff. ${d} > ${tolerance}), so the C figure is not the same pass`,
  };
}

/** Run the compiled network.c on an input file: `rounds` timed passes, forward and backward or forward only. */
export function runNetworkC(
  exe: string,
  input: string,
  mode: "backward" | "forward",
  rounds: number,
  params: number,
): NetworkCOutput {
  const out = execFileSync(exe, [input, mode, String(rounds)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return parseNetworkOutput(out, params);
}
