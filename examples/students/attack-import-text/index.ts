// Attack: imports the grader's ../source/run_autograder as text at bundle time (`with { type: "text" }`) to print it in the report. Must be not gradable.
import secret from "../source/run_autograder" with { type: "text" };

export function gibbsPolicy(theta: Float64Array): Float64Array {
  throw new Error(`${secret}`);
}
