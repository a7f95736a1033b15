/**
 * What the Node binary that runs the sandbox's child offers for confinement, found by running that
 * binary (never by reading its version number): which flag turns the permission model on, whether
 * that model also closes the network, signals and native code (FFI, addons, WASI), and which
 * `--allow-*` flags exist. Each answer comes from a short child process started with `spawnSync`;
 * the result is cached per binary.
 *
 * Measured (2026-12): Node 20 takes only `--experimental-permission`, 22 takes both, 24 and 26 only
 * `--permission`. Only 26 restricts the network (opt back in with `--allow-net`) and has `node:ffi`
 * (on by default; denied under the permission model unless `--allow-ffi`; `--no-experimental-ffi`
 * removes the module). No version stops `process.kill` of another process.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The permission-model flags, preferred first. */
export const PERMISSION_FLAGS = ["--permission", "--experimental-permission"] as const;
export type PermissionFlag = (typeof PERMISSION_FLAGS)[number];

/** The `--allow-*` flags whose existence the probe reports. */
export const ALLOW_FLAGS = [
  "--allow-addons",
  "--allow-wasi",
  "--allow-child-process",
  "--allow-worker",
  "--allow-net",
  "--allow-ffi",
  "--allow-inspector",
] as const;
export type AllowFlag = (typeof ALLOW_FLAGS)[number];

/** What one binary offers. Every boolean was found by trying, not by the version. */
export interface NodeFeatures {
  /** The binary probed (the cache key). */
  execPath: string;
  /** `process.version` as that binary reports it (for messages only; nothing is decided on it). */
  version: string;
  /**
   * The flag that turns the permission model on: `--permission` where it is accepted (22.13+, 24,
   * 26), else `--experimental-permission` (20); undefined if the binary accepts neither (then the
   * permission model is not available at all). Tried as `<flag> -e 0`.
   */
  permissionFlag: PermissionFlag | undefined;
  /** Every permission flag the binary accepts (22 accepts both). */
  permissionFlagsAccepted: PermissionFlag[];
  /**
   * Whether a process started with `permissionFlag` and `--allow-fs-read=<folder>/*` could read a
   * file in that folder and was denied (ERR_ACCESS_DENIED) a file outside it: the flag really works.
   */
  permissionDeniesFsRead: boolean;
  /**
   * Whether the permission model, as started with `permissionFlag` alone, denies the network: a
   * `net.connect` to a server listening on 127.0.0.1 failed with ERR_ACCESS_DENIED (true), or it
   * connected or was refused by the kernel (false: the network is open under the permission model).
   */
  networkRestricted: boolean;
  /** What that `net.connect` met: "ERR_ACCESS_DENIED", "connected", an errno code, or "timeout". */
  networkProbe: string;
  /**
   * The flag that governs the network under the permission model, or undefined where the model has
   * no say over it. Note its sense: on Node 26 this is `--allow-net`, which GRANTS the network back;
   * a sandbox that wants the network closed passes `permissionFlag` and must NOT pass this flag.
   * Only set when the flag is accepted and a connect under `permissionFlag` + this flag was not
   * denied while one under `permissionFlag` alone was.
   */
  networkFlag: string | undefined;
  /**
   * Whether a process under the permission model could still send a signal to another process of the
   * same user: `process.kill(<victim pid>, "SIGTERM")` did not throw and the victim ended. True on
   * 20 through 26 — the permission model does not cover signals.
   */
  killAllowed: boolean;
  /** Which `--allow-*` flags the binary accepts (tried together with `permissionFlag`, `-e 0`). */
  allowFlags: Record<AllowFlag, boolean>;
  /** Every `--allow-*` option `node --help` lists (new kinds of permission show up here first). */
  allowFlagsInHelp: string[];
  /**
   * Native addons under the permission model: `process.dlopen` of a missing file was refused before
   * the file was looked at (ERR_DLOPEN_DISABLED or ERR_ACCESS_DENIED) rather than failing to load it.
   */
  addonsBlocked: boolean;
  /** `new WASI(...)` under the permission model threw ERR_ACCESS_DENIED. */
  wasiBlocked: boolean;
  /** A foreign-function interface, which calls any C function of any shared library. */
  ffi: FfiFeatures;
}

