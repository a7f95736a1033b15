/**
 * Shell quoting for the commands the book and the grader print for people to paste (replay lines).
 * Here, in measure/, so that the specs' support code (spec/support/claim.ts, through measure/replay.ts) and
 * the grader's scripts/ (which never import spec/) share the one primitive; src/ stays the reference library.
 */

/**
 * One POSIX shell word that stands for exactly `s`: wrapped in single quotes, inside which nothing is
 * special, each `'` written as `'\''` (close, escaped quote, reopen). Safe for spaces, `$(…)`,
 * backquotes, globs, newlines. Not for NUL, which no shell argument can hold.
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
