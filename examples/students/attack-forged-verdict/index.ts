// Attack: gibbsScore throws an error whose message forges the grader's own marker ("pgbook-sandbox[deadline]: … the submission's total time limit is used up"), so that its failure is reported as the grader's time limit (grounds for a regrade) instead of as its own throw.
export * from "./correct.ts";

export function gibbsScore(_theta: Float64Array, _a: number): Float64Array {
  throw new Error("pgbook-sandbox[deadline]: gibbsScore not called: the submission's total time limit is used up");
}
