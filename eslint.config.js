// ESLint for pgbook (flat config): typescript-eslint's type-checked rules, and the import rules that keep
// the reference code, the measuring tools, the claims and the tooling apart (README, "Layout").
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

// Import paths in this repository are relative and carry their extension ("../../src/core/linalg.ts"), so
// the import rules below match the path as written. A pattern that climbs a fixed number of levels ("^\.\./")
// is written for a folder's depth, stated beside it. Dynamic `import()` is not covered by the rule.

/** An entry of @typescript-eslint/no-restricted-imports' `patterns`: a regular expression on the import path. */
function forbid(regex, message, { types = false } = {}) {
  return { regex, message, allowTypeImports: types };
}

const outsideSrc = (up) => forbid(`^(\\.\\./){${up}}`, "src/ is self-contained: it imports nothing outside src/.");
const toolingFolders = (what) =>
  forbid(`(^|/)(spec|scripts|test)/`, `${what} never imports spec/, scripts/ or test/ (not even a type).`);
const aliases = forbid("^@?pgbook/", "the pgbook/… aliases are the grader's and its fixtures', not the book's.");

/** One folder's import rule: the files it covers and what they may not import. */
function importRule(files, patterns, ignores = []) {
  return { files, ignores, rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns }] } };
}

export default defineConfig([
  globalIgnores([
    "node_modules/",
    "site/",
    "coverage/",
    ".cache/",
    "measured/",
    "out/",
    "artifacts/",
    "dist/",
    "reports/",
    ".site-tmp*/",
    ".tmp/",
    // Student code: submissions, stand-in submissions and the generated starter are fixtures, not the book's code.
    "examples/",
    "starter/",
    "test/grader/fixtures/",
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured field set aside).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      // Numeric code builds messages from numbers, arrays of numbers and typed arrays: the default
      // (numbers, booleans, nullish) already allows the first; arrays print as the comma-joined list we want.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowArray: true },
      ],
      // `catch {}` marks a best-effort step (cleanup of a temporary folder, a probe) whose failure is harmless.
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  // The specs pass the contract's functions around (`impl.gibbsPolicy`): src/contract declares them with method
  // syntax, but they are module exports that never use `this`, so unbound-method only cries wolf there.
  { files: ["spec/**/*.ts"], rules: { "@typescript-eslint/unbound-method": "off" } },
  // The tooling strips ANSI escapes and control characters from terminal text and student output on purpose.
  { files: ["scripts/**/*.ts", "test/**/*.ts"], rules: { "no-control-regex": "off" } },
  // JavaScript files (this config, the `pgbook` bin, the grader's self-test module) are outside tsconfig.json:
  // linted without type information.
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], extends: [tseslint.configs.disableTypeChecked] },

  // ---- the import rules, folder by folder ----
  // src/core, src/contract (files one level down): values only from src/core and src/contract; types from any of src/.
  importRule(
    ["src/core/**/*.ts", "src/contract/**/*.ts"],
    [
      outsideSrc(2),
      forbid(
        "^\\.\\./(?!core/|contract/|\\.\\./)",
        "src/core and src/contract import values only from src/core and src/contract (`import type` from the rest of src/ is fine).",
        { types: true },
      ),
      aliases,
    ],
  ),
  // src/<chapter> (files one level down) and src/index.ts: anything in src/, nothing outside it.
  importRule([`src/*/*.ts`], [outsideSrc(2), aliases], ["src/core/**", "src/contract/**"]),
  // a chapter's sub-part (src/<chapter>/<part>/, files two levels down): likewise, one level deeper.
  importRule([`src/*/*/**/*.ts`], [outsideSrc(3), aliases], ["src/core/**", "src/contract/**"]),
  importRule(["src/*.ts"], [outsideSrc(1), aliases]),
  // measure/: measure/, src/core and src/contract; only types from a chapter of src/ (or src/index.ts).
  importRule(
    ["measure/**/*.ts"],
    [
      toolingFolders("measure/"),
      forbid(
        "(^|/)src/(?!core/|contract/)",
        "measure/ takes values only from src/core and src/contract; from a chapter of src/, `import type` only.",
        { types: true },
      ),
      aliases,
    ],
  ),
  // spec/: spec/, measure/, values from src/contract; types from src/. The seam alone loads src/'s values.
  importRule(
    ["spec/**/*.ts"],
    [
      forbid("(^|/)(scripts|test)/", "spec/ never imports scripts/ or test/ (not even a type)."),
      forbid(
        "(^|/)src/(?!contract/)",
        "spec/ reaches the implementation only through the seam (spec/support/impl.ts); from src/ it takes values of src/contract and types.",
        { types: true },
      ),
      aliases,
    ],
    ["spec/support/impl.ts"],
  ),
  importRule(["spec/support/impl.ts"], [forbid("(^|/)(scripts|test)/", "spec/ never imports scripts/ or test/.")]),
  // scripts/: anything but spec/. The grader's provider registration reaches spec/support/impl-provider.ts, and
  // the grader's self-test spec is a spec (it runs the specs' seam).
  importRule(
    ["scripts/**/*.ts"],
    [forbid("(^|/)spec/", "scripts/ never imports spec/ (the specs are run, not imported).")],
    [
      "scripts/grader/sandbox/provider.ts",
      "scripts/grader/sandbox/client.ts",
      "scripts/grader/self-test/**",
      "scripts/site/live/**",
    ],
  ),
  // the live book bundles the portable claims for the browser (one claim, three runners): those and nothing else
  importRule(
    ["scripts/site/live/**"],
    [
      forbid(
        "(^|/)spec/(?!claims/|[^/]+/[^/]+\\.claims\\.ts$)",
        "scripts/site/live/ imports only the portable claims of spec/ (spec/claims/, spec/*/*.claims.ts).",
      ),
    ],
  ),
  importRule(
    ["scripts/grader/sandbox/provider.ts", "scripts/grader/sandbox/client.ts"],
    [
      forbid(
        "(^|/)spec/(?!support/impl-provider\\.ts$)",
        "of spec/, the grader's sandbox imports only the provider registration (spec/support/impl-provider.ts).",
      ),
    ],
  ),
  // test/: anything.
]);
