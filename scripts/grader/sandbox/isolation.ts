/**
 * How the child that holds student code is isolated, in layers, each probed on this machine:
 *
 * - `namespaces`: bubblewrap (`bwrap`), started as the unprivileged sandbox uid, gives the child its
 *   own user, network (none), pid, mount, ipc and uts namespaces and a read-only view of only its
 *   bundle and its two named pipes (no /tmp, no /proc of the host, no other file of the machine
 *   besides /usr and /lib);
 * - `uid`: the child runs as an unprivileged uid of its own (one per concurrent grading, so the
 *   process limit counts per grading), which cannot signal the grader or read its files;
 * - `rlimits`: `prlimit` caps processes and threads, CPU seconds, file size (0: no file can be
 *   written, named pipes still work) and core dumps;
 * - `permission-model`: Node's permission model (reads only the bundle, writes only its reply pipe,
 *   no child processes, workers, addons or WASI), with `permission-network` where the Node release's
 *   permission model also restricts the network.
 *
 * Memory is kept by the helper's resident-memory watchdog (RLIMIT_AS breaks V8). Default Docker
 * (Gradescope) has no user namespaces: there the layers fall back to uid + rlimits + permission
 * model, and the report says so; `--require-isolation` refuses to grade without every layer.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const LAYERS = ["namespaces", "uid", "rlimits", "permission-model", "permission-network"] as const;
export type Layer = (typeof LAYERS)[number];

/** Every layer a grading needs for `--require-isolation` (the network is kept by the namespaces or by the permission model). */
export const REQUIRED: Layer[] = ["namespaces", "uid", "rlimits", "permission-model"];

export interface Isolation {
  /** The layers active for this grading, in the order above. */
  layers: Layer[];
  /** Why each missing layer is missing. */
  missing: Partial<Record<Layer, string>>;
  bwrap?: string;
  prlimit?: string;
  uid?: number;
  gid?: number;
  /** The Node binary the child runs, and its permission-model flag (`--permission` or `--experimental-permission`). */
  node: string;
  permissionFlag?: string;
  /** The permission model's network restriction, when the release has one. */
  networkFlag?: string;
  /** Options that switch off APIs reaching native code, where the release has them (Node 26: `--no-experimental-ffi`). */
  hardening?: string[];
}

/** Limits set with prlimit on the child (per process; RLIMIT_NPROC counts the uid's threads). */
export const RLIMITS = { nproc: 256, fsize: 0, core: 0 } as const;

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":").concat(["/usr/bin", "/bin", "/usr/sbin"])) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** The permission-model flag `node` accepts, found by running it (Node 20: only the experimental one; 24+: only `--permission`). */
export function permissionFlagOf(node: string): string | undefined {
  for (const flag of ["--permission", "--experimental-permission"]) {
    const p = spawnSync(node, [flag, "-e", "0"], { encoding: "utf8", env: { NODE_NO_WARNINGS: "1" }, timeout: 20_000 });
    if (p.status === 0) return flag;
  }
  return undefined;
}

/** The permission model's network flag, when the release has one that really denies a connection to 127.0.0.1. */
export function networkFlagOf(node: string, permissionFlag: string | undefined): string | undefined {
  if (!permissionFlag) return undefined;
  const help = spawnSync(node, ["--help"], { encoding: "utf8", timeout: 20_000 }).stdout ?? "";
  if (!/--allow-net\b/.test(help)) return undefined;
  // with the permission model on and no --allow-net, a connection must be denied, not attempted
  const code = `const s=require("net").connect(9,"127.0.0.1");s.on("error",e=>{console.log(e.code);process.exit(0)});`;
  const p = spawnSync(node, [permissionFlag, "-e", code], {
    encoding: "utf8",
    env: { NODE_NO_WARNINGS: "1" },
    timeout: 20_000,
  });
  return /ERR_ACCESS_DENIED/.test(p.stdout + p.stderr) ? "(no --allow-net)" : undefined;
}

