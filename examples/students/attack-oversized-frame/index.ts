// Attack: in gibbsScore writes into its own reply pipe a frame header announcing a reply of almost 4 GB followed by 8 MB of junk, so that the judging process allocates a 4 GB buffer and waits for it; the grader must refuse the frame (stop the child) without exhausting its own memory.
import { closeSync, openSync, writeSync } from "node:fs";
import * as ok from "./correct.ts";
export * from "./correct.ts";

const replyPipe = process.argv.find((a) => /rep[^/]*\.fifo$/.test(a)) ?? process.argv[3];
let forged = false;

export function gibbsScore(theta: Float64Array, a: number): Float64Array {
  if (!forged && replyPipe) {
    forged = true;
    try {
      const fd = openSync(replyPipe, "w");
      const head = Buffer.alloc(4);
      head.writeUInt32LE(0xfffffff0);
      writeSync(fd, head);
      const junk = Buffer.alloc(1 << 20, 0x41);
      for (let i = 0; i < 8; i++) writeSync(fd, junk);
      closeSync(fd);
    } catch {
      /* denied, or the reader went away */
    }
  }
  return ok.gibbsScore(theta, a);
}