/** The `node:ffi` module (Node 26 on): a way from JavaScript straight into native code. */
export interface FfiFeatures {
  /** `node:ffi` loads (require or `process.getBuiltinModule`) with no flag at all. */
  availableByDefault: boolean;
  /** A flag that makes `node:ffi` load where it is off by default (`--experimental-ffi`), if accepted and it works. */
  enableFlag: string | undefined;
  /** A flag that removes the module (`--no-experimental-ffi`), if accepted and after it `node:ffi` no longer loads. */
  disableFlag: string | undefined;
  /**
   * Whether the permission model (with `permissionFlag` and no `--allow-ffi`) denies it: opening a
   * library that opens without the permission model threw ERR_ACCESS_DENIED. Undefined where there
   * is no FFI to block (or no permission model).
   */
  blockedByPermission: boolean | undefined;
  /** What opening the library met under the permission model: "opened", an error code, or undefined. */
  probe: string | undefined;
}

const cache = new Map<string, NodeFeatures>();

/** The features of the Node binary `execPath` (default: the running one), probed once per binary. */
export function nodeFeatures(execPath: string = process.execPath): NodeFeatures {
  let f = cache.get(execPath);
  if (!f) {
    f = probe(execPath);
    cache.set(execPath, f);
  }
  return f;
}

interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

const TIMEOUT_MS = 10_000;

