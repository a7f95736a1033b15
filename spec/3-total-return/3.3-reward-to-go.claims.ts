/**
 * §3.3's claim that the reward-to-go estimator (29) is unbiased, in the portable form (spec/claims/claim.ts) that
 * vitest, the grader and the book's "check your code" panel all run: 3.3-reward-to-go.spec.ts registers it.
 */
import fc from "fast-check";
import { exactMoments } from "../../measure/total-return/enumerate.ts";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { episodicProblem as problemArb } from "../../measure/arbitraries/episodic.ts";
import { expectClose } from "../../measure/close.ts";
import type { Claim } from "../claims/claim.ts";
import { BOTH, enumerate, returnFrom, scoreSum } from "./tools.ts";

export const rewardToGoUnbiased: Claim = {
  file: "spec/3-total-return/3.3-reward-to-go.spec.ts",
  section: "3.3 Estimating the action value from the episode itself (29)",
  title: "[eq 29] the reward-to-go estimator is unbiased: E[Σ_t Ĝ_t ∇ln π(A_t|S_t)] = ∇J, enumerating every episode",
  kind: "property",
  implements: ["reinforceRewardToGo", "expectedUpdate"],
  check: (impl, t) =>
    t.property(
      fc.property(problemArb(), ({ problem, theta }) => {
        const m = exactMoments(enumerate(problem, theta), (ep) => impl.reinforceRewardToGo(problem, theta, ep));
        expectClose(m.mean, impl.expectedUpdate(problem, theta), BOTH, "E[reinforceRewardToGo]");
        // and it is literally Σ_t Ĝ_t ∇ln π(A_t|S_t) on every episode
        for (const { episode } of enumerate(problem, theta).slice(0, 20)) {
          const want = scoreSum(problem, theta, episode, (t) => returnFrom(episode, t));
          expectClose(
            impl.reinforceRewardToGo(problem, theta, episode),
            want,
            ACCURACY,
            "reinforceRewardToGo(episode)",
          );
        }
      }),
    ),
};
