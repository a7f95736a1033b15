#!/usr/bin/env node
/**
 * The `pgbook` command: `pgbook <command> [options]` checks the command's options (the table in
 * ./commands.mjs), then runs its TypeScript script under tsx in a child process, in the caller's folder,
 * and exits with the script's code. `pgbook --help`, `pgbook <command> --help` and `pgbook --version` print
 * to stdout and exit 0. Usage errors go to stderr: no command, an unknown command and an unknown option each
 * have their own message; they exit 2 (a command's options: its own usage code, 3 for grade and bundle).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { COMMANDS, SYNOPSIS, commandHelp, findCommand, overview, parseOptions, usageLine } from "./commands.mjs";

/** The package's root: the book's clone, or node_modules/pgbook of an installed package. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const version = () => JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

/** A usage error: the message, then a pointer to the help, on stderr; returns the exit code. */
function usageError(message, code, hint = "pgbook --help lists the commands") {
  process.stderr.write(`${message}\n${hint}\n`);
  return code;
}

// A reader that stops early (`pgbook --help | head`) is no error.
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(0);
});

/** Text for stdout; exit code 0. */
function print(text) {
  process.stdout.write(`${text}\n`);
  return 0;
}

/** parseArgs' message without its advice on positionals that begin with "-". */
const parseProblem = (e) => e.message.replace(/\. To specify a positional argument.*$/s, "");

/** Are a and b one edit apart (a letter inserted, dropped, changed, or two neighbours swapped)? */
function oneEditApart(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return (
    swapped ||
    [a.slice(i + 1) === b.slice(i + 1), a.slice(i + 1) === b.slice(i), a.slice(i) === b.slice(i + 1)].some(Boolean)
  );
}

/** The command a mistyped name probably meant: one edit away, or the only one it begins. */
function closest(name) {
  const starts = COMMANDS.filter((c) => c.name.startsWith(name));
  return COMMANDS.find((c) => oneEditApart(c.name, name))?.name ?? (starts.length === 1 ? starts[0].name : undefined);
}

/** Run `script` under tsx with `args`; exit as it exits (a signal that ended it ends this process too). */
function run(script, args) {
  const tsx = import.meta.resolve("tsx");
  const child = spawn(process.execPath, ["--import", tsx, script, ...args], { stdio: "inherit" });
  // Ctrl-C reaches the whole process group: let the script handle it and report its own exit code.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  const forward = (signal) => child.kill(signal);
  for (const s of ["SIGTERM", "SIGHUP"]) process.on(s, forward);
  child.on("error", (e) => {
    process.stderr.write(`pgbook: cannot start ${script}: ${e.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

/**
 * `pgbook` on `argv`: the exit code of a help, version or usage error, or undefined when a command's
 * script was started (the process then exits as the script does).
 */
function main(argv) {
  // pgbook's own options come before the command; everything after the command is the command's.
  const at = argv.findIndex((a) => !a.startsWith("-"));
  let global;
  try {
    global = parseArgs({
      args: at < 0 ? argv : argv.slice(0, at),
      options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      strict: true,
    }).values;
  } catch (e) {
    return usageError(`pgbook: ${parseProblem(e)}`, 2);
  }
  if (global.version) return print(version());
  // `pgbook --help` and `pgbook help` print the overview; `pgbook --help <command>`, `pgbook help <command>` its help.
  let helpFor; // undefined: no help asked for; null: the overview; else a command's name
  if (global.help) helpFor = at < 0 ? null : argv[at];
  else if (argv[at] === "help") helpFor = argv[at + 1] ?? null;
  if (helpFor !== undefined) {
    const wanted = helpFor === null ? undefined : findCommand(helpFor);
    if (helpFor !== null && !wanted) return usageError(`pgbook help: unknown command '${helpFor}'`, 2);
    return print(wanted ? commandHelp(wanted) : overview(version()));
  }
  if (at < 0) return usageError(`pgbook: no command given\n${SYNOPSIS.join("\n")}`, 2);

  const name = argv[at];
  const command = findCommand(name);
  if (!command) {
    const guess = closest(name);
    return usageError(`pgbook: unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ""}`, 2);
  }
  const args = argv.slice(at + 1);
  let values;
  try {
    ({ values } = parseArgs({ args, options: parseOptions(command), allowPositionals: true, strict: true }));
  } catch (e) {
    const message = `pgbook ${name}: ${parseProblem(e)}\n${usageLine(command)}`;
    return usageError(message, command.usageExit, `pgbook ${name} --help lists its options`);
  }
  if (values.help) return print(commandHelp(command));
  const missing = (command.needs ?? []).filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length)
    return usageError(
      `pgbook ${name}: a command of the book's clone, not of the installed package (missing here: ${missing.join(", ")})`,
      2,
      `in a clone of the book's repository: npm ci, then npx pgbook ${name}`,
    );
  run(path.join(ROOT, command.script), args);
  return undefined;
}

const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
