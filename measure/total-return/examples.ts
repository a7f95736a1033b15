/** The chapter's small episodic examples (plain data, small enough to enumerate every episode). */
import type { EpisodicProblem } from "../../src/total-return/types.ts";

/**
 * Repeated choice: one state, two actions paying 1 and 0, three decisions. Later rewards say nothing
 * about earlier actions, so weighting an early step by them (the full return) only adds noise.
 */
export function repeatedChoice(T = 3): EpisodicProblem {
  return {
    mdp: { P: [[[1], [1]]], r: [[1, 0]], stateNames: ["s"], actionNames: ["pay", "skip"] },
    horizon: T,
    initial: [1],
  };
}

/**
 * Stop or play: in state "playing", "play" pays 0.5 and keeps playing, "stop" pays 1 and ends the
 * episode in the absorbing state "done". Early on, playing is worth more (0.5 for each step left);
 * at the last step, stopping is. The action value depends on the time left: the horizon matters.
 */
export function stopOrPlay(T = 4): EpisodicProblem {
  return {
    mdp: {
      P: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0, 1],
          [0, 1],
        ],
      ],
      r: [
        [0.5, 1],
        [0, 0],
      ],
      stateNames: ["playing", "done"],
      actionNames: ["play", "stop"],
    },
    horizon: T,
    initial: [1, 0],
    terminal: [1],
  };
}

/**
 * An answer checked at the end (the shape of Section 3.2): each step emits a bit, and the episode pays 1
 * at its last step only if every bit matches the target (default 1, 0, 1). States track the step and
 * whether the answer is still on track: on_0 … on_{n−1}, off_1 … off_{n−1}, and the absorbing "end".
 * Only R_T can be non-zero.
 */
export function checkedAnswer(target: number[] = [1, 0, 1]): EpisodicProblem {
  const n = target.length;
  const S = 2 * n; // on_0..on_{n-1} = 0..n-1, off_k = n-1+k for k = 1..n-1, end = 2n-1
  const end = S - 1;
  const on = (k: number) => k;
  const off = (k: number) => n - 1 + k;
  const to = (s: number) => Array.from({ length: S }, (_, k) => (k === s ? 1 : 0));
  const P: number[][][] = [];
  const r: number[][] = [];
  for (let k = 0; k < n; k++) {
    P.push([0, 1].map((a) => to(k === n - 1 ? end : a === target[k] ? on(k + 1) : off(k + 1))));
    r.push([0, 1].map((a) => (k === n - 1 && a === target[k] ? 1 : 0)));
  }
  for (let k = 1; k < n; k++) {
    P.push([0, 1].map(() => to(k === n - 1 ? end : off(k + 1))));
    r.push([0, 0]);
  }
  P.push([to(end), to(end)]);
  r.push([0, 0]);
  const names = [...target.map((_, k) => `on${k}`), ...target.slice(1).map((_, k) => `off${k + 1}`), "end"];
  return { mdp: { P, r, stateNames: names, actionNames: ["0", "1"] }, horizon: n, initial: to(on(0)), terminal: [end] };
}
