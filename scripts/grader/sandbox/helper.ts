/**
 * The sandbox's helper thread: it starts the child process and watches it. Calls themselves do not
 * pass through here — the judging thread writes and reads the child's named pipes synchronously —
 * but that thread is blocked while a call is out, so this thread enforces the limits: it polls a
 * shared "call in progress since" slot and the child's resident memory, kills a child that overran
 * or died, posts the verdict on the port and writes an abort frame into the reply pipe, which wakes
 * the blocked reader. Its poll costs nothing per call.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, openSync, readFileSync, readdirSync, writeSync } from "node:fs";
import path from "node:path";
import { workerData, type MessagePort } from "node:worker_threads";
import { bwrapArgs, RLIMITS, type Isolation } from "./isolation.ts";
import { SLOT, type Failure, type SpawnRequest, type Verdict } from "./protocol.ts";

export interface HelperData {
  port: MessagePort;
  flags: SharedArrayBuffer;
  childScript: string;
  /** The bundled submission and the child's pipe folder (host paths). */
  submission: string;
  ioDir: string;
  /** Node options of the child besides the permission model's (heap and stack limits). */
  execArgv: string[];
  /** The layers to start the child in (probed by the grader). */
  isolation: Isolation;
  /** Epoch ms at which the submission's total time is used up (Infinity: none). */
  deadline: number;
  callTimeoutMs: number;
  memoryMb: number;
  /** Milliseconds of Date.now() at which the shared clock started. */
  epoch: number;
}

const OUTPUT_KEEP = 4000;
const data = workerData as HelperData;
const flags = new Int32Array(data.flags);

let child: ChildProcess | undefined;
let current: SpawnRequest | undefined;
let output = "";
let stderrTail = "";
let killedFor: Verdict | undefined;
let done = false;

/** The resident memory of a process and its descendants (the child runs under prlimit and bwrap), in MB. */
function residentMb(pid: number, depth = 0): number {
  let mb = 0;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    mb = m ? Number(m[1]) / 1024 : 0;
    if (depth < 4)
      for (const t of readdirSync(`/proc/${pid}/task`))
        for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean))
          mb += residentMb(Number(c), depth + 1);
  } catch {
    /* gone */
  }
  return mb;
}

/**
 * The command that starts the child in the probed layers: prlimit (process, file-size and CPU caps)
 * around bubblewrap (namespaces; the bundle and pipes bound at /box) around Node with the permission
 * model, spawned as the sandbox uid. Without bubblewrap the child sees host paths.
 */
export function childCommand(
  d: Pick<HelperData, "isolation" | "childScript" | "submission" | "ioDir" | "execArgv" | "deadline">,
  req: string,
  rep: string,
): { cmd: string; args: string[]; cwd: string } {
  const iso = d.isolation;
  const boxed = iso.bwrap !== undefined;
  const at = (host: string, inBox: string) => (boxed ? inBox : host);
  const child = at(d.childScript, "/box/child.cjs");
  const mod = at(d.submission, "/box/submission.mjs");
  const reqIn = at(req, `/box/io/${path.basename(req)}`);
  const repIn = at(rep, `/box/io/${path.basename(rep)}`);
  const readable = boxed ? "/box/*" : `${path.dirname(d.childScript)}/*`;
  const node = [
    ...(iso.permissionFlag ? [iso.permissionFlag, `--allow-fs-read=${readable}`, `--allow-fs-write=${repIn}`] : []),
    ...d.execArgv,
    ...(iso.hardening ?? []),
    // trace_events files go nowhere (the file-size cap and the read-only view stop them too)
    "--trace-event-file-pattern=/dev/null",
    child,
    reqIn,
    repIn,
    mod,
  ];
  let cmd = iso.node;
  let args = node;
  if (boxed) {
    const binds: [string, string, "ro" | "rw"][] = [
      [d.childScript, "/box/child.cjs", "ro"],
      [d.submission, "/box/submission.mjs", "ro"],
      [d.ioDir, "/box/io", "rw"],
    ];
    args = [...bwrapArgs(iso.node, binds), iso.node, ...node];
    cmd = iso.bwrap!;
  }
  if (iso.prlimit) {
    const cpu = Number.isFinite(d.deadline)
      ? [`--cpu=${Math.max(10, Math.ceil((d.deadline - Date.now()) / 1000) + 10)}`]
      : [];
    args = [
      `--nproc=${RLIMITS.nproc}`,
      `--fsize=${RLIMITS.fsize}`,
      `--core=${RLIMITS.core}`,
      ...cpu,
      "--",
      cmd,
      ...args,
    ];
    cmd = iso.prlimit;
  }
  return { cmd, args, cwd: boxed ? "/" : path.dirname(d.childScript) };
}

