// got >= 12 and its dependencies are ESM-only. Jest's module loader cannot require ESM, so
// those packages are transformed to CommonJS by babel-jest (see docs/design.md, "got under jest").
const esmOnly = [
  "got",
  "@keyv",
  "@sec-ant",
  "@sindresorhus",
  "byte-counter",
  "cacheable-lookup",
  "cacheable-request",
  "decompress-response",
  "form-data-encoder",
  "get-stream",
  "is-stream",
  "keyv",
  "lowercase-keys",
  "mimic-response",
  "normalize-url",
  "p-cancelable",
  "responselike",
];

/** What both passes share. */
const common = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }],
    "^.+\\.m?js$": ["babel-jest", { presets: [["@babel/preset-env", { targets: { node: "current" } }]] }],
  },
  // Stops what a failed test left running (emulators, pulumi runs): see test/support/cleanup.ts.
  setupFilesAfterEnv: ["<rootDir>/test/support/cleanup.ts"],
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join("|")})/)`],
};

/**
 * The tests that run a second time on the newest buildable Pulumi CLI (tools/pulumi-cli-newest; docs/pulumi-cli.md,
 * "Supported CLI versions"): the engine smoke, the WrapUpCode lifecycle on both API profiles, the root stack, and the
 * check that the pass
 * really drives that CLI. `npm test` builds both CLIs before jest starts.
 */
const newestCliTests = ["smoke", "wrapupCode", "platform", "team-cli"].map(
  (name) => `<rootDir>/test/engine/${name}.test.ts`,
);
newestCliTests.push("<rootDir>/test/examples/root-stack.test.ts");

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: "cli 3.248", roots: ["<rootDir>/test"], testMatch: ["**/*.test.ts"] },
    {
      ...common,
      displayName: "cli newest",
      roots: ["<rootDir>/test"],
      testMatch: newestCliTests,
      setupFiles: ["<rootDir>/test/support/newest-cli.ts"],
    },
  ],
  // Engine tests mostly wait on the CLI, the emulator and the database, so two cores run more than one file at a
  // time: jest's default (cores - 1) would run the suite one file after another.
  maxWorkers: 3,
  // A guard, not the cleanup: should something still hold the event loop after the last file (a leak nobody
  // foresaw), the run ends with its result instead of hanging until CI's time limit.
  forceExit: true,
};
