// Attack: asks V8 for a heap snapshot near the heap limit (v8.setHeapSnapshotNearHeapLimit), then runs out of heap in exactPolicyGradient: Node writes Heap.*.heapsnapshot — as large as the heap — natively into the child's working directory (at the first commit the grader's: the repository root), past the permission model's write ban.
import v8 from "node:v8";
export * from "./correct.ts";

try {
  v8.setHeapSnapshotNearHeapLimit(1);
} catch {
  /* refused */
}

export function exactPolicyGradient(_theta: Float64Array, _r: Float64Array): Float64Array {
  const keep: { x: number[] }[] = [];
  for (;;) keep.push({ x: new Array(1000).fill(keep.length + 0.5) });
}
