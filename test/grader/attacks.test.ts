/**
 * The red team as tests: every submission of ATTACKS (attacks.ts) is graded by the real grader and
 * the outcome asserted — exit code, every check present, the verdicts, wall time, files left behind,
 * bytes that reached listeners on 127.0.0.1 and a Unix socket, secrets in student-visible outputs.
 *
 * Each grading runs as its own process group (`detached`): an attack on "its" group (kill(0)) can then
 * not reach this test runner, and a grading that hangs or was stopped is ended as a whole
 * (SIGKILL to the group, which also ends stopped processes) after a generous outer limit. At most two
 * gradings run at a time; the rows with a time limit run first, one at a time.
 */
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../scripts/grader/report.ts";
import { ATTACKS, FORMATS, NET, SECRET_SEED, SECRET_SEED_GRADING, type Attack } from "./attacks.ts";
import { KEYS, type Key } from "./expected.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = mkdtempSync(path.join(tmpdir(), "pgbook-attacks-"));
const EXAMPLES = path.join(ROOT, "examples/students");
/** PGBOOK_ATTACKS=name,name grades only these rows (the others are skipped); unset: every row and the seed check. */
const ONLY = process.env.PGBOOK_ATTACKS?.split(",").filter(Boolean);
const selected = (name: string) => !ONLY || ONLY.includes(name);
/** Outer limit per grading (the test's own, not the grader's): generous, and longer for slow rows. */
const outerMs = (a: Attack) => Math.max(180, 4 * (a.expect.maxSeconds ?? 0)) * 1000;

interface Outcome {
  exit: number | null;
  signal: string | null;
  seconds: number;
  /** Killed by the test after its outer limit. */
  killed: boolean;
  stdout: string;
  stderr: string;
  dir: string;
  report?: Report;
  /** Files matching the row's noNewFiles that appeared during the grading (removed afterwards). */
  newFiles: string[];
  /** What the listeners received during the grading (attack-network). */
  network?: Received;
}

const outcomes = new Map<string, Outcome>();

/** Run the grader on one submission as its own process group; never rejects. */
function grade(submission: string, args: string[], formats: string, dir: string, limitMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn("npx", ["tsx", "scripts/grader/grade.ts", submission, ...args, "--format", formats, "--out", dir], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    let killed = false;
    let exit: number | null = null;
    let signal: string | null = null;
    let seconds = 0;
    const killGroup = () => {
      try {
        process.kill(-p.pid!, "SIGKILL");
      } catch {
        /* the group is gone */
      }
    };
    const timer = setTimeout(() => {
      killed = true;
      killGroup();
    }, limitMs);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      let report: Report | undefined;
      try {
        report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as Report;
      } catch {
        report = undefined;
      }
      resolve({ exit, signal, seconds, killed, stdout, stderr, dir, report, newFiles: [] });
    };
    p.on("exit", (code, sig) => {
      exit = code;
      signal = sig;
      seconds = (performance.now() - t0) / 1000;
      // whatever of the grading is left in its group (a stopped worker holding our pipes) goes too
      killGroup();
      setTimeout(finish, 3000).unref();
    });
    p.on("close", finish);
    p.on("error", (e) => {
      stderr += String(e);
      finish();
    });
  });
}

// ---------------------------------------------------------------- files left behind

/** Files (and folders) whose name matches `pattern`, under the places a submission might write to. */
function scanFiles(pattern: RegExp, submissionDir: string): Set<string> {
  const found = new Set<string>();
  const skip = new Set(["node_modules", ".git", ".cache"]);
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (pattern.test(e.name)) found.add(p);
      if (depth > 0 && e.isDirectory() && !e.isSymbolicLink() && !skip.has(e.name)) walk(p, depth - 1);
    }
  };
  walk(ROOT, 3);
  walk(submissionDir, 2);
  walk(tmpdir(), 3);
  for (const d of ["/tmp", "/dev/shm", "/var/tmp"]) walk(d, 2);
  walk("/", 0);
  return found;
}

// ---------------------------------------------------------------- listeners for attack-network

interface Received {
  tcp: { connections: number; bytes: number; sample: string };
  udp: { datagrams: number; bytes: number; sample: string };
  unix: { connections: number; bytes: number; sample: string };
  abstract: { connections: number; bytes: number; sample: string };
}
const NOTHING: Received = {
  tcp: { connections: 0, bytes: 0, sample: "" },
  udp: { datagrams: 0, bytes: 0, sample: "" },
  unix: { connections: 0, bytes: 0, sample: "" },
  abstract: { connections: 0, bytes: 0, sample: "" },
};
const received: Received = structuredClone(NOTHING);
const closers: (() => void)[] = [];

