/**
 * `genesys-wrapup <command> [flags]`: the commands shipped in the package. Each command is one module; adding one is
 * that module plus one line in COMMANDS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommandError, CommandIO, EXIT, UsageError } from "./command";
import { auditCommand } from "./audit";

const COMMANDS: readonly Command[] = [auditCommand];

function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: genesys-wrapup <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `genesys-wrapup <command> --help` for a command's flags.",
    "Exit codes: 0 done, 1 failed (the reason is on stderr), 2 wrong command line.",
    "",
  ].join("\n");
}

/** Runs `genesys-wrapup` with `argv` (without node and the script) and resolves with the exit code. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic ? topic.help : mainHelp());
    return EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`genesys-wrapup: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`genesys-wrapup ${command.name}: ${e.message}\nRun \`genesys-wrapup ${command.name} --help\`.\n`);
      return EXIT.usage;
    }
    if (e instanceof CommandError) {
      io.stderr.write(`genesys-wrapup ${command.name}: ${e.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`genesys-wrapup ${command.name}: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
    return EXIT.failed;
  }
}

/** Runs `genesys-wrapup` as the process: its arguments, streams and environment; sets the exit code. */
export function cli(): void {
  const io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  // A reader that closed the pipe early (`… | head`) is not a failure of the command.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
    throw e;
  });
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`genesys-wrapup: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}

if (require.main === module) cli();
