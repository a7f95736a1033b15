/**
 * The Web Worker that redraws a live figure at a reader's settings (figure-draw.ts), one request at a time;
 * the page terminates a worker whose answer it no longer wants. Its source reaches the page as a string
 * (figure-assets.ts) and it starts from a Blob of it, which also works from file://.
 */
import { drawRequest } from "./figure-draw.ts";
import type { FigureReply, FigureRequest } from "./figure-protocol.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: { data: FigureRequest }) => void) | null;
  postMessage(m: FigureReply): void;
};

scope.onmessage = (e) => {
  const r = e.data;
  const t0 = performance.now();
  drawRequest(r).then(
    (svg) => scope.postMessage({ seq: r.seq, svg, ms: performance.now() - t0 }),
    (err: unknown) => scope.postMessage({ seq: r.seq, error: err instanceof Error ? err.message : String(err) }),
  );
};