function streamServer(
  into: { connections: number; bytes: number; sample: string },
  listen: (s: net.Server) => void,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.createServer((sock) => {
      into.connections++;
      sock.on("data", (d: Buffer) => {
        into.bytes += d.length;
        if (into.sample.length < 400) into.sample += d.toString("utf8", 0, Math.min(d.length, 400));
      });
      sock.on("error", () => undefined);
    });
    s.on("error", (e) =>
      reject(
        new Error(
          `attack-network's listener (${what}) could not be opened: ${e.message} — free it, or change NET in test/grader/attacks.ts and attack-network/index.ts`,
        ),
      ),
    );
    s.on("listening", () => {
      closers.push(() => s.close());
      resolve();
    });
    listen(s);
  });
}

async function openListeners(): Promise<void> {
  await streamServer(received.tcp, (s) => s.listen(NET.tcpPort, NET.host), `TCP ${NET.host}:${NET.tcpPort}`);
  await new Promise<void>((resolve, reject) => {
    const u = dgram.createSocket("udp4");
    u.on("message", (m) => {
      received.udp.datagrams++;
      received.udp.bytes += m.length;
      if (received.udp.sample.length < 400) received.udp.sample += m.toString("utf8", 0, 400);
    });
    u.on("error", (e) =>
      reject(new Error(`attack-network's listener (UDP ${NET.host}:${NET.udpPort}) could not be opened: ${e.message}`)),
    );
    u.bind(NET.udpPort, NET.host, () => {
      closers.push(() => u.close());
      resolve();
    });
  });
  // a socket file left by an earlier run of this test is removed; anything else there is an error
  if (existsSync(NET.unixSocket)) {
    if (!lstatSync(NET.unixSocket).isSocket())
      throw new Error(`${NET.unixSocket} exists and is not a socket: cannot listen there`);
    rmSync(NET.unixSocket);
  }
  await streamServer(received.unix, (s) => s.listen(NET.unixSocket), `Unix socket ${NET.unixSocket}`);
  // connectable by any uid (the sandbox's unprivileged one too), or a refusal would pass for isolation
  chmodSync(NET.unixSocket, 0o777);
  closers.push(() => rmSync(NET.unixSocket, { force: true }));
  await streamServer(received.abstract, (s) => s.listen(NET.abstractSocket), "abstract Unix socket \\0pgbook-attack");
}

// ---------------------------------------------------------------- running the rows

const STUDENT_FILES = ["results.json", "report.html", "report.txt", "junit.xml"];

async function runRow(name: string, a: Attack): Promise<void> {
  const dir = path.join(OUT, name);
  const submissionDir = path.join(EXAMPLES, name);
  const before = a.expect.noNewFiles ? scanFiles(a.expect.noNewFiles, submissionDir) : undefined;
  const net0 = structuredClone(received);
  const o = await grade(`examples/students/${name}`, a.args, FORMATS, dir, outerMs(a));
  if (a.expect.noNetwork) {
    // late packets of this grading still count: give them a moment
    await new Promise((r) => setTimeout(r, 1000));
    o.network = {
      tcp: {
        connections: received.tcp.connections - net0.tcp.connections,
        bytes: received.tcp.bytes - net0.tcp.bytes,
        sample: received.tcp.sample,
      },
      udp: {
        datagrams: received.udp.datagrams - net0.udp.datagrams,
        bytes: received.udp.bytes - net0.udp.bytes,
        sample: received.udp.sample,
      },
      unix: {
        connections: received.unix.connections - net0.unix.connections,
        bytes: received.unix.bytes - net0.unix.bytes,
        sample: received.unix.sample,
      },
      abstract: {
        connections: received.abstract.connections - net0.abstract.connections,
        bytes: received.abstract.bytes - net0.abstract.bytes,
        sample: received.abstract.sample,
      },
    };
  }
  if (before) {
    const after = scanFiles(a.expect.noNewFiles!, submissionDir);
    o.newFiles = [...after].filter((f) => !before.has(f)).sort();
    // they are this test's doing: remove them
    for (const f of o.newFiles) rmSync(f, { recursive: true, force: true });
  }
  outcomes.set(name, o);
}

let seedGrading: Outcome | undefined;

