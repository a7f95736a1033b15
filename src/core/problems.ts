/**
 * Validation at the edges, one style for every input the book reads (MDPs, episodic problems): a
 * validator collects every problem it finds as a pair (JSON path, what is wrong), and one error
 * lists them all, each as "path: problem" (`$.mdp.P[1][0]: must sum to 1, sums to 0.9`).
 */

/** One problem of an input: where (a JSON path such as `$.P[2][1]`) and what is wrong there. */
export interface InputProblem {
  path: string;
  problem: string;
}

/** The text of one problem, "path: problem": the form of every message and list of problems. */
export function problemText(p: InputProblem): string {
  return `${p.path}: ${p.problem}`;
}

/**
 * Bad input: every problem found. The message is the problems' texts on one line, separated by "; "
 * (the first one starts it), or, under a heading, the heading and one indented line per problem.
 * `path` is the first problem's.
 */
export class InputError extends RangeError {
  override name = "InputError";
  readonly path: string;
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[], heading?: string) {
    if (problems.length === 0) throw new RangeError("an InputError needs at least one problem");
    const lines = problems.map(problemText);
    super(heading === undefined ? lines.join("; ") : `${heading}:\n  ${lines.join("\n  ")}`);
    this.path = problems[0].path;
    this.problems = problems;
  }
}

/** Record one problem; returns undefined, so a check can end with `return add(…)` and the validator go on. */
export type AddProblem = (path: string, problem: string) => undefined;

/** A validator's list of problems and the `add` that records into it, in the order found. */
export function collectProblems(): { problems: InputProblem[]; add: AddProblem } {
  const problems: InputProblem[] = [];
  return {
    problems,
    add: (path, problem) => {
      problems.push({ path, problem });
      return undefined;
    },
  };
}
