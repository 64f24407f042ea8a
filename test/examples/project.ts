/**
 * Runs a committed Pulumi project (the root stack or an example under examples/) through the real Pulumi CLI.
 *
 * The project's committed files are copied into a temp directory (so that `stack init` and `config set` never
 * touch the checkout) next to a symlink to the repository's node_modules, the way the project resolves its
 * packages inside the repository. Stacks are named freely (`dev`, `prod`), unlike test/support/pulumi.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineJson, REPO_ROOT, RunResult, cliEnv, parseJson, runCommand, stackArgs } from "../support/pulumi";

/** Files that make up the root stack (everything else in the repository root is not part of it). */
export const ROOT_STACK_FILES = [
  "Pulumi.yaml",
  "Pulumi.dev.yaml",
  "Pulumi.prod.yaml",
  "index.ts",
  "stack",
  "catalogue",
];

/** A node preload that records network connections and refuses every non-loopback one (see loopback-only.js). */
export const LOOPBACK_ONLY = path.join(__dirname, "loopback-only.js");

export interface CopyOptions {
  /** Entries of `source` to copy; default: all but node_modules. */
  only?: string[];
  /** Extra environment for every CLI run. */
  env?: Record<string, string>;
}

export class ProjectCopy {
  readonly dir: string;
  readonly backendDir: string;
  /** Where loopback-only.js writes what it saw, when `guardNetwork()` was called. */
  readonly networkLog: string;
  private readonly env: Record<string, string>;

  private constructor(dir: string, env: Record<string, string>) {
    this.dir = dir;
    this.backendDir = path.join(dir, ".pulumi-state");
    this.networkLog = path.join(dir, "network.jsonl");
    this.env = env;
  }

  /** Copies `source` (relative to the repository root) into a fresh temp project. */
  static create(source: string, options: CopyOptions = {}): ProjectCopy {
    const from = path.join(REPO_ROOT, source);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-example-"));
    const entries = options.only ?? fs.readdirSync(from).filter((e) => e !== "node_modules");
    for (const entry of entries) fs.cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true });
    if (!fs.existsSync(path.join(dir, "package.json"))) {
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "copy", private: true }));
    }
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const backendDir = path.join(dir, ".pulumi-state");
    fs.mkdirSync(backendDir);
    const env = cliEnv(dir, backendDir, options.env);
    return new ProjectCopy(dir, env);
  }

  /** Path of a file in the copy. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * From now on, every node process the CLI starts (the program, the dynamic-provider host) loads loopback-only.js:
   * connections to anything but loopback are refused and recorded in `networkLog`.
   */
  guardNetwork(): void {
    this.env.NODE_OPTIONS = `--require ${LOOPBACK_ONLY}`;
    this.env.GENESYS_NETWORK_LOG = this.networkLog;
  }

  /** What loopback-only.js recorded: one entry per process that loaded it and per connection attempt. */
  networkEvents(): { pid: number; script: string; event: string; host?: string; port?: number }[] {
    if (!fs.existsSync(this.networkLog)) return [];
    return fs
      .readFileSync(this.networkLog, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  /** Runs `pulumi <args>` non-interactively on `stack` ({@link stackArgs}); never throws on a non-zero exit. */
  run(stack: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runCommand("pulumi", stackArgs(args, stack), this.dir, {
      ...this.env,
      ...extraEnv,
    });
  }

  /** Runs a bash script in the project with the same environment as the CLI runs (e.g. a CI step's `run:`). */
  shell(script: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runCommand("bash", ["-euc", script], this.dir, { ...this.env, ...extraEnv });
  }

  async mustRun(stack: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const result = await this.run(stack, args, extraEnv);
    if (result.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} (stack ${stack}) exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  /** `pulumi stack init`, then the given plain and secret config values. */
  async initStack(
    stack: string,
    config: Record<string, string> = {},
    secrets: Record<string, string> = {},
  ): Promise<void> {
    await this.mustRun(stack, ["stack", "init"]);
    for (const [key, value] of Object.entries(config)) await this.mustRun(stack, ["config", "set", "--", key, value]);
    for (const [key, value] of Object.entries(secrets)) {
      await this.mustRun(stack, ["config", "set", "--secret", "--", key, value]);
    }
  }

  async preview(stack: string, extra: string[] = [], env: Record<string, string> = {}): Promise<StackRun> {
    const result = await this.run(stack, ["preview", "--json", ...extra], env);
    return { json: parseJson(result), result };
  }

  async up(stack: string, extra: string[] = [], env: Record<string, string> = {}): Promise<StackRun> {
    const result = await this.run(stack, ["up", "--yes", "--json", ...extra], env);
    return { json: parseJson(result), result };
  }

  async destroy(stack: string, extra: string[] = []): Promise<StackRun> {
    const result = await this.run(stack, ["destroy", "--yes", "--json", ...extra]);
    return { json: parseJson(result), result };
  }

  /** `pulumi stack output --json --show-secrets` as an object. */
  async outputs(stack: string): Promise<Record<string, any>> {
    const result = await this.mustRun(stack, ["stack", "output", "--json"]);
    return JSON.parse(result.stdout);
  }

  /** Resources in the stack's latest checkpoint. */
  stateResources(stack: string, project: string): { urn: string; id?: string; outputs?: Record<string, any> }[] {
    const file = path.join(this.backendDir, ".pulumi", "stacks", project, `${stack}.json`);
    return JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest?.resources ?? [];
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StackRun {
  json: EngineJson;
  result: RunResult;
}

/** The diagnostics of a run (errors and warnings), one string. */
export function messages(run: StackRun): string {
  return (run.json.diagnostics ?? []).map((d) => d.message).join("\n") + run.result.stderr;
}

/** The resource name at the end of a URN. */
export function nameOf(urn: string): string {
  return urn.split("::").pop()!;
}