/** Tell the judging thread the child is gone: details on the port, then wake its read. */
function abort(f: Failure): void {
  if (done || !current) return;
  done = true;
  if (output) f.message += `\n  (it printed: ${JSON.stringify(output.slice(0, 300))})`;
  data.port.postMessage({ generation: current.generation, failure: f });
  Atomics.store(flags, SLOT.aborted, current.generation + 1);
  try {
    const fd = openSync(current.rep, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, Buffer.from([0xff, 0xff, 0xff, 0xff]));
    closeSync(fd);
  } catch {
    /* the reader is gone too */
  }
}

function start(req: SpawnRequest): void {
  current = req;
  done = false;
  killedFor = undefined;
  output = "";
  stderrTail = "";
  const { cmd, args, cwd } = childCommand(data, req.req, req.rep);
  const iso = data.isolation;
  const c = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { NODE_NO_WARNINGS: "1" },
    cwd,
    ...(iso.uid !== undefined ? { uid: iso.uid, gid: iso.gid } : {}),
  });
  child = c;
  Atomics.store(flags, SLOT.pid, c.pid ?? 0);
  const keep = (d: Buffer, isErr: boolean) => {
    if (output.length < OUTPUT_KEEP) output += d.toString("utf8", 0, Math.min(d.length, OUTPUT_KEEP));
    if (isErr) stderrTail = (stderrTail + d.toString("utf8", 0, Math.min(d.length, 4000))).slice(-4000);
  };
  c.stdout.on("data", (d: Buffer) => keep(d, false));
  c.stderr.on("data", (d: Buffer) => keep(d, true));
  c.on("error", () => {
    /* reported through exit */
  });
  c.on("exit", (code, signal) => {
    if (c !== child) return;
    child = undefined;
    Atomics.store(flags, SLOT.pid, 0);
    let f: Failure;
    if (killedFor === "timeout")
      f = {
        verdict: "timeout",
        message: `did not return within ${data.callTimeoutMs} ms (stopped; the sandbox was restarted)`,
      };
    else if (killedFor === "deadline")
      f = {
        verdict: "deadline",
        message: "was stopped: the submission's total time limit was used up during the call",
      };
    else if (killedFor === "oom" || /heap limit|out of memory|Allocation failed/i.test(stderrTail))
      f = {
        verdict: "oom",
        message: `ran out of memory (limit ${data.memoryMb} MB; stopped, the sandbox was restarted)`,
      };
    else
      f = {
        verdict: "crash",
        message: `ended the sandbox process (exit code ${code}, signal ${signal}); the sandbox was restarted`,
      };
    abort(f);
  });
}

function stop(why: Verdict): void {
  if (!child || killedFor) return;
  killedFor = why;
  child.kill("SIGKILL");
}

data.port.on("message", (m: SpawnRequest) => {
  if (child) {
    const old = child;
    child = undefined;
    old.kill("SIGKILL");
  }
  start(m);
});

// The watchdog: a call (or the start-up of a child) that runs past its limit is stopped.
setInterval(() => {
  if (!child || !Atomics.load(flags, SLOT.busy)) return;
  const since = Atomics.load(flags, SLOT.since);
  const now = (Date.now() - data.epoch) % 2 ** 31;
  const startup = Atomics.load(flags, SLOT.generation) === current?.generation && since < 0 ? 2000 : 0;
  if (Date.now() > data.deadline) stop("deadline");
  else if (now - Math.abs(since) > data.callTimeoutMs + startup) stop("timeout");
  else if (child.pid && residentMb(child.pid) > data.memoryMb) stop("oom");
}, 25).unref();