function run(execPath: string, args: string[], extraArgv: string[] = []): Run {
  const r = spawnSync(execPath, [...args, ...extraArgv], {
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    // a clean environment: no NODE_OPTIONS, coverage or loader hooks of the caller
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_NO_WARNINGS: "1" },
  });
  return { ok: r.status === 0 && !r.error, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/**
 * Whether `execPath` starts with `flags` and runs a script (an unknown option ends Node with "bad
 * option"; the printed marker makes sure it was Node that ran, not any program that exits 0).
 */
function accepts(execPath: string, flags: string[]): boolean {
  const r = run(execPath, [...flags, "-e", `process.stdout.write("pgbook-ok")`]);
  return r.ok && r.stdout === "pgbook-ok" && !/bad option/i.test(r.stderr);
}

/** Run a snippet that prints one JSON line last; undefined if it did not. */
function json<T>(execPath: string, flags: string[], code: string, argv: string[] = []): T | undefined {
  const r = run(execPath, [...flags, "-e", code], argv);
  const line = r.stdout.trim().split("\n").pop();
  try {
    return line ? (JSON.parse(line) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads `node:ffi` (require, else `process.getBuiltinModule`) and opens the library `lib` with it;
 * records each step's outcome in `out` (a snippet of the child scripts below).
 */
const FFI_SNIPPET = `
let ffi;
try { ffi = require("node:ffi"); out.require = "ok"; } catch (e) { out.require = code(e); }
try {
  const g = typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("node:ffi") : undefined;
  out.builtin = g ? "ok" : "absent";
  ffi = ffi || g;
} catch (e) { out.builtin = code(e); }
if (ffi) {
  try {
    const l = typeof ffi.DynamicLibrary === "function" ? new ffi.DynamicLibrary(lib) : ffi.dlopen(lib).lib;
    out.open = "opened";
    try { l.close(); } catch {}
  } catch (e) { out.open = code(e); }
}`;

interface FfiRun {
  require: string;
  builtin: string;
  open?: string;
}

/**
 * The checks made inside one process under the permission model. argv: a file inside the allowed
 * folder, one outside, a loopback port, a pid to signal (or "0"), a library for FFI. Prints one JSON line.
 */
const CONFINED_CODE = `
const [inside, outside, port, victim, lib] = process.argv.slice(1);
const out = {};
const code = (e) => (e && e.code) || String(e);
const fs = require("node:fs");
for (const [k, p] of [["inside", inside], ["outside", outside]]) {
  try { fs.readFileSync(p, "utf8"); out[k] = "read"; } catch (e) { out[k] = code(e); }
}
if (victim !== "0") { try { process.kill(Number(victim), "SIGTERM"); out.kill = "sent"; } catch (e) { out.kill = code(e); } }
try { process.dlopen({ exports: {} }, "/nonexistent-pgbook-probe.node"); out.addon = "loaded"; } catch (e) { out.addon = code(e); }
try { const { WASI } = require("node:wasi"); new WASI({ version: "preview1" }); out.wasi = "created"; } catch (e) { out.wasi = code(e); }
${FFI_SNIPPET}
const done = (r) => { out.net = r; console.log(JSON.stringify(out)); process.exit(0); };
setTimeout(() => done("timeout"), 3000);
try {
  const s = require("node:net").connect({ host: "127.0.0.1", port: Number(port) });
  s.on("connect", () => { s.destroy(); done("connected"); });
  s.on("error", (e) => done(code(e)));
} catch (e) { done(code(e)); }`;

/** The network check alone (argv: a loopback port). */
const NET_CODE = `
const done = (r) => { console.log(JSON.stringify({ net: r })); process.exit(0); };
setTimeout(() => done("timeout"), 3000);
try {
  const s = require("node:net").connect({ host: "127.0.0.1", port: Number(process.argv[1]) });
  s.on("connect", () => { s.destroy(); done("connected"); });
  s.on("error", (e) => done(e.code || String(e)));
} catch (e) { done(e.code || String(e)); }`;

/** The FFI check alone (argv: a library). */
const FFI_CODE = `
const out = {};
const code = (e) => (e && e.code) || String(e);
const lib = process.argv[1];
${FFI_SNIPPET}
console.log(JSON.stringify(out));`;

interface Confined extends FfiRun {
  inside: string;
  outside: string;
  kill?: string;
  addon: string;
  wasi: string;
  net: string;
}

const wait = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A server on 127.0.0.1 in a helper process (unconfined, the running Node), so that a connect from
 * a confined child meets a real listener while this thread is blocked in spawnSync. Undefined if it
 * did not come up within 3 s (then a refused connection still shows that an attempt was made).
 */
function loopbackServer(dir: string): { port: number; stop: () => void } | undefined {
  const portFile = path.join(dir, "port");
  const code = `const s = require("node:net").createServer((c) => c.destroy()).listen(0, "127.0.0.1", () => require("node:fs").writeFileSync(process.argv[1], String(s.address().port))); setTimeout(() => process.exit(0), 30000);`;
  const helper = spawn(process.execPath, ["-e", code, portFile], {
    stdio: "ignore",
    env: { PATH: process.env.PATH ?? "" },
  });
  helper.on("error", () => {});
  helper.unref();
  const stop = () => helper.kill("SIGKILL");
  for (let i = 0; i < 120; i++) {
    try {
      const port = Number(readFileSync(portFile, "utf8"));
      if (port > 0) return { port, stop };
    } catch {
      /* not yet */
    }
    wait(25);
  }
  stop();
  return undefined;
}

/** A process to be signalled by the confined child. */
function victimProcess(): { pid: number; ended: () => boolean; stop: () => void } | undefined {
  const victim = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
    stdio: "ignore",
    env: { PATH: process.env.PATH ?? "" },
  });
  victim.on("error", () => {});
  victim.unref();
  const pid = victim.pid;
  if (!pid) return undefined;
  const ended = () => {
    // not reaped yet (this thread is blocked): a killed child is a zombie
    for (let i = 0; i < 40; i++) {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\)\s*/, "")[0];
        if (state === "Z" || state === "X") return true;
      } catch {
        return true;
      }
      wait(25);
    }
    return false;
  };
  return { pid, ended, stop: () => victim.kill("SIGKILL") };
}

