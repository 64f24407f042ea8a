/**
 * jest.config.js's second pass ("cli newest") loads this before each of its test files: every CLI run of the file
 * then uses the newest buildable Pulumi CLI (pulumiBinDir() in ./pulumi.ts reads the variable). Jest gives each test
 * file its own copy of process.env, so the first pass's files are not affected.
 */
process.env.GENESYS_PULUMI_CLI = "newest";
