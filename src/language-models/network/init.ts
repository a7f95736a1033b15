/** Initial weights of the network: the usual fan-in scaling, so that every layer starts near unit size. */
import { gaussian, type Rng } from "../../contract/random.ts";
import { type NetShape, netLayout } from "./shape.ts";

/**
 * θ_0 with weight matrices N(0, scale²/cols) (cols = the inputs a row reads), embeddings N(0, scale²) and
 * biases 0; draws in block order, row by row, from `rng`.
 */
export function initNetwork(shape: NetShape, rng: Rng, scale = 1): Float64Array {
  const layout = netLayout(shape);
  const theta = new Float64Array(layout.size);
  for (const b of layout.blocks) {
    if (b.cols === 1) continue; // a bias
    const embedding = b.name === "tokenEmbed" || b.name === "posEmbed";
    const sd = embedding ? scale : scale / Math.sqrt(b.cols);
    for (let i = 0; i < b.rows * b.cols; i++) theta[b.offset + i] = gaussian(rng, 0, sd);
  }
  return theta;
}
