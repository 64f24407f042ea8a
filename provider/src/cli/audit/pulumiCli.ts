import { spawn } from "node:child_process";
import { CommandError } from "../command";

/** What a `pulumi` run printed. */
export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Pulumi CLI found on PATH, in the project's directory, with the caller's environment. */
export class PulumiCli {
  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly command = "pulumi",
  ) {}

  /** `pulumi <args> --non-interactive`; resolves whatever the exit code. */
  run(args: string[]): Promise<PulumiResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, [...args, "--non-interactive"], {
        cwd: this.cwd,
        env: { ...this.env, PULUMI_SKIP_UPDATE_CHECK: this.env.PULUMI_SKIP_UPDATE_CHECK ?? "true" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.once("error", (e: NodeJS.ErrnoException) => {
        reject(
          e.code === "ENOENT"
            ? new CommandError(
                "the Pulumi CLI (`pulumi`) is not on PATH. Install it, or run this where `pulumi stack history` works.",
              )
            : e,
        );
      });
      child.once("close", (code) => {
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      });
    });
  }

  /** `pulumi <args>`, failing with what the CLI said when it fails. */
  async mustRun(args: string[]): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0) throw cliFailure(args, result);
    return result.stdout;
  }

  /** `pulumi <args>` parsed as JSON. */
  async json(args: string[]): Promise<unknown> {
    const stdout = await this.mustRun(args);
    try {
      return JSON.parse(stdout);
    } catch {
      throw new CommandError(`\`pulumi ${args.join(" ")}\` did not print JSON: ${stdout.slice(0, 200)}`);
    }
  }

  /** Every entry of the stack's history, newest first (`pulumi stack history --json`, page by page). */
  async history(stack: string, pageSize = 100): Promise<unknown[]> {
    const entries: unknown[] = [];
    for (let page = 1; ; page++) {
      const args = [
        "stack",
        "history",
        "--json",
        "--stack",
        stack,
        "--page-size",
        String(pageSize),
        "--page",
        String(page),
      ];
      const batch = await this.json(args);
      if (!Array.isArray(batch)) throw new CommandError(`\`pulumi ${args.join(" ")}\` did not print a list`);
      entries.push(...batch);
      if (batch.length < pageSize) return entries;
    }
  }
}

/** The CLI's own words, which say what to do (log in, select a stack, set the passphrase…). */
export function cliFailure(args: string[], result: PulumiResult): CommandError {
  const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n");
  return new CommandError(`\`pulumi ${args.join(" ")}\` failed (exit ${result.code}):\n${said}`);
}
