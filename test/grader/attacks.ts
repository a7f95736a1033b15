/**
 * The red team's table: submissions in examples/students/attack-* that attack the grader's RUNTIME
 * (signals to the grader's processes, the network, files left behind, secrets, forged protocol
 * frames, time), each with the outcome the hardened grader must give. attacks.test.ts grades every
 * row on the quick hidden specs (test/grader/fixtures/hidden, the checks of KEYS) and asserts it.
 *
 * The hardened grader's layers (scripts/grader/sandbox/isolation.ts; `report.isolation.layers`):
 * "namespaces" (bubblewrap: own user, pid, network, mount namespaces and session, read-only view of
 * the bundle), "uid" (an unprivileged uid per grading), "rlimits" (no file can be written, process
 * caps), "permission-model", "permission-network" (Node ≥ 25 only), plus an outside deadline
 * supervisor and the rule that no check is dropped. An expectation never depends on which layer
 * stopped an attack, only on the outcome — except where stated (`exitWithoutOs`).
 */
import { HIDDEN, KEYS, type Key } from "./expected.ts";

/** The grading every row starts from: the quick hidden specs only, Chapter 1. */
export const QUICK = ["--specs", "none", "--hidden", HIDDEN, "--chapters", "1"];
/** The formats every row is written in (the test adds --out). */
export const FORMATS = "json,gradescope,html,terminal";
/** The quick hidden specs' checks. */
export const QUICK_CHECKS = Object.keys(KEYS).length;
/**
 * The graded checks of the book's spec 1.3 (those that name the functions they exercise; its symbolic
 * oracle's negative controls check the book's tools and are not graded), graded with the quick ones by
 * attack-busy-calls. A check added to 1.3 changes this number: the failing test lists them all.
 */
const SPEC_1_3_CHECKS = 11;

/** Where attack-network sends (fixed: the submission must know them; chosen to collide with nothing). */
export const NET = {
  host: "127.0.0.1",
  tcpPort: 47613,
  udpPort: 47613,
  unixSocket: "/tmp/pgbook-attack.sock",
  abstractSocket: "\0pgbook-attack",
} as const;

/** A secret master seed: no student-visible output may contain it (report.json, the instructor's, may). */
export const SECRET_SEED = "secretword123";

/** The submission's total time limit for the rows that test it (--submission-timeout-ms). */
export const DEADLINE_MS = 20_000;

/** Verdicts the sandbox gives for something the child did to it (a protocol violation has no fixed name yet). */
export const SANDBOX_VERDICT = /^(crash|timeout|output|protocol|oom|deadline|access|import)$/;

export interface Expectation {
  /** Allowed exit codes (of the process and report.exitCode). */
  exit: number[];
  /** Exit codes also allowed when the report says the OS layers ("namespaces", "uid") were not active. */
  exitWithoutOs?: number[];
  /** report.checks.length: never fewer (no check is dropped). */
  checks: number;
  /** Checks (by KEYS) that must fail, each with a verdict matching. */
  fail?: Partial<Record<Key, RegExp>>;
  /** The checks not in `fail`: "pass" (default) — each holds; "any" — each may fail (see failedVerdicts). */
  others?: "pass" | "any";
  /** Every failed check's verdict must match. */
  failedVerdicts?: RegExp;
  /** At least one failed check's verdict must match. */
  someVerdict?: RegExp;
  /** Wall time of the whole grading (spawn to exit), seconds. */
  maxSeconds?: number;
  /** The report's "checks" phase (the specs running against the sandbox), seconds. */
  maxCheckSeconds?: number;
  /**
   * No new file whose name matches, anywhere in the repository (the grader's working directory),
   * the submission folder, the OS temp folder, /dev/shm, /var/tmp or /: listings before and after.
   */
  noNewFiles?: RegExp;
  /** The listeners of NET (TCP, UDP, Unix socket, abstract socket) receive nothing during the grading. */
  noNetwork?: boolean;
  /** No student-visible output (results.json, report.html, report.txt, junit.xml, stdout) contains it. */
  secret?: string;
  /** The terminal output has exactly one "Total …" line (printed text cannot forge the table). */
  oneTotalLine?: boolean;
}

