/** Types of commands.mjs, the table of `pgbook`'s commands. */

/** One option of a command, in parseArgs' terms, with its help. */
export interface CommandOption {
  type: "string" | "boolean";
  /** The value's name in the help ("<file>"), for string options. */
  value?: string;
  short?: string;
  multiple?: boolean;
  /** What it does (wrapped to the help's width). */
  text: string;
}

export interface Command {
  name: string;
  /** The script it runs (under tsx), relative to the package's root. */
  script: string;
  /** One line, for `pgbook --help`. */
  summary: string;
  /** The synopsis after `pgbook <name>`. */
  usage: string;
  options: Record<string, CommandOption>;
  /** What it does, a paragraph of its help (wrapped to the help's width). */
  about: string;
  /** [command line, what it does]. */
  examples: [string, string][];
  /** [exit code, meaning], taken from the script's header. */
  exits: [number, string][];
  /** The code of a usage error (the script's own convention: 3 for the grader's commands, 2 elsewhere). */
  usageExit: number;
  /** Files (relative to the root) it cannot run without: the clone's, absent from the installed package. */
  needs?: string[];
}

export const COMMANDS: Command[];
export function findCommand(name: string): Command | undefined;
export function parseOptions(
  command: Command,
): Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
export function usageLine(command: Command): string;
export function commandHelp(command: Command): string;
export const SYNOPSIS: string[];
export function overview(version: string): string;
