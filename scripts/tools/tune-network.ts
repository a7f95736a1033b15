/**
 * Prints the step-size tuning table of Chapter 4's network (measure/language-models/network-experiments.ts):
 * for each baseline and Adam rate, the episodes each tuning seed needed to reach the target, and the rate
 * with the smallest median. `npx tsx scripts/tools/tune-network.ts` (a few minutes).
 */
import { networkTraining } from "../../src/language-models/network/training.ts";
import { medianEpisodes, NETWORK, tuneStepSizes } from "../../measure/language-models/network-experiments.ts";

const start = Date.now();
const rows = tuneStepSizes(networkTraining, (r) =>
  console.log(
    `${r.baseline.padEnd(11)} rate ${r.rate.toExponential(0).padEnd(6)} episodes ${r.episodes.map((e) => e ?? "—").join(", ")}`,
  ),
);
for (const b of ["none", "rloo", "normalized"] as const) {
  const mine = rows.filter((r) => r.baseline === b);
  const best = mine.reduce((x, y) => (medianEpisodes(y.episodes) < medianEpisodes(x.episodes) ? y : x));
  const used = NETWORK.stepSize[b];
  console.log(
    `${b}: best rate ${best.rate} (median ${medianEpisodes(best.episodes)}); NETWORK.stepSize uses ${used}${best.rate === used ? "" : "  ← differs"}`,
  );
}
console.log(`${((Date.now() - start) / 1000).toFixed(0)} s`);
