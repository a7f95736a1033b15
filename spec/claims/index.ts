/**
 * The portable claims the book's pages run on a reader's code, by the contract function a panel asks the reader
 * to write. Each panel sits below one numbered equation of one chapter and runs the claims listed, exactly as
 * vitest and the grader run them (claim.ts).
 */
import type { Contract } from "../../src/contract/index.ts";
import { scoreErrorShrinksLikeH2, scoreIsEq4, scoreMatchesDifferences } from "../1-bandits/1.2-gibbs.claims.ts";
import { criticStepIsTd } from "../2-average-return/2.4-td-error.claims.ts";
import { rewardToGoUnbiased } from "../3-total-return/3.3-reward-to-go.claims.ts";
import type { Claim } from "./claim.ts";

export interface Panel {
  /** The function the reader writes. */
  fn: keyof Contract;
  /** The chapter page (its file's name without .md) and the tag of the equation the panel follows. */
  page: string;
  tag: string;
  /** Its parameters and return type, as the contract states them (the editor's first line). */
  signature: string;
  /** What the function computes, in a sentence (the contract's doc, shortened). */
  doc: string;
  /** The claims the panel runs, in order. */
  claims: Claim[];
}

export const PANELS: Panel[] = [
  {
    fn: "gibbsScore",
    page: "01-bandits",
    tag: "eq 5",
    signature: "(theta: Float64Array, a: number): Float64Array",
    doc: "the score ∇θ ln πθ(a) = 1ₐ − πθ of the Gibbs policy, a vector of length k",
    claims: [scoreMatchesDifferences, scoreErrorShrinksLikeH2, scoreIsEq4],
  },
  {
    fn: "tdError",
    page: "02-average-return",
    tag: "eq 25",
    signature: "(reward: number, lambda: number, qNext: number, q: number): number",
    doc: "the temporal difference d = R − λ + Q̃(S′, A′) − Q̃(S, A)",
    claims: [criticStepIsTd],
  },
  {
    fn: "reinforceRewardToGo",
    page: "03-total-return",
    tag: "eq 29",
    signature: "(problem: EpisodicProblem, theta: Float64Array, episode: Episode): Float64Array",
    doc: "Σ_t Ĝ_t ∇θ ln π(A_t | S_t) for one episode, with the reward-to-go Ĝ_t = R_{t+1} + … + R_T",
    claims: [rewardToGoUnbiased],
  },
];

/** A claim's id in the pages: its spec file and title (unique, since vitest's names are). */
export const claimId = (c: Claim): string => `${c.file}::${c.title}`;

/** Every claim a panel runs, by id. */
export const PANEL_CLAIMS: Map<string, Claim> = new Map(PANELS.flatMap((p) => p.claims.map((c) => [claimId(c), c])));
