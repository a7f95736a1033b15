/**
 * Tooling tests of the `pgbook` command (scripts/cli/pgbook.mjs): help and version on stdout with exit 0,
 * each usage error with its own message on stderr and its exit code, the command table against the
 * options each script really parses, and signals reaching the command's script.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../scripts/cli/commands.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(root, "scripts/cli/pgbook.mjs");

/** `pgbook <args>` as a process: exit code, stdout, stderr (each distinct command line run once). */
const runs = new Map<string, { code: number | null; out: string; err: string }>();
function pgbook(...args: string[]) {
  const key = JSON.stringify(args);
  if (!runs.has(key)) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
    runs.set(key, { code: r.status, out: r.stdout, err: r.stderr });
  }
  return runs.get(key)!;
}

describe("pgbook --help, --version", () => {
  it("pgbook --help prints every command, examples and the exit codes to stdout, exit 0", () => {
    const r = pgbook("--help");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    for (const c of COMMANDS)
      expect(lines.some((l) => l.startsWith(`  ${c.name} `) && l.includes(c.summary.slice(0, 40)))).toBe(true);
    expect(r.out).toMatch(/^examples:$/m);
    expect(r.out).toMatch(/^exit codes:/m);
    expect(pgbook("help").out).toBe(r.out);
    expect(pgbook("-h").out).toBe(r.out);
  });

  for (const c of COMMANDS)
    it(`pgbook ${c.name} --help prints its usage, options, examples and exit codes to stdout, exit 0`, () => {
      const r = pgbook(c.name, "--help");
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(r.out.startsWith(`pgbook ${c.name}: `)).toBe(true);
      expect(r.out).toContain(`usage: pgbook ${c.name}`);
      for (const o of Object.keys(c.options)) expect(r.out).toMatch(new RegExp(`^  (-\\w, )?--${o}\\b`, "m"));
      for (const [line] of c.examples) expect(r.out).toContain(`  ${line}`);
      const codes = r.out.slice(r.out.indexOf("exit codes:")).match(/^ {2}(\d) {2}/gm);
      expect(codes?.map((s) => Number(s.trim()))).toEqual(c.exits.map(([code]) => code));
      expect(pgbook("help", c.name).out).toBe(r.out);
      expect(pgbook(c.name, "-h").out).toBe(r.out);
    });

  it("every help line fits in 120 columns", () => {
    const texts = [pgbook("--help").out, ...COMMANDS.map((c) => pgbook(c.name, "--help").out)];
    const long = texts.flatMap((t) => t.split("\n")).filter((l) => l.length > 120);
    expect(long).toEqual([]);
  });

  it("pgbook --version prints the package's version, exit 0", () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(pgbook("--version")).toEqual({ code: 0, out: `${version}\n`, err: "" });
    expect(pgbook("-v").out).toBe(`${version}\n`);
  });
});

describe("pgbook's usage errors", () => {
  it("no arguments: the synopsis on stderr, exit 2, nothing on stdout", () => {
    const r = pgbook();
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^pgbook: no command given\nusage: pgbook <command>/);
  });

  it("an unknown command: its own message, with the command it probably meant, exit 2", () => {
    const r = pgbook("gradee", "x");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^pgbook: unknown command 'gradee' \(did you mean 'grade'\?\)\n/);
    expect(r.err).not.toMatch(/no command given/);
    expect(pgbook("garde").err).toMatch(/did you mean 'grade'/); // two letters swapped
    expect(pgbook("frobnicate").err).toMatch(/^pgbook: unknown command 'frobnicate'\n/);
    expect(pgbook("help", "frobnicate").code).toBe(2);
  });

  it("an unknown option of pgbook's own, or of a command: exit 2, or the command's usage code (3 for grade)", () => {
    expect(pgbook("--bogus")).toMatchObject({ code: 2, out: "" });
    const site = pgbook("site", "--bogus");
    expect(site).toMatchObject({ code: 2, out: "" });
    expect(site.err).toMatch(/^pgbook site: Unknown option '--bogus'\nusage: pgbook site /);
    const grade = pgbook("grade", "sub/", "--chapter", "1");
    expect(grade).toMatchObject({ code: 3, out: "" });
    expect(grade.err).toMatch(/^pgbook grade: Unknown option '--chapter'/);
    expect(pgbook("exact", "--theta")).toMatchObject({ code: 2, out: "" }); // a value missing
  });

  it("a command's own exit codes come through: pgbook exact with no file exits 2, with a bad file 1", () => {
    const none = pgbook("exact");
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^pgbook exact: missing the input file\nusage: pgbook exact /);
    const dir = mkdtempSync(path.join(tmpdir(), "pgbook-cli-"));
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ P: [[[1]]], r: [["a"]] }));
    expect(pgbook("exact", bad)).toMatchObject({ code: 1, out: "" });
  });
});

describe("the command table", () => {
  /** The option names of every `parseArgs({ options: { … } })` call in a script, read by the TypeScript parser. */
  function parsedOptions(script: string): string[] {
    const file = path.join(root, script);
    const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const names: string[] = [];
    const visit = (node: ts.Node): void => {
      const [arg] = ts.isCallExpression(node) && node.expression.getText(src) === "parseArgs" ? node.arguments : [];
      const options =
        arg && ts.isObjectLiteralExpression(arg)
          ? arg.properties.find((p) => p.name?.getText(src) === "options")
          : undefined;
      if (options && ts.isPropertyAssignment(options) && ts.isObjectLiteralExpression(options.initializer))
        for (const p of options.initializer.properties) names.push(p.name!.getText(src).replace(/^"|"$/g, ""));
      ts.forEachChild(node, visit);
    };
    visit(src);
    return names.filter((n) => n !== "help");
  }

  for (const c of COMMANDS.filter((c) => c.name !== "exact"))
    // exact parses the table's own options
    it(`pgbook ${c.name} declares exactly the options ${c.script} parses`, () => {
      expect(Object.keys(c.options).sort()).toEqual(parsedOptions(c.script).sort());
    });

  it("the npm scripts run their tools through pgbook", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const c of COMMANDS) {
      const npm = c.name === "bundle" ? "grade:bundle" : c.name;
      expect(scripts[npm]).toBe(`node scripts/cli/pgbook.mjs ${c.name}`);
    }
  });
});

describe("pgbook and its script's process", () => {
  it("a SIGTERM to pgbook ends the command's script too, and pgbook ends by the same signal", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pgbook-signal-"));
    const fifo = path.join(dir, "problem.json");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // pgbook exact blocks reading the FIFO: its script runs under pgbook until a writer sends something
    const p = spawn(process.execPath, [BIN, "exact", fifo], { stdio: "ignore" });
    const ended = new Promise<[number | null, string | null]>((resolve) =>
      p.on("exit", (code, signal) => resolve([code, signal])),
    );
    // opening the write end without blocking succeeds only once the script has the FIFO open for reading
    let writer: number | undefined;
    for (const t0 = Date.now(); writer === undefined && Date.now() - t0 < 60_000;) {
      try {
        writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // ENXIO: no reader yet
      }
    }
    expect(writer).toBeDefined();
    p.kill("SIGTERM");
    expect(await ended).toEqual([null, "SIGTERM"]);
    // the script is gone too: nobody reads the FIFO any more, so a write fails with EPIPE
    await new Promise((r) => setTimeout(r, 200));
    expect(() => writeSync(writer!, "{")).toThrow(/EPIPE/);
    closeSync(writer!);
  });
});
