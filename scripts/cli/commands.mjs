/**
 * The commands of `pgbook`, as data: what each runs, its options (in `node:util` parseArgs' form, so the
 * dispatcher checks them before starting the script), its help and its exit codes. Every help text of the
 * CLI is made here; `pgbook.mjs` runs the commands. Plain JavaScript, so that `pgbook --help` needs no
 * TypeScript loader (the types are in commands.d.mts).
 */

/** The options every command takes. */
const HELP_OPTION = { type: "boolean", short: "h", text: "print this help and exit 0" };

/** @type {import("./commands.d.mts").Command[]} */
export const COMMANDS = [
  {
    name: "exact",
    script: "scripts/cli/exact.ts",
    summary: "exact answers for your own MDP in a JSON file: λ, d, V, Q, ∇λ (or J, V₀, Q₀, ∇J when episodic)",
    usage: "<problem.json> [--theta <theta.json> | --pi <pi.json>] [--horizon <T>] [--fractions]",
    options: {
      theta: {
        type: "string",
        value: "<file>",
        text: 'the policy\'s parameters θ (flat, nested [S][A] for tabular, or {"theta": …}); default 0',
      },
      pi: {
        type: "string",
        value: "<file>",
        text: 'the policy as probabilities π[s][a] of a tabular policy (nested, flat, or {"pi": …}); entries may be fraction strings ("1/3"); zeros are allowed for average-reward input',
      },
      horizon: {
        type: "string",
        value: "<T>",
        text: 'the horizon of an episodic problem (sets or overrides its "horizon")',
      },
      fractions: {
        type: "boolean",
        text: 'also print every number as an exact fraction ("11/34"), under "fractions". A JSON number is read as the decimal it is written as and may have at most 15 significant digits; write other fractions as strings ("1/3"). Rows of P and the initial distribution must sum to 1 exactly, and the policy must be rational: θ = 0, or probabilities given with --pi.',
      },
    },
    about:
      "The input kind is recognised from the file's fields: a `horizon` makes it episodic (Chapter 3), otherwise it is an average-reward MDP, unichain under every policy that tries each action (Chapter 2). The answer is JSON on stdout, computed by direct linear solves and backward induction (no sampling).",
    examples: [
      ["pgbook exact examples/mdp/home-work.json", "θ = 0, the uniform policy: λ = 11/34"],
      [
        "pgbook exact examples/mdp/home-work.json --theta examples/mdp/home-work-theta.json",
        "θ from a file, nested [S][A]",
      ],
      ["pgbook exact examples/mdp/home-work-loglinear.json", "a log-linear policy with 2 features, θ = 0"],
      ["pgbook exact examples/episodic/stop-or-play.json", "episodic: J = 45/32"],
      ["pgbook exact examples/mdp/home-work.json --fractions", "every number also as an exact fraction"],
    ],
    exits: [
      [0, "the answer was printed"],
      [1, "bad input: one line on stderr naming the place as a JSON path ($.P[0][1]: …)"],
      [2, "usage error (no input file, an unknown option, --theta with --pi)"],
    ],
    usageExit: 2,
  },
  {
    name: "grade",
    script: "scripts/grader/grade.ts",
    summary: "grade a student's submission with the book's own specs, in a sandbox; reports for the platforms",
    usage: "<submission> [options]   (or --batch <folder>)",
    options: {
      chapters: {
        type: "string",
        value: "1,2",
        text: "grade only these chapters (default: every chapter with a contract and specs)",
      },
      hidden: { type: "string", value: "<dir>", text: "add the instructor-only specs in <dir> (**/*.spec.ts)" },
      "hidden-visibility": {
        type: "string",
        value: "V",
        text: "Gradescope visibility of hidden checks: hidden | after_due_date | after_published (default) | visible",
      },
      seed: {
        type: "string",
        value: "N",
        text: "secret master seed, keyed with each submission's content (default: the public seed 20251117, or PGBOOK_SEED as it is, as replay lines give it)",
      },
      format: {
        type: "string",
        value: "a,b",
        text: "terminal (the console and report.txt), json (report.json, the instructor's, with every seed), html (report.html), junit (junit.xml), gradescope (results.json), prairielearn (pl-results.json)",
      },
      out: { type: "string", value: "<dir>", text: "where reports go (default: grade-report)" },
      "book-url": {
        type: "string",
        value: "URL",
        text: "the book's site, for the links from each check's tag to its equation (https://example.edu/pgbook/)",
      },
      "timeout-ms": { type: "string", value: "N", text: "time limit per call into the submission (default 3000)" },
      "submission-timeout-ms": {
        type: "string",
        value: "N",
        text: "time limit of the whole grading, counted from its start (default 300000); the grading ends within it plus 8 s whatever the submission does",
      },
      specs: {
        type: "string",
        value: "a,b",
        text: 'only the book\'s spec files whose names contain a or b ("none": only --hidden)',
      },
      slow: {
        type: "boolean",
        text: "also grade the slow tier (training runs, large Monte Carlo designs; minutes)",
      },
      "require-isolation": {
        type: "boolean",
        text: "refuse to grade (exit 3) unless every isolation layer is active (namespaces, uid, rlimits, permission model)",
      },
      batch: {
        type: "string",
        value: "<folder>",
        text: "grade every submission in <folder> (gradebook grades.csv, summary.html in --out)",
      },
      jobs: { type: "string", value: "N", text: "parallel gradings in batch mode (default: the core count)" },
      weights: {
        type: "string",
        value: "<file.json>",
        text: 'weights by tag or kind: { "default": 1, "tags": { "eq 12": 2 }, "kinds": { "monte-carlo": 2 } }',
      },
    },
    about:
      "<submission> is a .ts/.js module, or a folder with index.ts (or index.js, main.ts) that imports the contract's types as `import type { Chapter1, Rng } from \"pgbook/contract\"`. It is type-checked against the contract, bundled, and run in a sandbox against the fast tier of the chosen chapters' specs. A report is written in every case.",
    examples: [
      ["pgbook grade my-submission/ --chapters 1", "Chapter 1's checks; reports in grade-report/"],
      ["pgbook grade hw.ts --specs 1.1-reinforce --format terminal,html", "one spec file, with report.html"],
      ["pgbook grade hw.ts --seed s3cret --hidden instructor-specs/", "a secret seed and hidden checks"],
      ["pgbook grade --batch submissions/ --out gradebook/", "every folder of submissions/, grades.csv"],
    ],
    exits: [
      [0, "every check held"],
      [1, "some check failed"],
      [2, "not gradable (a syntax error, an export whose type does not fit the contract, no contract function)"],
      [3, "the grader itself failed, or an option is invalid"],
    ],
    usageExit: 3,
  },
  {
    name: "bundle",
    script: "scripts/grader/bundle.ts",
    summary: "an autograder bundle of the book's grader for Gradescope or PrairieLearn",
    usage: "--platform gradescope|prairielearn [options]",
    options: {
      platform: { type: "string", value: "P", text: "gradescope (a zip) or prairielearn (a folder with a Dockerfile)" },
      chapters: { type: "string", value: "1,2", text: "the chapters the bundle grades (default: all)" },
      hidden: { type: "string", value: "<dir>", text: "instructor-only specs to ship inside the bundle" },
      seed: { type: "string", value: "N", text: "the secret master seed the bundle grades with" },
      specs: { type: "string", value: "a,b", text: "only the spec files whose names contain a or b" },
      "book-url": {
        type: "string",
        value: "URL",
        text: "where the reports' tags link to, the book's published site (the platforms' containers hold no built site)",
      },
      out: { type: "string", value: "<dir>", text: "where the bundle is written (default: grade-bundles)" },
    },
    about: "The bundle holds a copy of the book with its lockfile and installs it with npm ci on the platform.",
    examples: [
      ["pgbook bundle --platform gradescope --chapters 1 --seed s3cret", "grade-bundles/pgbook-gradescope.zip"],
      ["pgbook bundle --platform prairielearn --out /tmp/pl", "/tmp/pl/pgbook-prairielearn/"],
    ],
    exits: [
      [0, "the bundle was written"],
      [3, "usage error (no or an unknown --platform, an unknown option)"],
    ],
    usageExit: 3,
    needs: ["scripts/grader/bundle.ts", "package-lock.json", "chapters"],
  },
  {
    name: "verify",
    script: "scripts/tools/verify.ts",
    summary: "run every check of the book (both tiers) and print a summary by claim",
    usage: "",
    options: {},
    about: "Each tag ([eq 12], [fig 1], …) with the number of its checks, how many held and their kinds.",
    examples: [
      ["pgbook verify", "both tiers against the reference (the slow tier takes minutes)"],
      ["PGBOOK_SEED=random pgbook verify", "an audit under a fresh master seed (printed)"],
    ],
    exits: [
      [0, "every check held"],
      [1, "some check failed, or a spec file failed to load"],
      [2, "usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/tools/verify.ts", "vitest.config.ts", "spec"],
  },
  {
    name: "site",
    script: "scripts/site/site.ts",
    summary: "run every check (or reuse cached results), then build the verified site in site/",
    usage: "[--allow-failures] [--no-cache] [--out <dir>] [--chapters <dir>]",
    options: {
      "allow-failures": {
        type: "boolean",
        text: "exit 0 even when checks fail (the site shows the failures either way)",
      },
      "no-cache": { type: "boolean", text: "rerun the checks even when cached results match" },
      out: { type: "string", value: "<dir>", text: "write the site somewhere else (default site/)" },
      chapters: { type: "string", value: "<dir>", text: "take the chapters from another folder (default chapters/)" },
    },
    about: "Run it in the clone's root. Open site/index.html (works offline, from file://).",
    examples: [
      ["pgbook site", "both tiers, then site/"],
      ["pgbook site --out /tmp/preview --allow-failures", "a preview, whatever the checks say"],
    ],
    exits: [
      [0, "every check held (or --allow-failures)"],
      [1, "some check failed or a spec file failed to load; the full site is still written"],
      [2, "build error (bad input: nothing written, the previous site/ left as it was), or usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/site/site.ts", "chapters"],
  },
  {
    name: "bench",
    script: "scripts/tools/bench.ts",
    summary: "benchmarks of every chapter (medians of repeated runs, with a C reference where one exists)",
    usage: "[--repeats <n>] [--only <text>] [--fresh] [--out <file>]",
    options: {
      repeats: { type: "string", value: "<n>", text: "timed repetitions per measurement (default 5)" },
      only: { type: "string", value: "<text>", text: "run only entries whose chapter or name contains <text>" },
      fresh: { type: "boolean", text: "also time a site build with fresh check results (both tiers rerun; minutes)" },
      out: { type: "string", value: "<file>", text: "where the JSON goes (default measured/bench.json)" },
    },
    about: "Speed lives here, never in tests. Prints a table, then one line of JSON; updates MEASURED.md.",
    examples: [
      ["pgbook bench", "every entry"],
      ["pgbook bench --only tools --repeats 3", "the tool timings only"],
    ],
    exits: [
      [0, "measured"],
      [1, "a benchmark failed"],
      [2, "usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/tools/bench.ts"],
  },
  {
    name: "calibrate",
    script: "scripts/tools/calibrate.ts",
    summary: "rerun every Monte Carlo check under many seeds and compare its failures with its stated rate",
    usage: "[--seeds <N>] [--alpha <A>] [--shard i/n] [--slow] [--out <file>]   or   --merge <shard.json>…",
    options: {
      seeds: { type: "string", value: "<N>", text: 'master seeds "cal-0" … "cal-(N−1)" (default 100)' },
      alpha: { type: "string", value: "<A>", text: "the loose per-check false-failure rate (default 0.01)" },
      shard: { type: "string", value: "i/n", text: "every n-th seed starting at i (1-based), for a CI matrix" },
      slow: { type: "boolean", text: "the slow tier's Monte Carlo checks too" },
      out: { type: "string", value: "<file>", text: "where the result goes (default measured/calibration.json)" },
      merge: { type: "boolean", text: "add up the shard files given as arguments" },
    },
    about: "A check that fails more often than its rate allows has a wrong bound: fix the bound, never retry.",
    examples: [
      ["pgbook calibrate --seeds 100 --alpha 0.01", "the calibration MEASURED.md reports (long)"],
      ["pgbook calibrate --seeds 100 --shard 1/4", "a quarter of the seeds"],
      ["pgbook calibrate --merge shard-1.json shard-2.json", "add shards up"],
    ],
    exits: [
      [0, "every check's failures are within its rate"],
      [1, "a check fails too often, or an exact/property check failed under a calibration seed"],
      [2, "usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/tools/calibrate.ts"],
  },
  {
    name: "mutation",
    script: "scripts/tools/mutation.ts",
    summary: "mutation testing of src/ and measure/, module by module (Stryker); writes measured/mutation.json",
    usage: "[--module <name>]… [--planted] [--report-only] [--concurrency <n>] [--out <file>]",
    options: {
      module: { type: "string", value: "<name>", multiple: true, text: "only this module (repeatable)" },
      planted: { type: "boolean", text: "the seam check: a planted mutant must be killed" },
      "report-only": { type: "boolean", text: "recount the last reports (after editing mutation-equivalents.json)" },
      concurrency: { type: "string", value: "<n>", text: "test runners in parallel (default: stryker.config.json's)" },
      out: { type: "string", value: "<file>", text: "where the results go (default measured/mutation.json)" },
    },
    about: "Results are cached in .cache/stryker/, so a rerun is incremental.",
    examples: [
      ["pgbook mutation --module bandit", "one module"],
      ["pgbook mutation --planted", "the seam check"],
    ],
    exits: [
      [0, "every module was measured (or, with --planted, the planted mutant was killed)"],
      [1, "a Stryker run failed (or the planted mutant survived)"],
      [2, "usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/tools/mutation.ts", "stryker.config.json"],
  },
  {
    name: "measured",
    script: "scripts/tools/measured.ts",
    summary: "regenerate MEASURED.md from measured/*.json (mutation, calibration, benchmarks)",
    usage: "[--check] [--out <file>]",
    options: {
      check: { type: "boolean", text: "exit 1 if MEASURED.md differs from what measured/*.json gives; write nothing" },
      out: { type: "string", value: "<file>", text: "the file to write (default MEASURED.md)" },
    },
    about: "Nothing in MEASURED.md is typed by hand: every figure comes with the date it was measured.",
    examples: [
      ["pgbook measured", "rewrite MEASURED.md"],
      ["pgbook measured --check", "for CI"],
    ],
    exits: [
      [0, "written (or, with --check, up to date)"],
      [1, "--check: MEASURED.md or README.md's measured block is out of date"],
      [2, "usage error"],
    ],
    usageExit: 2,
    needs: ["scripts/tools/measured.ts", "measured"],
  },
];

/** The command named `name`, or undefined. */
export function findCommand(name) {
  return COMMANDS.find((c) => c.name === name);
}

/** A command's options as `node:util` parseArgs takes them, with --help. */
export function parseOptions(command) {
  const out = {};
  for (const [name, o] of Object.entries({ ...command.options, help: HELP_OPTION }))
    out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  return out;
}

/** "pgbook <name> <usage>", the synopsis printed with usage errors. */
export function usageLine(command) {
  return `usage: pgbook ${command.name}${command.usage ? ` ${command.usage}` : ""}`;
}

/** The width help text is wrapped to. */
const COLUMNS = 110;

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text, width) {
  const out = [];
  for (const word of text.split(" "))
    if (out.length && out[out.length - 1].length + 1 + word.length <= width) out[out.length - 1] += ` ${word}`;
    else out.push(word);
  return out;
}

/** Rows of a two-column list: the left cells padded to one width (at most `max`; a longer one gets a line of its own). */
function table(rows, max = 28) {
  const width = Math.min(max, Math.max(...rows.map(([l]) => l.length)));
  const pad = " ".repeat(width + 4);
  return rows.flatMap(([left, right]) => {
    const [first, ...rest] = wrap(right, COLUMNS - width - 4);
    const head = left.length > width ? [`  ${left}`, `${pad}${first}`] : [`  ${left.padEnd(width)}  ${first}`];
    return [...head, ...rest.map((r) => `${pad}${r}`)];
  });
}

/** The exit-code rows of a command. */
const exitRows = (command) => command.exits.map(([code, meaning]) => [String(code), meaning]);

/** `pgbook <command> --help`: synopsis, what it does, options, examples, exit codes. */
export function commandHelp(command) {
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`,
    o.text,
  ]);
  return [
    `pgbook ${command.name}: ${command.summary}`,
    "",
    usageLine(command),
    "",
    ...wrap(command.about, COLUMNS - 2).map((l) => `  ${l}`),
    "",
    "options:",
    ...table(options),
    "",
    "examples:",
    ...table(command.examples, 64),
    "",
    "exit codes:",
    ...table(exitRows(command), 2),
    ...(command.needs ? ["", `A command of the book's clone: it needs ${command.needs.join(", ")}.`] : []),
  ].join("\n");
}

/** The first lines of `pgbook --help`, also printed (to stderr) when no command is given. */
export const SYNOPSIS = [
  "usage: pgbook <command> [options]     run a command (pgbook <command> --help: its options and examples)",
  "       pgbook --help | --version",
];

/** `pgbook --help`: every command with its summary, examples, the exit codes. */
export function overview(version) {
  const rows = COMMANDS.map((c) => [c.name, `${c.summary}${c.needs ? " [clone]" : ""}`]);
  return [
    `pgbook ${version}: the executable textbook of policy gradient methods, its exact answers, grader and checks`,
    "",
    ...SYNOPSIS,
    "",
    "commands:",
    ...table(rows),
    "",
    "  [clone]: needs a clone of the book's repository (git clone, npm ci); the installed package runs the others.",
    "",
    "examples:",
    ...table(
      [
        ["pgbook exact examples/mdp/home-work.json", "exact λ, d, V, Q and ∇λ of an MDP"],
        ["pgbook grade my-submission/ --chapters 1", "grade Chapter 1 of a submission"],
        ["pgbook site --out /tmp/site", "check everything and build the site"],
        ["pgbook grade --help", "a command's options, examples and exit codes"],
      ],
      64,
    ),
    "",
    "exit codes: each command's own (see pgbook <command> --help; 0 means success). pgbook itself exits 2",
    "when no command or an unknown one is given, on an unknown option (grade and bundle: 3, as their own",
    "usage errors do), and for a [clone] command run from the installed package.",
  ].join("\n");
}
