/**
 * The judging side's end of the pipes to the child: the helper thread that starts and watches each
 * child, the two named pipes of the current child generation, and the frames that cross them
 * (a 4-byte length, then a structured clone). Everything the child writes is checked against the
 * protocol here before anyone reads it; a frame the protocol does not allow stops the child.
 *
 * State of this part only: the shared slots with the helper, the generation, the pipes' file
 * descriptors and paths, and whether a child is up.
 */
import { spawnSync } from "node:child_process";
import { chownSync, closeSync, constants, openSync, readSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { SandboxFiles } from "./build.ts";
import type { HelperData } from "./helper.ts";
import type { Isolation } from "./isolation.ts";
import {
  SLOT,
  FRAME_LIMIT,
  type CallbackRequest,
  type CallReply,
  type Failure,
  type InitReply,
  type Progress,
  type SpawnRequest,
} from "./protocol.ts";
import { unpackStates, unpackValues } from "./packing.ts";

/** What the child may send: the answer to loading the module, a reply, a callback request, progress. */
export type Frame = CallReply | InitReply | CallbackRequest | Progress;

export interface LinkSettings {
  files: SandboxFiles;
  /** The folder of this worker's pipes (inside the bundle folder). */
  ioDir: string;
  isolation: Isolation;
  /** Epoch ms at which the submission's total time is used up (Infinity: none). */
  deadline: number;
  callTimeoutMs: number;
  memoryMb: number;
}

/** The pipes to the child and the helper that watches it. */
export class ChildLink {
  private readonly flags: Int32Array;
  private readonly port: MessagePort;
  private readonly epoch = Date.now();
  private generation = 0;
  private reqFd = -1;
  private repFd = -1;
  private fifos: string[] = [];
  private live = false;

  constructor(private readonly s: LinkSettings) {
    const flagsBuf = new SharedArrayBuffer(4 * 8);
    this.flags = new Int32Array(flagsBuf);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: HelperData = {
      port: port2,
      flags: flagsBuf,
      childScript: s.files.child,
      submission: s.files.submission,
      ioDir: s.ioDir,
      execArgv: [`--max-old-space-size=${Math.max(32, Math.floor(s.memoryMb / 2))}`, "--stack-size=2000"],
      isolation: s.isolation,
      deadline: s.deadline,
      callTimeoutMs: s.callTimeoutMs,
      memoryMb: s.memoryMb,
      epoch: this.epoch,
    };
    const worker = new Worker(s.files.helper, { workerData: data, transferList: [port2] });
    worker.unref();
    process.on("exit", () => {
      this.killChild();
      this.cleanup();
    });
  }

  /** The shared clock (ms since the link was made, modulo 2^31) the helper measures calls by. */
  clock(): number {
    return (Date.now() - this.epoch) % 2 ** 31;
  }

  /** Whether a child is up and answering on the current pipes. */
  get alive(): boolean {
    return this.live;
  }

  /** Whether the helper stopped the current child (it then writes an abort frame). */
  aborted(): boolean {
    return Atomics.load(this.flags, SLOT.aborted) === this.generation + 1;
  }

  /** The helper's account of why the current child went away. */
  abortFailure(): Failure {
    this.live = false;
    for (let i = 0; i < 400; i++) {
      const m = receiveMessageOnPort(this.port)?.message as { generation: number; failure: Failure } | undefined;
      if (m && m.generation === this.generation) return m.failure;
      if (!m) Atomics.wait(this.flags, SLOT.busy + 7, 0, 5);
    }
    return { verdict: "crash", message: "the sandbox process ended" };
  }

  /** Start a child (a new generation with new pipes) and return its answer to loading the module. */
  start(): InitReply {
    this.cleanup();
    this.generation++;
    const generation = this.generation;
    const req = path.join(this.s.ioDir, `req-${generation}.fifo`);
    const rep = path.join(this.s.ioDir, `rep-${generation}.fifo`);
    const mk = spawnSync("mkfifo", ["-m", "600", req, rep]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr.toString()}`);
    // the child (the sandbox uid) may open its two pipes and nothing else here
    const iso = this.s.isolation;
    if (iso.uid !== undefined) for (const f of [req, rep]) chownSync(f, iso.uid, iso.gid!);
    this.fifos = [req, rep];
    this.repFd = openSync(rep, constants.O_RDWR);
    Atomics.store(this.flags, SLOT.generation, generation);
    const msg: SpawnRequest = { t: "spawn", generation, req, rep, module: this.s.files.submission };
    this.port.postMessage(msg);
    const first = this.readFrame(true, undefined) as CallReply | InitReply;
    if (!("exports" in first)) return { ok: false, exports: [], failure: first.failure };
    const init = first;
    this.reqFd = openSync(req, constants.O_WRONLY);
    this.live = true;
    return init;
  }

  /**
   * Block until the child's next frame (or the helper's abort). Outside start-up, a frame must
   * answer request `expectedRid`; `since` continues a call's clock.
   */
  readFrame(startup: boolean, expectedRid: number | undefined, since?: number): Frame {
    Atomics.store(this.flags, SLOT.since, since ?? (startup ? -this.clock() : this.clock()));
    Atomics.store(this.flags, SLOT.busy, 1);
    try {
      const head = this.readExactly(4);
      if (!head || head.readUInt32LE(0) === 0xffffffff) return { ok: false, failure: this.abortFailure() };
      const n = head.readUInt32LE(0);
      if (n === 0 || n > FRAME_LIMIT) return this.violation(`a frame of ${n} bytes`);
      const body = this.readExactly(n);
      if (!body) return { ok: false, failure: this.abortFailure() };
      let frame: unknown;
      try {
        frame = deserialize(body);
      } catch {
        return this.violation("a frame that is not structured-clone data");
      }
      if (frame === null || typeof frame !== "object") return this.violation("a frame that is not an object");
      const f = frame as {
        ok?: unknown;
        exports?: unknown;
        rid?: unknown;
        t?: unknown;
        fn?: unknown;
        id?: unknown;
        args?: unknown;
        values?: unknown;
      };
      if (startup) {
        if (typeof f.ok !== "boolean" || !Array.isArray(f.exports))
          return this.violation("a start-up frame without the module's exports");
      } else {
        if (f.rid !== expectedRid)
          return this.violation(`a frame for request ${String(f.rid)} while request ${expectedRid} was out`);
        if (
          f.t === "progress"
            ? typeof f.fn !== "string"
            : f.t === "callback"
              ? typeof f.id !== "number" || !Array.isArray(f.args)
              : f.t !== undefined || typeof f.ok !== "boolean" || (f.ok && !Array.isArray(f.values))
        )
          return this.violation("a frame of no known kind");
      }
      const packed = (frame as CallReply).packed;
      if (packed !== undefined) {
        // results in one column (packing.ts): expanded here, so that nothing after sees the packing
        try {
          (frame as CallReply).values = unpackValues(packed);
        } catch (e) {
          return this.violation(`a frame with malformed packed results (${(e as Error).message})`);
        }
        delete (frame as CallReply).packed;
      }
      const packedRngs = (frame as CallReply).packedRngs;
      if (packedRngs !== undefined) {
        try {
          (frame as CallReply).rngs = unpackStates(packedRngs);
        } catch (e) {
          return this.violation(`a frame with malformed packed stream states (${(e as Error).message})`);
        }
        delete (frame as CallReply).packedRngs;
      }
      return frame as Frame;
    } finally {
      Atomics.store(this.flags, SLOT.busy, 0);
    }
  }

  /** Write one frame to the child; false when the pipe is gone. */
  writeFrame(value: unknown): boolean {
    const body = serialize(value);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    try {
      writeSync(this.reqFd, Buffer.concat([head, body]));
      return true;
    } catch {
      return false;
    }
  }

  private readExactly(n: number): Buffer | undefined {
    const b = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const k = readSync(this.repFd, b, o, n - o, null);
      if (this.aborted()) return undefined;
      o += k;
    }
    return b;
  }

  /**
   * A frame the protocol does not allow (forged, malformed, oversized, of another request): the child
   * is stopped and restarted with new pipes, so nothing it left in the old ones is ever read.
   */
  private violation(why: string): CallReply {
    this.live = false;
    this.killChild();
    return {
      ok: false,
      failure: {
        verdict: "protocol",
        message: `sent a reply the sandbox's protocol does not allow (${why}); the sandbox was restarted`,
      },
    };
  }

  private killChild(): void {
    const pid = Atomics.load(this.flags, SLOT.pid);
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }

  private cleanup(): void {
    for (const fd of [this.reqFd, this.repFd]) {
      if (fd >= 0) {
        try {
          closeSync(fd);
        } catch {
          /* closed */
        }
      }
    }
    this.reqFd = this.repFd = -1;
    for (const f of this.fifos) rmSync(f, { force: true });
    this.fifos = [];
  }
}
