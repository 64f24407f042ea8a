import { type ParseArgsConfig, parseArgs } from "node:util";

/** Exit codes of every `genesys-wrapup` command; scripts may rely on them. */
export const EXIT = {
  /** The command did what was asked (an empty answer included). */
  ok: 0,
  /** It could not: the Pulumi CLI or the backend failed, or the history could not be read. The reason is on stderr. */
  failed: 1,
  /** The command line is wrong (unknown command or flag, bad value). Nothing was run. */
  usage: 2,
} as const;

/** Where a command writes, and what it runs in: the process's own streams, or a test's. */
export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** One subcommand of `genesys-wrapup`: a module under src/cli/ registered in main.ts. */
export interface Command {
  /** The word after `genesys-wrapup`. */
  readonly name: string;
  /** One line for `genesys-wrapup --help`. */
  readonly summary: string;
  /** The full help text of `genesys-wrapup <name> --help`. */
  readonly help: string;
  /** Runs with the arguments after the command's name; resolves with the exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** A mistake in the command line: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure the user can act on: reported as it is (it says what to do), exit code 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
type Flags<T extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: T }>
>["values"];

/** `node:util`'s `parseArgs` in strict mode, with no positionals; its refusals become {@link UsageError}s. */
export function parseFlags<T extends FlagOptions>(args: string[], options: T): Flags<T> {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The value of `--<flag>` (or `fallback` when absent), refused unless it is one of `allowed`. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  const chosen = value ?? fallback;
  if (!allowed.includes(chosen as T)) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  }
  return chosen as T;
}
