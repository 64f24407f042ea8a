import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, cliChoice, cliEnv } from "../support/pulumi";

// Which Pulumi CLI this pass of the suite drives (jest.config.js runs the engine smoke, WrapUpCode and root stack
// tests once on the pinned CLI and once on the newest; see docs/pulumi-cli.md), and the top-level tsconfig.json that
// covers the root stack.

const run = promisify(execFile);

/** The version a tools module builds: `require github.com/pulumi/pulumi/pkg/v3 vX.Y.Z` of its go.mod. */
function toolsVersion(module: string): string {
  const goMod = fs.readFileSync(path.join(REPO_ROOT, "tools", module, "go.mod"), "utf8");
  return /^require github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)$/m.exec(goMod)![1];
}

describe("the Pulumi CLI of this pass", () => {
  it("is the one GENESYS_PULUMI_CLI names, first on the PATH of every CLI run", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-cli-"));
    const env = cliEnv(home, path.join(home, "state"));
    const { stdout } = await run("pulumi", ["version"], { env }).finally(() =>
      fs.rmSync(home, { recursive: true, force: true }),
    );
    if (cliChoice() === "newest") {
      expect(stdout.trim()).toBe(toolsVersion("pulumi-cli-newest"));
      // Newer than the pinned one: the second pass is worth its time.
      expect(stdout.trim()).not.toBe(toolsVersion("pulumi-cli"));
    } else if (!process.env.GENESYS_BUILD_PULUMI && env.PATH.split(":")[0] !== path.join(REPO_ROOT, ".tools/bin")) {
      // A user's own Pulumi installation (scripts/ensure-pulumi.sh uses it as it is): any 3.x.
      expect(stdout.trim()).toMatch(/^v3\.\d+\.\d+/);
    } else {
      expect(stdout.trim()).toBe(toolsVersion("pulumi-cli"));
    }
  });
});

describe("the top-level tsconfig.json", () => {
  it("covers the root stack (index.ts and stack/), with the options Pulumi runs it with, and type-checks", async () => {
    const tsc = require.resolve("typescript/bin/tsc");
    const { stdout } = await run(process.execPath, [tsc, "-p", REPO_ROOT, "--listFilesOnly"], { cwd: REPO_ROOT });
    const files = stdout.split("\n").filter((f) => f && !f.includes("/node_modules/") && !f.includes("/dist/"));
    const stackFiles = fs.readdirSync(path.join(REPO_ROOT, "stack")).filter((f) => f.endsWith(".ts"));
    expect(files.map((f) => path.relative(REPO_ROOT, f)).sort()).toEqual(
      ["index.ts", ...stackFiles.map((f) => `stack/${f}`)].sort(),
    );
    const shown = await run(process.execPath, [tsc, "-p", REPO_ROOT, "--showConfig"], { cwd: REPO_ROOT });
    const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "stack/tsconfig.json"), "utf8")).compilerOptions;
    expect(JSON.parse(shown.stdout).compilerOptions).toMatchObject({ strict: own.strict, module: own.module });
    // No error: exits 0 (execFile rejects otherwise).
    await run(process.execPath, [tsc, "-p", REPO_ROOT], { cwd: REPO_ROOT });
  }, 120_000);
});
