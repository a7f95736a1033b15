/**
 * A finite MDP as plain, JSON-friendly data (shared by Chapters 2, 3 and 4).
 * `P[s][a][s']` is the probability of moving from state s to s' under action a, and `r[s][a]` the
 * expected reward of taking action a in state s. Validation lives in src/average-return/validate.ts.
 */
export interface Mdp {
  /** Transition probabilities P[s][a][s'], each row a distribution over next states. */
  P: number[][][];
  /** Expected one-step rewards r[s][a]. */
  r: number[][];
  /** Optional names of the states and actions, for messages and figures. */
  stateNames?: string[];
  actionNames?: string[];
}
