/** The chapter's small episodic examples (plain data, small enough to enumerate every episode). */
import type { EpisodicProblem } from "./types.ts";

/**
 * Repeated choice: one state, two actions paying 1 and 0, three decisions. Later rewards say nothing
 * about earlier actions, so weighting an early step by them (the full return) only adds noise.
 */
export function repeatedChoice(T = 3): EpisodicProblem {
  return { mdp: { P: [[[1], [1]]], r: [[1, 0]], stateNames: ["s"], actionNames: ["pay", "skip"] }, horizon: T, initial: [1] };
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
 * A three-token answer checked at the end (the shape of Section 3.2): each step emits a bit; the
 * episode pays 1 at its last step only if all three bits match the target 1, 0, 1. States track the
 * step and whether the answer is still on track; "end" is absorbing. Only R_T can be non-zero.
 */
export function checkedAnswer(): EpisodicProblem {
  // states: 0 on0, 1 on1, 2 on2, 3 off1, 4 off2, 5 end; actions: emit 0, emit 1
  const target = [1, 0, 1];
  const S = 6;
  const to = (s: number) => Array.from({ length: S }, (_, k) => (k === s ? 1 : 0));
  const P: number[][][] = [
    [0, 1].map((a) => to(a === target[0] ? 1 : 3)),
    [0, 1].map((a) => to(a === target[1] ? 2 : 4)),
    [0, 1].map(() => to(5)),
    [0, 1].map(() => to(4)),
    [0, 1].map(() => to(5)),
    [0, 1].map(() => to(5)),
  ];
  const r = [
    [0, 0],
    [0, 0],
    [0, 1],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  return {
    mdp: { P, r, stateNames: ["on0", "on1", "on2", "off1", "off2", "end"], actionNames: ["0", "1"] },
    horizon: 3,
    initial: [1, 0, 0, 0, 0, 0],
    terminal: [5],
  };
}
