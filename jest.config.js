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

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }],
    "^.+\\.m?js$": ["babel-jest", { presets: [["@babel/preset-env", { targets: { node: "current" } }]] }],
  },
  // Stops what a failed test left running (emulators, pulumi runs): see test/support/cleanup.ts.
  setupFilesAfterEnv: ["<rootDir>/test/support/cleanup.ts"],
  // A guard, not the cleanup: should something still hold the event loop after the last file (a leak nobody
  // foresaw), the run ends with its result instead of hanging until CI's time limit.
  forceExit: true,
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join("|")})/)`],
};
