/**
 * pgbook's public API, `import { … } from "pgbook"`: the reference implementation of every chapter, plus
 * the seeded random streams. The contract (the chapters' interfaces, function lists and the accuracy owed)
 * is `pgbook/contract`; the measuring tools live apart, in measure/, and `pgbook/measure` exports their
 * statistics (measure/stats/) and tolerant comparisons (measure/close.ts). package.json's "exports" and
 * scripts/tools/build-dist.ts name the three.
 */
export * from "./contract/random.ts";
export * from "./bandits/index.ts";
export * from "./average-return/index.ts";
export * from "./total-return/index.ts";
export * from "./language-models/index.ts";
