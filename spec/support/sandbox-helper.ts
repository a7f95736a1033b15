/**
 * The sandbox's helper thread. The judging thread blocks (Atomics.wait) while a call is out, so this
 * thread owns the child process: it forwards each request, enforces the per-call time limit and a
 * memory limit (heap via --max-old-space-size, resident size polled from /proc for typed arrays),
 * kills and forgets a child that overran or died, and answers with a verdict. A new child is started
 * (and the module loaded again) for the next request.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { workerData, type MessagePort } from "node:worker_threads";
import type { CallReply, Failure, InitReply, Request, Verdict } from "./sandbox-protocol.ts";

export interface HelperData {
  port: MessagePort;
  /** [0]: reply ready flag; [1]: the child's pid (for cleanup at exit). */
  flags: SharedArrayBuffer;
  childScript: string;
  module: string;
  execArgv: string[];
  callTimeoutMs: number;
  memoryMb: number;
}

const OUTPUT_KEEP = 4000;
const data = workerData as HelperData;
const flags = new Int32Array(data.flags);

let child: ChildProcess | undefined;
let output = "";
let pending: { timer: NodeJS.Timeout; poll: NodeJS.Timeout; killedFor?: Verdict; kind: Request["t"] } | undefined;
let stderrTail = "";

function keep(chunk: Buffer, isErr: boolean): void {
  if (output.length < OUTPUT_KEEP) output += chunk.toString("utf8", 0, Math.min(chunk.length, OUTPUT_KEEP));
  if (isErr) stderrTail = (stderrTail + chunk.toString("utf8", 0, Math.min(chunk.length, 4000))).slice(-4000);
}

function answer(reply: CallReply | InitReply): void {
  if (pending) {
    clearTimeout(pending.timer);
    clearInterval(pending.poll);
    pending = undefined;
  }
  if (output) reply.output = output.slice(0, OUTPUT_KEEP);
  output = "";
  data.port.postMessage(reply);
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
}

function residentMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function start(): ChildProcess {
  stderrTail = "";
  const c = fork(data.childScript, [], {
    execArgv: data.execArgv,
    serialization: "advanced",
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { NODE_NO_WARNINGS: "1" },
  });
  c.stdout!.on("data", (d: Buffer) => keep(d, false));
  c.stderr!.on("data", (d: Buffer) => keep(d, true));
  c.on("message", (m: CallReply | InitReply) => {
    // A call on a fresh child is preceded by the child's answer to its init: skip that one.
    if (c === child && pending && (pending.kind === "init") === "exports" in m) answer(m);
  });
  c.on("exit", (code, signal) => {
    if (c !== child) return;
    child = undefined;
    Atomics.store(flags, 1, 0);
    if (!pending) return;
    const why = pending.killedFor;
    let f: Failure;
    if (why === "timeout") f = { verdict: "timeout", message: `did not return within ${data.callTimeoutMs} ms (stopped; the sandbox was restarted)` };
    else if (why === "oom" || /heap limit|out of memory|Allocation failed/i.test(stderrTail))
      f = { verdict: "oom", message: `ran out of memory (limit ${data.memoryMb} MB; stopped, the sandbox was restarted)` };
    else f = { verdict: "crash", message: `the sandbox process ended during the call (exit code ${code}, signal ${signal}); the sandbox was restarted` };
    answer({ ok: false, failure: f });
  });
  c.on("error", () => {
    /* reported through exit */
  });
  c.send({ t: "init", module: data.module });
  Atomics.store(flags, 1, c.pid ?? 0);
  return c;
}

function stop(why: Verdict): void {
  if (!pending || !child) return;
  pending.killedFor = why;
  child.kill("SIGKILL");
}

data.port.on("message", (req: Request) => {
  const fresh = !child;
  if (!child) child = start();
  const c = child;
  const timer = setTimeout(() => stop("timeout"), data.callTimeoutMs + (fresh ? 2000 : 0));
  const poll = setInterval(() => {
    if (c.pid && residentMb(c.pid) > data.memoryMb) stop("oom");
  }, 50);
  pending = { timer, poll, kind: req.t };
  // A fresh child already received its init; an init request only asks for the exports.
  if (req.t === "init") {
    if (!fresh) c.send(req);
    return;
  }
  c.send(req);
});
