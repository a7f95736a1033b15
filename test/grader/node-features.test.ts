/**
 * The Node feature probe (scripts/grader/sandbox/node-features.ts) against the running Node: its
 * answers are checked here by starting processes with them, and against what was measured on the
 * pinned releases (scripts/tools/node/with.sh 20|22|24|26 npx vitest run --project tools test/grader).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nodeFeatures, type NodeFeatures } from "../../scripts/grader/sandbox/node-features.ts";

const major = Number(process.versions.node.split(".")[0]);
let f: NodeFeatures;
let tmp: string;

function node(flags: string[], code: string, ...argv: string[]) {
  const r = spawnSync(process.execPath, [...flags, "-e", code, ...argv], {
    encoding: "utf8",
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1" },
  });
  return { status: r.status, out: (r.stdout ?? "").trim(), err: r.stderr ?? "" };
}
const codeOf = (snippet: string) =>
  `try { ${snippet}; console.log("ok"); } catch (e) { console.log(e.code || String(e)); }`;

beforeAll(() => {
  f = nodeFeatures();
  tmp = mkdtempSync(path.join(tmpdir(), "pgbook-features-test-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe(`nodeFeatures() on ${process.version}`, () => {
  test("is cached per binary and names it", () => {
    expect(nodeFeatures()).toBe(f);
    expect(nodeFeatures(process.execPath)).toBe(f);
    expect(f.execPath).toBe(process.execPath);
    expect(f.version).toBe(process.version);
  });

  test("the permission flag is the one this release accepts", () => {
    expect(f.permissionFlag).toBeDefined();
    expect(f.permissionFlagsAccepted[0]).toBe(f.permissionFlag);
    if (major === 20) expect(f.permissionFlagsAccepted).toEqual(["--experimental-permission"]);
    if (major === 22) expect(f.permissionFlagsAccepted).toEqual(["--permission", "--experimental-permission"]);
    if (major >= 24) expect(f.permissionFlag).toBe("--permission");
    // a flag it reports as missing really is refused
    for (const flag of ["--permission", "--experimental-permission"] as const) {
      if (!f.permissionFlagsAccepted.includes(flag)) expect(node([flag], "0").err).toMatch(/bad option/);
    }
  });

  test("the flag starts the permission model: a read outside the allowed folder is denied, inside it works", () => {
    const allowed = path.join(tmp, "allowed");
    mkdirSync(allowed, { recursive: true });
    writeFileSync(path.join(allowed, "in.txt"), "in");
    writeFileSync(path.join(tmp, "secret.txt"), "secret");
    const read = (p: string) =>
      node(
        [f.permissionFlag!, `--allow-fs-read=${allowed}/*`],
        codeOf(`require("node:fs").readFileSync(${JSON.stringify(p)})`),
      );
    expect(read(path.join(allowed, "in.txt")).out).toBe("ok");
    expect(read(path.join(tmp, "secret.txt")).out).toBe("ERR_ACCESS_DENIED");
    // and without the flag the same read works (the denial is the model's)
    expect(
      node([], codeOf(`require("node:fs").readFileSync(${JSON.stringify(path.join(tmp, "secret.txt"))})`)).out,
    ).toBe("ok");
    expect(f.permissionDeniesFsRead).toBe(true);
  });

  test("child processes, workers, addons and WASI are denied under the model; the allow flags exist", () => {
    const perm = [f.permissionFlag!];
    expect(node(perm, codeOf(`require("node:child_process").spawnSync("true")`)).out).toBe("ERR_ACCESS_DENIED");
    expect(node(perm, codeOf(`new (require("node:worker_threads").Worker)("0", { eval: true })`)).out).toBe(
      "ERR_ACCESS_DENIED",
    );
    expect(f.addonsBlocked).toBe(true);
    expect(f.wasiBlocked).toBe(true);
    for (const flag of ["--allow-addons", "--allow-wasi", "--allow-child-process", "--allow-worker"] as const)
      expect(f.allowFlags[flag]).toBe(true);
    expect(f.allowFlagsInHelp).toEqual(
      expect.arrayContaining(["--allow-fs-read", "--allow-fs-write", "--allow-child-process", "--allow-worker"]),
    );
  });

  test("the network: restricted only where a connect to 127.0.0.1 is denied, with the flag that grants it back", () => {
    const connect = (flags: string[]) =>
      node(
        flags,
        `const s = require("node:net").connect(9, "127.0.0.1"); s.on("error", (e) => { console.log(e.code); process.exit(0); }); s.on("connect", () => { console.log("connected"); process.exit(0); });`,
      ).out;
    const under = connect([f.permissionFlag!]);
    expect(f.networkRestricted).toBe(under === "ERR_ACCESS_DENIED");
    if (f.networkRestricted) {
      expect(f.networkFlag).toBeDefined();
      expect(connect([f.permissionFlag!, f.networkFlag!])).not.toBe("ERR_ACCESS_DENIED");
    } else {
      expect(f.networkFlag).toBeUndefined();
      expect(["ECONNREFUSED", "connected"]).toContain(under); // a real attempt was made
    }
    if (major <= 24) expect(f.networkRestricted).toBe(false);
    if (major === 26)
      expect([f.networkRestricted, f.networkFlag, f.networkProbe]).toEqual([true, "--allow-net", "ERR_ACCESS_DENIED"]);
    if (!f.networkRestricted) expect(f.networkProbe).toBe("connected"); // the probe reached its loopback server
  });

  test("signals: the permission model does not stop process.kill of another process", () => {
    expect(f.killAllowed).toBe(true);
  });

  test("FFI: node:ffi, where it exists, is denied under the model and can be removed", () => {
    const load = codeOf(`const m = require("node:ffi"); new m.DynamicLibrary("libc.so.6")`);
    const plain = node(f.ffi.enableFlag ? [f.ffi.enableFlag] : [], load).out;
    if (f.ffi.availableByDefault || f.ffi.enableFlag) {
      expect(plain).toBe("ok");
      expect(f.ffi.blockedByPermission).toBe(true);
      expect(node([f.permissionFlag!, ...(f.ffi.enableFlag ? [f.ffi.enableFlag] : [])], load).out).toBe(
        "ERR_ACCESS_DENIED",
      );
      expect(f.allowFlags["--allow-ffi"]).toBe(true);
      if (f.ffi.disableFlag) expect(node([f.ffi.disableFlag], load).out).toBe("ERR_UNKNOWN_BUILTIN_MODULE");
    } else {
      expect(plain).toBe("ERR_UNKNOWN_BUILTIN_MODULE");
      expect(f.ffi.blockedByPermission).toBeUndefined();
    }
    if (major <= 24) expect(f.ffi.availableByDefault).toBe(false);
    if (major === 26)
      expect(f.ffi).toMatchObject({
        availableByDefault: true,
        disableFlag: "--no-experimental-ffi",
        blockedByPermission: true,
      });
  });

  test("a program that is not Node gets no permission flag", () => {
    const notNode = nodeFeatures("/bin/true");
    expect(notNode.permissionFlag).toBeUndefined();
    expect(notNode.permissionDeniesFsRead).toBe(false);
    expect(notNode.ffi.availableByDefault).toBe(false);
  });
});