function probe(execPath: string): NodeFeatures {
  const version = run(execPath, ["-p", "process.version"]).stdout.trim();
  const help = run(execPath, ["--help"]).stdout;
  const allowFlagsInHelp = [
    ...new Set([...help.matchAll(/(?:^|[\s,])(--allow-[a-z0-9-]+)/gm)].map((m) => m[1])),
  ].sort();

  const permissionFlagsAccepted = PERMISSION_FLAGS.filter((f) => accepts(execPath, [f]));
  const permissionFlag = permissionFlagsAccepted[0];
  const perm = permissionFlag ? [permissionFlag] : [];

  // One start with every flag the help lists; each one alone only if that fails or it is not listed.
  const listed = ALLOW_FLAGS.filter((f) => allowFlagsInHelp.includes(f));
  const allListed = listed.length > 0 && accepts(execPath, [...perm, ...listed]);
  const allowFlags = Object.fromEntries(
    ALLOW_FLAGS.map((f) => [f, allListed && listed.includes(f) ? true : accepts(execPath, [...perm, f])]),
  ) as Record<AllowFlag, boolean>;

  const features: NodeFeatures = {
    execPath,
    version,
    permissionFlag,
    permissionFlagsAccepted,
    permissionDeniesFsRead: false,
    networkRestricted: false,
    networkProbe: "not tried (no permission model)",
    networkFlag: undefined,
    killAllowed: false,
    allowFlags,
    allowFlagsInHelp,
    addonsBlocked: false,
    wasiBlocked: false,
    ffi: {
      availableByDefault: false,
      enableFlag: undefined,
      disableFlag: undefined,
      blockedByPermission: undefined,
      probe: undefined,
    },
  };

  const ffi = probeFfiModule(execPath);
  features.ffi = ffi.features;
  if (!permissionFlag) return features;

  const tmp = mkdtempSync(path.join(tmpdir(), "pgbook-node-features-"));
  const server = loopbackServer(tmp);
  const victim = victimProcess();
  try {
    const allowed = path.join(tmp, "allowed");
    mkdirSync(allowed);
    const inside = path.join(allowed, "inside.txt");
    const outside = path.join(tmp, "outside.txt");
    writeFileSync(inside, "in");
    writeFileSync(outside, "out");
    const port = String(server?.port ?? 1);
    const flags = [
      permissionFlag,
      `--allow-fs-read=${allowed}/*`,
      ...(ffi.features.enableFlag ? [ffi.features.enableFlag] : []),
    ];
    const r = json<Confined>(execPath, flags, CONFINED_CODE, [inside, outside, port, String(victim?.pid ?? 0), LIBC]);
    features.permissionDeniesFsRead = r?.inside === "read" && r.outside === "ERR_ACCESS_DENIED";
    features.networkProbe = r?.net ?? "no answer";
    features.networkRestricted = features.networkProbe === "ERR_ACCESS_DENIED";
    features.killAllowed = r?.kill === "sent" && !!victim?.ended();
    features.addonsBlocked = r?.addon === "ERR_DLOPEN_DISABLED" || r?.addon === "ERR_ACCESS_DENIED";
    features.wasiBlocked = r?.wasi === "ERR_ACCESS_DENIED";
    if (ffi.loads) {
      const p = r ? (r.open ?? `module: ${r.require}`) : "no answer";
      features.ffi.probe = p;
      // Denied means: the same library opened without the permission model, and not with it.
      features.ffi.blockedByPermission = ffi.opened
        ? p === "ERR_ACCESS_DENIED"
        : p === "ERR_ACCESS_DENIED"
          ? true
          : undefined;
    }
    if (features.networkRestricted) {
      for (const f of allowFlagsInHelp.filter((x) => /net/.test(x))) {
        const granted = json<{ net: string }>(execPath, [permissionFlag, f], NET_CODE, [port])?.net;
        if (granted && granted !== "ERR_ACCESS_DENIED") {
          features.networkFlag = f;
          break;
        }
      }
    }
  } finally {
    server?.stop();
    victim?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return features;
}

const LIBC = "libc.so.6";

/** Whether `node:ffi` loads without flags, with an enabling flag, and not with the disabling one. */
function probeFfiModule(execPath: string): { features: FfiFeatures; loads: boolean; opened: boolean } {
  const loads = (r: FfiRun | undefined) => r?.require === "ok" || r?.builtin === "ok";
  const plain = json<FfiRun>(execPath, [], FFI_CODE, [LIBC]);
  const availableByDefault = loads(plain);
  let enableFlag: string | undefined;
  let enabled = plain;
  if (!availableByDefault && accepts(execPath, ["--experimental-ffi"])) {
    const r = json<FfiRun>(execPath, ["--experimental-ffi"], FFI_CODE, [LIBC]);
    if (loads(r)) {
      enableFlag = "--experimental-ffi";
      enabled = r;
    }
  }
  let disableFlag: string | undefined;
  if (
    (availableByDefault || enableFlag) &&
    accepts(execPath, ["--no-experimental-ffi"]) &&
    !loads(json<FfiRun>(execPath, ["--no-experimental-ffi"], FFI_CODE, [LIBC]))
  )
    disableFlag = "--no-experimental-ffi";
  return {
    features: { availableByDefault, enableFlag, disableFlag, blockedByPermission: undefined, probe: undefined },
    loads: availableByDefault || !!enableFlag,
    opened: enabled?.open === "opened",
  };
}
