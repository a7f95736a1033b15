/**
 * The sfc32 generator (Chris Doty-Humphrey's Small Fast Counting RNG, 32-bit words), written once for
 * the book's fast stream (`fastStream` of src/contract/random.ts) and the benchmark's testbed loop.
 * The state is four words a, b, c and the counter d, kept in an Int32Array; arithmetic is mod 2^32.
 */

/** A fresh state from three 32-bit seed words (any numbers, taken mod 2^32) and the counter d = 1, 12 outputs discarded. */
export function sfc32State(a: number, b: number, c: number): Int32Array {
  const s = Int32Array.of(a, b, c, 1);
  for (let i = 0; i < 12; i++) sfc32Next(s);
  return s;
}

/**
 * One step: output t = a + b + d, then d ← d + 1, a ← b ⊕ (b ≫ 9), b ← c + (c ≪ 3), c ← rotl(c, 21) + t.
 * Returns t / 2^32, a multiple of 2^-32 in [0, 1).
 */
export function sfc32Next(s: Int32Array): number {
  const b = s[1];
  const c = s[2];
  const t = (s[0] + b + s[3]) | 0;
  s[3] = (s[3] + 1) | 0;
  s[0] = b ^ (b >>> 9);
  s[1] = (c + (c << 3)) | 0;
  s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  return (t >>> 0) / 4294967296;
}