export interface Attack {
  /** Grader arguments after the submission (the test adds --format FORMATS and --out). */
  args: string[];
  expect: Expectation;
}

const ALL_KEYS = Object.keys(KEYS) as Key[];

/**
 * The expectation of a submission that SIGSTOPs the grading: it ends within the deadline plus a few
 * seconds and still reports every check (the two that call sampleAction failed).
 */
const stopped = (): Attack => ({
  args: [...QUICK, "--submission-timeout-ms", String(DEADLINE_MS)],
  expect: {
    exit: [1],
    exitWithoutOs: [1, 3],
    checks: QUICK_CHECKS,
    fail: { sample: /./, update: /./ },
    maxSeconds: 30,
    maxCheckSeconds: DEADLINE_MS / 1000 + 5,
  },
});

export const ATTACKS: Record<string, Attack> = {
  // sampleAction always returns 0 and SIGKILLs its parent on its first call. In its own pid namespace
  // the parent is the namespace's init (immune to signals from inside); as its own uid it may not
  // signal the grader (EPERM); and should a worker die anyway, its checks must be failed, not
  // dropped. sampleAction is wrong, so both checks calling it fail (any verdict); the six before hold.
  // Exit 3 is acceptable only when no OS layer was there to stop the kill (and then with every check of KEYS).
  // At ee3cd59 (before the hardening): the worker died and took its spec file's checks with it — here
  // 0 checks, exit 1; with more spec files the rest were "pending", dropped, and exit 0 was possible.
  "attack-kill-parent": {
    args: QUICK,
    expect: { exit: [1], exitWithoutOs: [1, 3], checks: QUICK_CHECKS, fail: { sample: /./, update: /./ } },
  },

  // The same with SIGSTOP: a stopped worker cannot time itself out (its watchdog thread stops with it),
  // so only a supervisor outside it can; the grading must end within the deadline plus a few seconds
  // and still report every check (the two that call sampleAction failed). At ee3cd59: hung, no
  // report (ended by this test after 180 s).
  "attack-stop-parent": stopped(),

  // kill(-ppid) and kill(0) with SIGKILL: with its own session (bwrap --new-session) and pid namespace
  // the groups it can reach hold only the sandbox; as its own uid it can signal nobody of the grader.
  // At worst the child kills itself (crash, restarted, then "not called again"). sampleAction is wrong,
  // so sample and update fail; the rest hold. At ee3cd59: the grader's whole group died (SIGKILL), no
  // report at all.
  "attack-signal-group": {
    args: QUICK,
    expect: { exit: [1], exitWithoutOs: [1, 3], checks: QUICK_CHECKS, fail: { sample: /./, update: /./ } },
  },

  // SIGSTOP to the same groups: anything in the grader's group (grade.ts, vitest, a supervisor started
  // there) would freeze. The supervisor must sit outside the child's reach; the outcome is that of
  // attack-stop-parent. At ee3cd59: the whole grader froze, no report (ended by this test after 180 s).
  "attack-stop-group": stopped(),

  // The non-destructive stand-in for kill(-1, "SIGKILL") (as root: every process of the machine) and
  // for killing a classmate's grading in a batch: it counts the pids outside its sandbox that signal 0
  // reaches. In its own pid namespace it sees none; as its own uid it may signal none. Nothing
  // reachable, so the submission is correct: exit 0. (Signal 0 also reaches its own threads; SIGURG,
  // ignored by default, tells them apart.) Not run at ee3cd59 (as root it would SIGURG the machine's
  // processes); a probe there could signal every process.
  "attack-signal-scan": {
    args: QUICK,
    expect: { exit: [0], checks: QUICK_CHECKS },
  },

  // A correct submission that tries to send the hidden inputs out (fetch, TCP, UDP, DNS, Unix and
  // abstract sockets; synchronous writes to socket fds during calls) and swallows every refusal.
  // Nothing may arrive: a network namespace has no route to the host's 127.0.0.1, the Unix socket is
  // not in the box's view, abstract sockets belong to the network namespace. Without the
  // "namespaces" layer only Node ≥ 25's permission model ("permission-network") can hold this.
  // At ee3cd59, and now with PGBOOK_SANDBOX_LAYERS_OFF=namespaces: every listener received ~27 KB
  // (TCP 3 connections, UDP 203 datagrams with a DNS query, Unix and abstract socket 1 each).
  "attack-network": {
    args: QUICK,
    expect: { exit: [0], checks: QUICK_CHECKS, noNetwork: true },
  },

  // A correct submission that enables trace events (node.perf, v8): Node's tracing agent writes
  // node_trace.*.log natively, past the permission model. Nothing may appear (read-only view, file
  // size 0, --trace-event-file-pattern). Its calls stay fast, so the checks hold: exit 0.
  // At ee3cd59: node_trace.1.log appeared in the repository root (the child's working directory).
  "attack-trace-events": {
    args: QUICK,
    expect: { exit: [0], checks: QUICK_CHECKS, noNewFiles: /^node_trace\./ },
  },

  // Correct but ~2 ms per call: the book's 1.3 spec plus the quick hidden specs make tens of thousands
  // of calls (minutes of CPU), far past a 20 s deadline. The grading must stop at the deadline — inside
  // a batch of calls too — and end in under 30 s wall time with every check reported (those of 1.3 and the quick ones for the
  // correct submission with these arguments): those that finished in time hold, the rest fail with
  // `deadline` (a call in flight when it passed: `timeout`). At ee3cd59: 101 s (the deadline was
  // looked at only between batches of calls).
  "attack-busy-calls": {
    args: ["--specs", "1.3", "--hidden", HIDDEN, "--chapters", "1", "--submission-timeout-ms", String(DEADLINE_MS)],
    expect: {
      exit: [1],
      checks: SPEC_1_3_CHECKS + QUICK_CHECKS,
      others: "any",
      failedVerdicts: /^(deadline|timeout)$/,
      someVerdict: /^deadline$/,
      maxSeconds: 30,
      maxCheckSeconds: DEADLINE_MS / 1000 + 5,
    },
  },

  // Sets process.report.directory (the OS temp folder), a file name and reportOnFatalError, then runs
  // out of heap in exactPolicyGradient: Node writes the fatal-error report natively, past the
  // permission model, to the chosen path (even over an existing file). The grad check fails with `oom`
  // (or `crash`: the file-size limit's SIGXFSZ); the other seven hold; no file may appear — not even
  // an empty one (with uid + rlimits but no namespaces, /tmp is writable and fsize 0 still creates it).
  // At ee3cd59: /tmp/pgbook-attack-marker-report.json (11 KB) was written.
  "attack-diagnostic-report": {
    args: QUICK,
    expect: {
      exit: [1],
      checks: QUICK_CHECKS,
      fail: { grad: /^(oom|crash|timeout)$/ },
      noNewFiles: /pgbook-attack-marker-report|^report\.\d{8}\.\d{6}\.\d+\.\d+\.\d+\.json$/,
    },
  },

  // setHeapSnapshotNearHeapLimit, then out of heap: V8 writes Heap.*.heapsnapshot (as large as the
  // heap) into the child's working directory, natively. The grad check fails with `oom` or `crash` (or,
  // when a loaded machine makes the garbage collector thrash past the 3 s call limit first, `timeout`);
  // no snapshot may appear outside the grader's own temp folders. At ee3cd59: Heap.*.heapsnapshot in
  // the repository root.
  "attack-heap-snapshot": {
    args: QUICK,
    expect: { exit: [1], checks: QUICK_CHECKS, fail: { grad: /^(oom|crash|timeout)$/ }, noNewFiles: /\.heapsnapshot$/ },
  },

  // A correct submission that tries to leave files (fs writes, mkdir, Unix-socket bind — bind creates
  // a file, and neither Node 20's nor 24's permission model nor a file-size limit of 0 stops it) in its
  // cwd, the temp folder, /dev/shm, /var/tmp and its own folders, at import time and inside a call.
  // Every attempt is swallowed: exit 0, and no file may appear. At ee3cd59: socket files in the
  // repository root, /tmp, /dev/shm and /var/tmp; with namespaces off: in /tmp, /dev/shm, /var/tmp.
  "attack-write-files": {
    args: QUICK,
    expect: { exit: [0], checks: QUICK_CHECKS, noNewFiles: /^pgbook-attack-marker-(import|call)/ },
  },

  // Looks for the grader's secrets (PGBOOK_* variables, the secret seed, the hidden folder) in its
  // environment, /proc (its parent's, pid 1's, every process's) and Node's diagnostic report, and
  // throws them in gibbsPolicy. The child's environment is NODE_NO_WARNINGS alone and its /proc its
  // own: nothing found, the submission is correct (exit 0), and the secret seed it was graded with
  // appears in no student-visible output. At ee3cd59 the child found nothing, but the grader printed the
  // seed in results.json, report.html, report.txt and on the terminal.
  "attack-read-env": {
    args: [...QUICK, "--seed", SECRET_SEED],
    expect: { exit: [0], checks: QUICK_CHECKS, secret: SECRET_SEED },
  },

  // Tries process.binding, the inspector, worker_threads, child_process, native addons, WASI, reading a
  // host file and renicing its parent, and throws in gibbsPolicy the names of those that worked. None
  // may work: exit 0. At ee3cd59, as root, renicing the grader's worker worked.
  "attack-node-apis": {
    args: QUICK,
    expect: { exit: [0], checks: QUICK_CHECKS },
  },

  // Prints a fake marker, a fake all-passed table and a fake vitest JSON result, and in gibbsScore
  // writes an empty frame into its reply pipe before answering. The forged frame is a protocol
  // violation in the score check: that check fails with a sandbox verdict (not a misattributed
  // `assertion`), the child is restarted, and the later checks — correct functions — hold. Printed
  // text is only ever quoted: one real "Total" line. At ee3cd59 and at 5a40ee8: score `assertion`
  // ("Unable to deserialize cloned data"), then every reply one call late: six correct checks failed.
  "attack-forged-frames": {
    args: QUICK,
    expect: { exit: [1], checks: QUICK_CHECKS, fail: { score: SANDBOX_VERDICT }, oneTotalLine: true },
  },

  // gibbsScore throws a message that forges the grader's marker "pgbook-sandbox[deadline]". The verdict
  // is the sandbox's account of what happened — a throw — whatever the message says; the forged
  // marker must not turn the student's own failure into the grader's time limit.
  "attack-forged-verdict": {
    args: QUICK,
    expect: { exit: [1], checks: QUICK_CHECKS, fail: { score: /^throw$/ } },
  },

  // A reply header announcing ~4 GB, then 8 MB of junk: the judge must refuse the frame (a size cap,
  // then stop the child) rather than allocate it; the score check fails with a sandbox verdict, the
  // rest hold. At ee3cd59 and at 5a40ee8: the 4 GB buffer was allocated, readSync's length overflowed
  // (RangeError, `assertion`), and the junk left in the pipe became the next header (0x41414141 ≈ 1 GB):
  // the step check timed out.
  "attack-oversized-frame": {
    args: QUICK,
    expect: { exit: [1], checks: QUICK_CHECKS, fail: { score: SANDBOX_VERDICT } },
  },

  // `for (;;) await null` at import time: the module never loads. Every check fails with `import`
  // (or `timeout`: the start-up limit), all are reported, within a bounded time.
  // sampleAction hands back its stream in a state of its choosing (all zeros), which the judge would
  // restore into the spec's own stream: the submission would choose the spec's later draws. The judge
  // accepts only a state its stream reaches by drawing, so the sampler's checks fail with `output`.
  "attack-rng-state": {
    args: QUICK,
    expect: { exit: [1], checks: QUICK_CHECKS, fail: { sample: /^output$/, update: /^output$/ } },
  },

  "attack-tla-loop": {
    args: QUICK,
    expect: {
      exit: [1],
      checks: QUICK_CHECKS,
      fail: Object.fromEntries(ALL_KEYS.map((k) => [k, /^(import|timeout)$/])),
      maxSeconds: 90,
    },
  },
};

/**
 * Not an attack but the same concern: a failing example graded with a secret seed. No student-visible
 * output may contain the seed (Gradescope results.json, report.html, report.txt, junit.xml, stdout);
 * report.json, the instructor's, may.
 */
export const SECRET_SEED_GRADING = {
  submission: "score-without-pi",
  args: [...QUICK, "--seed", SECRET_SEED],
  formats: "json,gradescope,html,terminal,junit",
} as const;
