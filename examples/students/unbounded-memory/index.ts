// Hostile: the exact gradient allocates memory without bound.
export * from "./correct.ts";

export function exactPolicyGradient(theta: Float64Array, r: Float64Array): Float64Array {
  const hoard: Float64Array[] = [];
  // Typed arrays live outside the JS heap (the heap limit does not see them; the RSS watchdog does).
  for (;;) hoard.push(new Float64Array(10_000_000).fill(theta.length + r.length));
}