beforeAll(async () => {
  await openListeners();
  const rows = Object.entries(ATTACKS).filter(([n]) => selected(n));
  const timed = rows.filter(([, a]) => a.expect.maxSeconds !== undefined && a.expect.maxSeconds <= 60);
  const rest = rows.filter((r) => !timed.includes(r));
  // the rows with a wall-time limit alone (a second grading beside them would eat their 2 cores)
  for (const [n, a] of timed) await runRow(n, a);
  const queue = [...rest];
  const lane = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) await runRow(r[0], r[1]);
  };
  const seed = (async () => {
    if (!selected(SECRET_SEED_GRADING.submission)) return;
    seedGrading = await grade(
      `examples/students/${SECRET_SEED_GRADING.submission}`,
      [...SECRET_SEED_GRADING.args],
      SECRET_SEED_GRADING.formats,
      path.join(OUT, "secret-seed"),
      180_000,
    );
  })();
  await Promise.all([lane(), (async () => (await seed, await lane()))()]);
  // what each grading did, for the record (the assertions follow)
  const summary = Object.fromEntries(
    [...outcomes].map(([n, o]) => [
      n,
      {
        exit: o.exit,
        signal: o.signal,
        killedAfterOuterLimit: o.killed,
        seconds: Number(o.seconds.toFixed(1)),
        phases: o.report?.phases,
        isolation: (o.report as { isolation?: { line?: string } } | undefined)?.isolation?.line,
        checks: o.report?.checks.length ?? "no report",
        failed: o.report?.checks
          .filter((c) => c.status !== "passed")
          .map((c) => `${keyOf(c.name) ?? c.name.slice(0, 40)}: ${c.verdict}`),
        newFiles: o.newFiles,
        network: o.network,
      },
    ]),
  );
  writeFileSync(path.join(OUT, "summary.json"), JSON.stringify(summary, null, 2));
  console.log(`attack outcomes (${OUT}/summary.json):\n${JSON.stringify(summary, null, 2)}`);
}, 3_600_000);

afterAll(() => {
  for (const c of closers) c();
});

// ---------------------------------------------------------------- assertions

const keyOf = (name: string) => (Object.keys(KEYS) as Key[]).find((k) => name.includes(KEYS[k]));
const isolationOf = (r: Report | undefined) =>
  (r as { isolation?: { layers?: string[]; line?: string } } | undefined)?.isolation;
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

function describeRun(o: Outcome): string {
  return `exit ${o.exit}${o.signal ? ` (signal ${o.signal})` : ""}, ${o.seconds.toFixed(1)} s${o.killed ? ", killed by the test after its outer limit" : ""}; stderr tail: ${o.stderr.slice(-600)}`;
}

