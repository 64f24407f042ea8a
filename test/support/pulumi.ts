import { ChildProcess, execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root (tests run the real Pulumi CLI against programs that use this checkout's packages). */
export const REPO_ROOT = path.resolve(__dirname, "../..");

/**
 * Which Pulumi CLI the tests drive: `pinned` (default; v3.248.0, or the user's own `pulumi`) or `newest` (the newest
 * CLI the Go module proxy serves, tools/pulumi-cli-newest). jest.config.js runs the engine smoke, WrapUpCode and root
 * stack tests a second time with `GENESYS_PULUMI_CLI=newest` (docs/pulumi-cli.md, "Supported CLI versions").
 */
export type CliChoice = "pinned" | "newest";

export function cliChoice(): CliChoice {
  const choice = process.env.GENESYS_PULUMI_CLI ?? "pinned";
  if (choice !== "pinned" && choice !== "newest") {
    throw new Error(`GENESYS_PULUMI_CLI must be "pinned" or "newest", not "${choice}"`);
  }
  return choice;
}

const binDirs = new Map<CliChoice, string>();
/** Directory of the Pulumi CLI built (or found) by scripts/ensure-pulumi.sh: by default the one {@link cliChoice} names. */
export function pulumiBinDir(choice: CliChoice = cliChoice()): string {
  let dir = binDirs.get(choice);
  if (dir === undefined) {
    const args = [path.join(REPO_ROOT, "scripts/ensure-pulumi.sh"), ...(choice === "newest" ? ["--newest"] : [])];
    dir = execFileSync("bash", args, { encoding: "utf8" }).trim();
    binDirs.set(choice, dir);
  }
  return dir;
}

/** What a CLI run printed and how it ended. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of every CLI run in a test project: the built CLI first on PATH, a file backend in `backendDir`,
 * or the backend `backendDir` names when it is a URL (`postgres://…` from scripts/state-db.sh, `s3://…`).
 */
export function cliEnv(dir: string, backendDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${pulumiBinDir()}:${process.env.PATH}`,
    HOME: process.env.HOME ?? dir,
    PULUMI_HOME: path.join(dir, ".pulumi-home"),
    PULUMI_BACKEND_URL: backendDir.includes("://") ? backendDir : `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

/**
 * `pulumi <args>` for `stack`, non-interactive. The flags go before a `--` in `args` (which ends the flags, so that
 * a config value may begin with "-"), else at the end.
 */
export function stackArgs(args: string[], stack: string): string[] {
  const flags = ["--non-interactive", "--stack", stack];
  const end = args.indexOf("--");
  return end < 0 ? [...args, ...flags] : [...args.slice(0, end), ...flags, ...args.slice(end)];
}

/** The longest a single CLI run may take in a test before it is killed (a hang must not hold the suite). */
export const RUN_TIMEOUT_MS = 10 * 60_000;

/** Kills of the commands still running in this test file (see {@link killRunningCommands}). */
const running = new Map<ChildProcess, () => void>();

/** Records a child process so that {@link killRunningCommands} can stop it (SIGKILL unless `kill` says otherwise). */
export function trackChild<C extends ChildProcess>(child: C, kill: (child: C) => void = (c) => c.kill("SIGKILL")): C {
  running.set(child, () => kill(child));
  child.once("exit", () => running.delete(child));
  return child;
}

/**
 * Kills every command started through this module (or tracked with {@link trackChild}) that is still running:
 * a test that fails halfway must not leave a `pulumi up` behind to hold jest open. Called after every test file
 * (test/support/cleanup.ts).
 */
export function killRunningCommands(): number {
  const kills = [...running.values()];
  running.clear();
  for (const kill of kills) kill();
  return kills.length;
}

/** Runs a command in `cwd` and resolves with what it printed; never rejects on a non-zero exit. */
export function runCommand(file: string, args: string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd, env, maxBuffer: 256 * 1024 * 1024, timeout: RUN_TIMEOUT_MS, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    trackChild(child);
  });
}

/** One step of `pulumi preview|up --json`. */
export interface EngineStep {
  op: string;
  urn: string;
  oldState?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  diffReasons?: string[];
  replaceReasons?: string[];
}

/** `pulumi preview|up|destroy --json` output. */
export interface EngineJson {
  steps: EngineStep[];
  diagnostics?: { message: string; severity: string; urn?: string }[];
  changeSummary?: Record<string, number>;
}

export interface ProjectOptions {
  /** Pulumi project name. */
  name?: string;
  /** Program text (index.js); defaults to the spec-driven program below. */
  program?: string;
  /** Plain stack config values (`genesys:region`, …). */
  config?: Record<string, string>;
  /** Secret stack config values, set with `pulumi config set --secret`. */
  secrets?: Record<string, string>;
  /** Extra environment for every CLI run. */
  env?: Record<string, string>;
  /** Files to write into the project directory. */
  files?: Record<string, string>;
}

/**
 * The default test program: declares the resources listed in `spec.json`, so a test edits the stack by rewriting
 * that file between runs. Each entry is `{type: "WrapUpCode"|"SyncWebhook", name, args, opts?}`; a `secretArgs`
 * list marks args to wrap in `pulumi.secret`.
 */
export const SPEC_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const lib = require("pulumi-genesys-wrapup");
const spec = JSON.parse(require("fs").readFileSync(__dirname + "/spec.json", "utf8"));
const out = {};
for (const r of spec.resources) {
  const args = { ...r.args };
  for (const k of r.secretArgs || []) args[k] = pulumi.secret(args[k]);
  const res = new lib[r.type](r.name, args, r.opts);
  out[r.name] = res.id;
}
module.exports = out;
`;

/** A Pulumi project in a temp directory with a local file backend and one stack, driven through the real CLI. */
export class PulumiProject {
  readonly dir: string;
  readonly backendDir: string;
  readonly stack = "test";
  readonly name: string;
  private readonly env: Record<string, string>;

  private constructor(dir: string, name: string, env: Record<string, string>) {
    this.dir = dir;
    this.name = name;
    this.backendDir = path.join(dir, ".pulumi-state");
    this.env = env;
  }

  static async create(options: ProjectOptions = {}): Promise<PulumiProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-pulumi-"));
    const name = options.name ?? "genesys-test";
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), options.program ?? SPEC_PROGRAM);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [file, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, file), text);
    const backendDir = path.join(dir, ".pulumi-state");
    fs.mkdirSync(backendDir);
    const env = cliEnv(dir, backendDir, options.env);
    const project = new PulumiProject(dir, name, env);
    await project.mustRun(["stack", "init"]);
    for (const [key, value] of Object.entries(options.config ?? {})) {
      await project.mustRun(["config", "set", "--", key, value]);
    }
    // `--` ends the flags: a value may begin with "-" (random client secrets do).
    for (const [key, value] of Object.entries(options.secrets ?? {})) {
      await project.mustRun(["config", "set", "--secret", "--", key, value]);
    }
    return project;
  }

  /** Rewrites spec.json (read by SPEC_PROGRAM). */
  writeSpec(resources: unknown[]): void {
    fs.writeFileSync(path.join(this.dir, "spec.json"), JSON.stringify({ resources }, null, 2));
  }

  /** Runs `pulumi <args>` in the project; never throws on a non-zero exit. */
  run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runCommand("pulumi", stackArgs(args, this.stack), this.dir, {
      ...this.env,
      ...extraEnv,
    });
  }

  /** Runs and throws with the CLI's output when it fails. */
  async mustRun(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /** `pulumi preview --json`; resolves with the parsed output and the raw result. */
  async preview(extra: string[] = []): Promise<{ json: EngineJson; result: RunResult }> {
    const result = await this.run(["preview", "--json", ...extra]);
    return { json: parseJson(result), result };
  }

  /** `pulumi up --yes --json`. */
  async up(extra: string[] = []): Promise<{ json: EngineJson; result: RunResult }> {
    const result = await this.run(["up", "--yes", "--json", ...extra]);
    return { json: parseJson(result), result };
  }

  /** `pulumi refresh --yes --json`. */
  async refresh(extra: string[] = []): Promise<{ json: EngineJson; result: RunResult }> {
    const result = await this.run(["refresh", "--yes", "--json", ...extra]);
    return { json: parseJson(result), result };
  }

  /** `pulumi destroy --yes --json`. */
  async destroy(extra: string[] = []): Promise<{ json: EngineJson; result: RunResult }> {
    const result = await this.run(["destroy", "--yes", "--json", ...extra]);
    return { json: parseJson(result), result };
  }

  /** Path of the stack's checkpoint (state) file. */
  statePath(): string {
    return path.join(this.backendDir, ".pulumi", "stacks", this.name, `${this.stack}.json`);
  }

  /** The raw state file text. */
  stateText(): string {
    return fs.readFileSync(this.statePath(), "utf8");
  }

  /** Resources in the latest checkpoint. */
  stateResources(): {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  }[] {
    const state = JSON.parse(this.stateText());
    return state.checkpoint.latest?.resources ?? [];
  }

  /** Every file under the project's backend (state, history, backups), concatenated: for secret searches. */
  allBackendText(): string {
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else texts.push(fs.readFileSync(p, "utf8"));
      }
    };
    walk(this.backendDir);
    return texts.join("\n");
  }

  /** Removes the project directory. */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Parses `--json` output. `preview` prints one JSON document; `up`/`refresh`/`destroy` print an engine event stream
 * (one JSON event per line, sometimes after the preview document), from which the completed steps, the
 * non-debug diagnostics and the summary are taken.
 */
export function parseJson(result: RunResult): EngineJson {
  const lines = result.stdout.split("\n").filter((l) => l.startsWith('{"sequence"'));
  if (lines.length === 0) {
    try {
      return JSON.parse(result.stdout) as EngineJson;
    } catch {
      throw new Error(`pulumi did not print JSON (exit ${result.code})\n${result.stdout}\n${result.stderr}`);
    }
  }
  const json: EngineJson & { result?: string } = { steps: [], diagnostics: [] };
  for (const line of lines) {
    const event = JSON.parse(line);
    const step = event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata?.step;
    if (step) {
      json.steps.push({
        op: step.op,
        urn: step.urn,
        oldState: step.old ?? undefined,
        newState: step.new ?? undefined,
        diffReasons: step.diffs,
        replaceReasons: step.keys,
      });
    }
    const diag = event.diagnosticEvent;
    if (diag && diag.severity !== "debug") {
      json.diagnostics!.push({ message: diag.message, severity: diag.severity, urn: diag.urn });
    }
    if (event.summaryEvent) {
      json.changeSummary = event.summaryEvent.resourceChanges;
      json.result = event.summaryEvent.result;
    }
  }
  return json;
}

/** Steps of the given resource type (by URN type suffix, e.g. `genesys:WrapUpCode`). */
export function stepsOf(json: EngineJson, typeSuffix: string): EngineStep[] {
  return json.steps.filter((s) => s.urn.includes(`::pulumi-nodejs:dynamic/${typeSuffix}::`));
}

/** Input keys whose values differ between a step's old and new state (what `preview --diff` shows). */
export function changedInputs(step: EngineStep, ignore: string[] = ["__provider"]): string[] {
  const before = step.oldState?.inputs ?? {};
  const after = step.newState?.inputs ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !ignore.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}
