/** The network's two training stages as one object, for the experiments that are handed a trainer (measure/). */
import { initNetwork } from "./init.ts";
import { pretrain } from "./pretrain.ts";
import { netReinforce } from "./reinforce.ts";

export const networkTraining = { initNetwork, pretrain, netReinforce };
export type NetworkTraining = typeof networkTraining;
