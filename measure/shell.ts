/**
 * Shell quoting for the commands the book and the grader print for people to paste (replay lines).
 * Here, in spec/support, so that the specs' own support code and scripts/ (which may import
 * spec/support, never the other way round) share the one primitive; src/ stays the reference library.
 */

/**
 * One POSIX shell word that stands for exactly `s`: wrapped in single quotes, inside which nothing is
 * special, each `'` written as `'\''` (close, escaped quote, reopen). Safe for spaces, `$(…)`,
 * backquotes, globs, newlines. Not for NUL, which no shell argument can hold.
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
