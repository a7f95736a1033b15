/**
 * Chapter 4, "Baselines for a single terminal reward" (notes §3.2, eq. (30)): the five group advantages and
 * their conventions (population standard deviation, all-equal groups give zero), sample by sample.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { ACCURACY } from "../../src/contract/accuracy.ts";
import { groupRewards } from "../../measure/arbitraries/lm.ts";
import { claim } from "../support/claim.ts";
import { expectClose } from "../../measure/close.ts";
import { impl } from "../support/impl.ts";
import { checkProperty } from "../support/property.ts";
import { BOTH, scale } from "./tools.ts";

describe("4.3 Baselines for a single terminal reward", () => {
  it("[eq 30] groupAdvantages follows the stated conventions (population std; all-equal groups give zero)", (ctx) => {
    claim(ctx, "exact", { implements: ["groupAdvantages"] });
    const r = [1, 0, 0, 0];
    expectClose(impl.groupAdvantages(r, "none"), r, ACCURACY, "none");
    expectClose(impl.groupAdvantages(r, "running", 0.5), [0.5, -0.5, -0.5, -0.5], ACCURACY, "running (B = 0.5)");
    // leave-one-out: 1 − 0, 0 − 1/3
    expectClose(impl.groupAdvantages(r, "rloo"), [1, -1 / 3, -1 / 3, -1 / 3], ACCURACY, "rloo");
    expectClose(impl.groupAdvantages(r, "mean"), [0.75, -0.25, -0.25, -0.25], ACCURACY, "mean");
    // mean 1/4, population variance 1/4·3/4 = 3/16, std √3/4: (3/4)/(√3/4) = √3, (−1/4)/(√3/4) = −1/√3
    expectClose(
      impl.groupAdvantages(r, "normalized"),
      [Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3)],
      ACCURACY,
      "normalized",
    );
    expectClose(impl.groupAdvantages([0.3, 0.3, 0.3], "normalized"), [0, 0, 0], ACCURACY, "normalized, all equal");
    expectClose(impl.groupAdvantages([1, 1], "rloo"), [0, 0], ACCURACY, "rloo, all equal");
  });

  it("[eq 30] the group mean including the own reward is RLOO × (1 − 1/G), sample by sample", (ctx) => {
    checkProperty(
      ctx,
      fc.property(groupRewards(), (r) => {
        const G = r.length;
        // rewards either all equal or clearly spread: a spread at rounding level is neither (see advantages.ts),
        // and normalizing divides by the spread, so its rounding grows like |r|/σ (kept below 1e4 here)
        const spread = Math.max(...r) - Math.min(...r);
        fc.pre(spread === 0 || spread > 1e-3);
        const mean = impl.groupAdvantages(r, "mean");
        const rloo = impl.groupAdvantages(r, "rloo");
        expectClose(mean, scale(rloo, 1 - 1 / G), BOTH, "mean against (1 − 1/G)·rloo");
        // RLOO ignores a constant added to every reward; normalization ignores any affine change c + s·r (s > 0)
        expectClose(
          impl.groupAdvantages(
            r.map((x) => x + 3),
            "rloo",
          ),
          rloo,
          BOTH,
          "rloo of r + 3 against rloo of r",
        );
        const nz = impl.groupAdvantages(r, "normalized");
        expectClose(
          impl.groupAdvantages(
            r.map((x) => 2 + 0.5 * x),
            "normalized",
          ),
          nz,
          BOTH,
          "normalized of 2 + r/2 against normalized of r",
        );
      }),
      { implements: ["groupAdvantages"] },
    );
  });
});
