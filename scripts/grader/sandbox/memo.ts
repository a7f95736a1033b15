/**
 * Single calls (`impl.fn(...args)`), answered from a cache when the same arguments were seen before.
 * Contract functions are pure, so a call without a stream is answered by content: exact checks and
 * enumerations repeat calls a lot. The first call of each argument list runs in the sandbox with all
 * its checks, and a non-finite result is not cached, so that every test meeting it records it.
 *
 * State of this part only: the cache.
 */
import type { Batcher } from "./batcher.ts";
import type { TestNotes } from "./notes.ts";

const MEMO_LIMIT = 200_000;

/** A content key for an argument list of plain data, or undefined (a stream, or too large to key). */
export function memoKey(fn: string, args: unknown[]): string | undefined {
  const parts: string[] = [fn];
  let budget = 4096;
  const walk = (v: unknown, depth: number): boolean => {
    if (--budget < 0 || depth > 6) return false;
    if (typeof v === "number") return (parts.push(Object.is(v, -0) ? "-0" : String(v)), true);
    if (typeof v === "string") return (parts.push(JSON.stringify(v)), true);
    if (typeof v === "boolean" || v === undefined || v === null) return (parts.push(String(v)), true);
    if (ArrayBuffer.isView(v)) {
      const x = v as unknown as ArrayLike<number>;
      budget -= x.length;
      if (budget < 0) return false;
      parts.push(`${v.constructor.name}[${Array.prototype.join.call(x, ",")}]`);
      return true;
    }
    if (Array.isArray(v)) {
      parts.push("[");
      for (const x of v) if (!walk(x, depth + 1)) return false;
      parts.push("]");
      return true;
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      parts.push("{");
      for (const [k, x] of Object.entries(v)) {
        parts.push(JSON.stringify(k));
        if (!walk(x, depth + 1)) return false;
      }
      parts.push("}");
      return true;
    }
    return false;
  };
  for (const a of args) if (!walk(a, 0)) return undefined;
  return parts.join("|");
}

export class MemoCalls {
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly batcher: Batcher,
    private readonly notes: TestNotes,
  ) {}

  /** `fn(...args)` through the child, or a copy of the result the same arguments had before. */
  call(fn: string, args: unknown[]): unknown {
    this.notes.called(fn);
    const key = memoKey(fn, args);
    if (key !== undefined && this.memo.has(key)) return structuredClone(this.memo.get(key));
    this.notes.resetNonFinite();
    const v = this.batcher.callMany(fn, [args])[0];
    if (key !== undefined && !this.notes.sawNonFinite) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, structuredClone(v));
    }
    return v;
  }
}