/** Read-only binds that make a Node binary and its libraries visible inside bubblewrap. */
function systemBinds(node: string): string[] {
  const out: string[] = [];
  for (const d of ["/usr", "/lib", "/lib64", "/lib32"]) if (existsSync(d)) out.push("--ro-bind", d, d);
  if (!node.startsWith("/usr/")) out.push("--ro-bind", node, node);
  return out;
}

/** The bubblewrap arguments up to (not including) the command. */
export function bwrapArgs(node: string, binds: [string, string, "ro" | "rw"][], chdir = "/box"): string[] {
  const args = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--clearenv",
    "--setenv",
    "NODE_NO_WARNINGS",
    "1",
  ];
  args.push(...systemBinds(node));
  for (const [from, to, mode] of binds) args.push(mode === "ro" ? "--ro-bind" : "--bind", from, to);
  args.push("--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--chdir", chdir);
  return args;
}

/** Run a probe command as `uid`: true when it exits 0. */
function runsAs(cmd: string, args: string[], uid?: number, gid?: number): { ok: boolean; why: string } {
  const p = spawnSync(cmd, args, {
    encoding: "utf8",
    timeout: 20_000,
    cwd: "/",
    ...(uid !== undefined ? { uid, gid } : {}),
  });
  if (p.error) return { ok: false, why: p.error.message };
  return p.status === 0
    ? { ok: true, why: "" }
    : { ok: false, why: (p.stderr || p.stdout || `exit ${p.status}`).trim().slice(0, 300) };
}

const probed = new Map<string, Isolation>();

/**
 * Which layers work here, for a child run by `node` as `uid` (probed once per process and uid).
 * Each layer is tried for real: bubblewrap starts `node -e 0` as the uid in fresh namespaces.
 */
export function probeIsolation(node = process.execPath, uid?: number, gid = uid): Isolation {
  const key = `${node}:${uid}:${process.env.PGBOOK_SANDBOX_LAYERS_OFF ?? ""}`;
  const seen = probed.get(key);
  if (seen) return seen;
  const missing: Isolation["missing"] = {};
  const layers: Layer[] = [];
  // PGBOOK_SANDBOX_LAYERS_OFF=namespaces,uid,rlimits shows what a platform without them gets (tests, audits)
  const off = new Set((process.env.PGBOOK_SANDBOX_LAYERS_OFF ?? "").split(",").filter(Boolean));
  const offWhy = "turned off by PGBOOK_SANDBOX_LAYERS_OFF";
  const root = process.getuid?.() === 0;
  const useUid = root && uid !== undefined && !off.has("uid") ? uid : undefined;
  if (useUid !== undefined) layers.push("uid");
  else
    missing.uid = off.has("uid")
      ? offWhy
      : root
        ? "no sandbox uid was allocated"
        : "the grader does not run as root, so it cannot start the child as another user";
  const bwrap = off.has("namespaces") ? undefined : which("bwrap");
  let bwrapOk = false;
  if (!bwrap)
    missing.namespaces = off.has("namespaces")
      ? offWhy
      : "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)";
  else {
    const r = runsAs(
      bwrap,
      [...bwrapArgs(node, [], "/"), node, "-e", "0"],
      useUid,
      useUid === undefined ? undefined : gid,
    );
    bwrapOk = r.ok;
    if (!r.ok)
      missing.namespaces = `bubblewrap cannot create namespaces here (${r.why}); inside a container without user namespaces this is expected`;
  }
  if (bwrapOk) layers.unshift("namespaces");
  const prlimit = off.has("rlimits") ? undefined : which("prlimit");
  if (prlimit && runsAs(prlimit, ["--nproc=256", "--fsize=0", "--", node, "-e", "0"]).ok) layers.push("rlimits");
  else
    missing.rlimits = off.has("rlimits")
      ? offWhy
      : prlimit
        ? "prlimit did not start a process"
        : "prlimit (util-linux) is not installed";
  const permissionFlag = permissionFlagOf(node);
  if (permissionFlag) layers.push("permission-model");
  else missing["permission-model"] = `${node} accepts neither --permission nor --experimental-permission`;
  const networkFlag = networkFlagOf(node, permissionFlag);
  if (networkFlag) layers.push("permission-network");
  else
    missing["permission-network"] = bwrapOk
      ? "not needed: the network namespace has no network"
      : "this Node release's permission model does not restrict the network";
  // node:ffi (Node 26) calls into C libraries: the permission model denies it, and it is switched off too
  const hardening = ["--no-experimental-ffi"].filter(
    (f) => spawnSync(node, [f, "-e", "0"], { timeout: 20_000, env: { NODE_NO_WARNINGS: "1" } }).status === 0,
  );
  const iso: Isolation = {
    layers,
    missing,
    node,
    permissionFlag,
    networkFlag,
    hardening,
    ...(bwrapOk ? { bwrap } : {}),
    ...(layers.includes("rlimits") ? { prlimit } : {}),
    ...(useUid !== undefined ? { uid: useUid, gid } : {}),
  };
  probed.set(key, iso);
  return iso;
}

