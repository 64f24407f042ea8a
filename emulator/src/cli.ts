#!/usr/bin/env node
/**
 * genesys-emulator --port <p> --data <dir> [--seed <file>] [--config <file|json>] [--verbose]
 *
 * Prints exactly one JSON line to stdout when ready:
 * {"event":"listening","url":"http://127.0.0.1:<port>","clientId":"…","clientSecret":"…"}
 * Logs go to stderr. SIGTERM / SIGINT close it gracefully.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigPatch } from "./config";
import { startEmulator } from "./emulator";

const USAGE = `usage: genesys-emulator --data <dir> [--port <port>] [--seed <file>] [--config <file|json>] [--verbose]

  --port, -p     TCP port on 127.0.0.1 (default 0: a free port)
  --data, -d     data directory (created if missing; keeps codes, webhooks, queues, clients, tokens)
  --seed, -s     seed JSON file (clients, queues, dispositionMatrix, queueCount)
  --config, -c   initial runtime config: a JSON file, or inline JSON starting with "{"
  --verbose, -v  log one line per request to stderr
  --help, -h     this text`;

function log(msg: string): void {
  process.stderr.write(`[genesys-emulator] ${msg}\n`);
}

function fatal(msg: string, code = 1): never {
  log(msg);
  process.exit(code);
}

function readConfig(arg: string): ConfigPatch {
  const text = arg.trimStart().startsWith("{") ? arg : fs.readFileSync(arg, "utf8");
  return JSON.parse(text) as ConfigPatch;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p", default: "0" },
        data: { type: "string", short: "d" },
        seed: { type: "string", short: "s" },
        config: { type: "string", short: "c" },
        verbose: { type: "boolean", short: "v", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fatal(`${(e as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stderr.write(USAGE + "\n");
    return;
  }
  if (!values.data) fatal(`--data is required\n${USAGE}`, 2);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port > 65535) fatal(`--port must be 0..65535, got ${values.port}`, 2);

  let config: ConfigPatch | undefined;
  if (values.config) {
    try {
      config = readConfig(values.config);
    } catch (e) {
      fatal(`cannot read --config: ${(e as Error).message}`, 2);
    }
  }

  let handle;
  try {
    handle = await startEmulator({
      port,
      dataDir: values.data,
      seed: values.seed,
      config,
      log,
      verbose: values.verbose,
    });
  } catch (e) {
    fatal(`cannot start: ${(e as Error).message}`);
  }
  const { url, clientId, clientSecret } = handle;
  process.stdout.write(JSON.stringify({ event: "listening", url, clientId, clientSecret }) + "\n");
  log(`listening on ${url} (data: ${values.data})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: closing`);
    handle.close().then(
      () => process.exit(0),
      (e: unknown) => fatal(`close failed: ${(e as Error).message}`),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

void main();
