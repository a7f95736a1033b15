#!/usr/bin/env node
/**
 * The `pgbook` command: dispatches a subcommand to its TypeScript script, run under tsx.
 *   pgbook exact <problem.json> [--theta <theta.json> | --pi <pi.json>] [--fractions]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const commands = { exact: "exact.ts" };
const [cmd, ...rest] = process.argv.slice(2);
if (!cmd || !(cmd in commands)) {
  process.stderr.write(`usage: pgbook <command> …\ncommands: ${Object.keys(commands).join(", ")}\n`);
  process.exit(cmd === "--help" || cmd === "-h" ? 0 : 2);
}
const script = fileURLToPath(new URL(commands[cmd], import.meta.url));
const tsx = import.meta.resolve("tsx");
const r = spawnSync(process.execPath, ["--import", tsx, script, ...rest], { stdio: "inherit" });
process.exit(r.status ?? 1);