/** The layers that `--require-isolation` needs and that are missing, with the reasons. */
export function missingRequired(iso: Isolation): string[] {
  return REQUIRED.filter((l) => !iso.layers.includes(l)).map((l) => `${l}: ${iso.missing[l] ?? "unavailable"}`);
}

/** One line for reports: which layers were active, and why the others were not. */
export function isolationLine(iso: Isolation): string {
  const off = LAYERS.filter((l) => !iso.layers.includes(l)).map((l) => `${l} (${iso.missing[l] ?? "off"})`);
  return `isolation: ${iso.layers.join(", ") || "none"}${off.length ? `; not active: ${off.join("; ")}` : ""}`;
}

/** The first uid of the range the grader uses for sandboxes (one per concurrent grading). */
export const UID_BASE = 62_000;
const UID_SLOTS = 500;

/**
 * Take a free sandbox uid for this grading: a lock file per uid in the temp folder, holding the
 * owner's pid; a lock whose owner is gone is taken over. Returns undefined when not root.
 */
export function acquireUid(): { uid: number; release: () => void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = path.join(tmpdir(), "pgbook-uids");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let i = 0; i < UID_SLOTS; i++) {
    const uid = UID_BASE + ((process.pid + i) % UID_SLOTS);
    const lock = path.join(dir, String(uid));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock, "wx", 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return { uid, release: () => rmSync(lock, { force: true }) };
      } catch {
        const owner = Number(readFileSync(lock, { encoding: "utf8", flag: "r" }).trim() || "0");
        let alive: boolean;
        try {
          alive = owner > 0 && process.kill(owner, 0);
        } catch {
          alive = false;
        }
        if (alive) break;
        rmSync(lock, { force: true });
      }
    }
  }
  return undefined;
}

/**
 * Kill every process of the sandbox uid: whatever a grading started in its sandboxes, whichever
 * session or namespace it is in (bubblewrap starts a session of its own, and a change of uid clears
 * the parent-death signal). The uid is the grading's own, so nothing else is touched. Returns the
 * number of processes signalled.
 */
export function killUid(uid: number | undefined): number {
  if (uid === undefined || uid < UID_BASE || process.platform !== "linux") return 0;
  let n = 0;
  for (let round = 0; round < 3; round++) {
    let found = 0;
    for (const e of readdirSync("/proc")) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${e}/status`, "utf8"));
        if (m && Number(m[1]) === uid) {
          process.kill(Number(e), "SIGKILL");
          found++;
        }
      } catch {
        /* gone */
      }
    }
    n += found;
    if (!found) break;
  }
  return n;
}

/** Make a sandbox folder readable (not writable) by the sandbox's group: root-owned, group `gid`. */
export function shareWith(dir: string, files: string[], gid: number | undefined): void {
  if (gid === undefined || process.getuid?.() !== 0) return;
  chownSync(dir, 0, gid);
  chmodSync(dir, 0o710);
  for (const f of files) {
    if (!existsSync(f)) continue;
    chownSync(f, 0, gid);
    chmodSync(f, 0o640);
  }
}