describe("attacks on the grader's runtime", () => {
  for (const [name, { expect: want }] of Object.entries(ATTACKS)) {
    it.skipIf(!selected(name))(
      `${name}: exit ${want.exit.join("|")}, ${want.checks} checks${want.fail ? `, ${Object.keys(want.fail).join("/")} failed` : ""}`,
      () => {
        const o = outcomes.get(name)!;
        const r = o.report;
        const iso = isolationOf(r);
        // the rows' properties that need no report first, so that a missing report still shows them
        if (want.maxSeconds !== undefined)
          expect.soft(o.seconds, `wall time of the grading (${describeRun(o)})`).toBeLessThan(want.maxSeconds);
        if (want.noNewFiles)
          expect.soft(o.newFiles, "files the submission left behind (removed by the test since)").toEqual([]);
        if (want.noNetwork) {
          const layers = iso?.layers ?? [];
          const blocking = layers.includes("namespaces") || layers.includes("permission-network");
          const n = o.network ?? NOTHING;
          const counts = {
            tcp: [n.tcp.connections, n.tcp.bytes],
            udp: [n.udp.datagrams, n.udp.bytes],
            unix: [n.unix.connections, n.unix.bytes],
            abstract: [n.abstract.connections, n.abstract.bytes],
          };
          const samples = JSON.stringify({
            tcp: n.tcp.sample.slice(0, 200),
            udp: n.udp.sample.slice(0, 200),
            unix: n.unix.sample.slice(0, 200),
            abstract: n.abstract.sample.slice(0, 200),
          });
          expect
            .soft(
              counts,
              `[connections or datagrams, bytes] the listeners received from the submission (${samples}); ${iso?.line ?? "report.isolation is missing"} — without the "namespaces" layer (no network namespace) only Node ≥ 25's permission model ("permission-network", no --allow-net) can stop this`,
            )
            .toEqual({ tcp: [0, 0], udp: [0, 0], unix: [0, 0], abstract: [0, 0] });
          expect
            .soft(
              blocking,
              `no network-blocking layer ("namespaces" or "permission-network") in the report: ${iso?.line ?? "report.isolation is missing"}`,
            )
            .toBe(true);
        }
        expect(r, `no report.json was written (${describeRun(o)})`).toBeDefined();
        const osActive = !!iso?.layers && (iso.layers.includes("namespaces") || iso.layers.includes("uid"));
        const allowed = [...want.exit, ...(osActive ? [] : (want.exitWithoutOs ?? []))];
        expect
          .soft(allowed, `exit code of the grader (${describeRun(o)}; ${iso?.line ?? "report.isolation is missing"})`)
          .toContain(o.exit);
        expect.soft(allowed, "report.exitCode").toContain(r!.exitCode);
        expect
          .soft(r!.checks.length, `every check reported: ${r!.checks.map((c) => c.name.slice(0, 50)).join(" · ")}`)
          .toBe(want.checks);
        for (const [k, verdict] of Object.entries(want.fail ?? {}) as [Key, RegExp][]) {
          const c = r!.checks.find((x) => x.name.includes(KEYS[k]));
          expect.soft(c, `check ${k}`).toBeDefined();
          if (!c) continue;
          expect.soft(c.status, `check ${k} must fail (${c.message.slice(0, 300)})`).toBe("failed");
          expect.soft(c.verdict ?? "", `verdict of check ${k}: ${c.message.slice(0, 300)}`).toMatch(verdict);
        }
        if ((want.others ?? "pass") === "pass") {
          for (const c of r!.checks) {
            const k = keyOf(c.name);
            if (k && want.fail?.[k]) continue;
            expect.soft(c.status, `${k ?? c.name} must hold (${c.verdict}: ${c.message.slice(0, 300)})`).toBe("passed");
          }
        }
        const failed = r!.checks.filter((c) => c.status !== "passed");
        if (want.failedVerdicts)
          for (const c of failed)
            expect
              .soft(c.verdict ?? "", `verdict of ${c.name.slice(0, 60)}: ${c.message.slice(0, 200)}`)
              .toMatch(want.failedVerdicts);
        if (want.someVerdict)
          expect
            .soft(
              failed.map((c) => c.verdict),
              `some failed check has a verdict matching ${want.someVerdict}`,
            )
            .toContainEqual(expect.stringMatching(want.someVerdict));
        if (want.maxCheckSeconds !== undefined)
          expect
            .soft(r!.phases?.checks ?? Infinity, `the checks phase (${JSON.stringify(r!.phases)})`)
            .toBeLessThan(want.maxCheckSeconds);
        if (want.secret) {
          for (const f of STUDENT_FILES) {
            const p = path.join(o.dir, f);
            if (existsSync(p))
              expect
                .soft(readFileSync(p, "utf8").includes(want.secret), `${f} shows the secret ${want.secret}`)
                .toBe(false);
          }
          expect.soft(o.stdout.includes(want.secret), "the terminal output shows the secret").toBe(false);
        }
        if (want.oneTotalLine) {
          const totals = stripAnsi(o.stdout)
            .split("\n")
            .filter((l) => /^\s*Total \d/.test(l));
          expect.soft(totals, "the terminal table's Total lines").toHaveLength(1);
        }
      },
    );
  }
});

describe("a secret seed stays with the instructor", () => {
  it.skipIf(!selected(SECRET_SEED_GRADING.submission))(
    `${SECRET_SEED_GRADING.submission} graded with --seed ${SECRET_SEED}: no student-visible output contains it, report.json may`,
    () => {
      const o = seedGrading!;
      expect(o.report, `no report.json (${describeRun(o)})`).toBeDefined();
      expect(o.exit, describeRun(o)).toBe(1);
      for (const f of STUDENT_FILES) {
        const p = path.join(o.dir, f);
        expect.soft(existsSync(p), `${f} was written`).toBe(true);
        if (!existsSync(p)) continue;
        const text = readFileSync(p, "utf8");
        const at = text.indexOf(SECRET_SEED);
        expect.soft(at, `${f} contains the secret seed: …${text.slice(Math.max(0, at - 120), at + 40)}…`).toBe(-1);
      }
      const at = o.stdout.indexOf(SECRET_SEED);
      expect
        .soft(at, `the terminal output contains the secret seed: …${o.stdout.slice(Math.max(0, at - 120), at + 40)}…`)
        .toBe(-1);
    },
  );
});
