#!/usr/bin/env node
/**
 * genesys-emulator --data <dir> [--profile platform|tutorial] [--port <p>] [--seed <file>] [--config <file|json>]
 *
 * Prints exactly one JSON line to stdout when ready:
 * {"event":"listening","url":"http://127.0.0.1:<port>","clientId":"…","clientSecret":"…","profile":"platform"}
 * Logs go to stderr. SIGTERM / SIGINT close it gracefully.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigPatch } from "./config";
import { PROFILE_NAMES, ProfileName } from "./model";
import { DEFAULT_PROFILE, startEmulator } from "./server";

const USAGE = `usage: genesys-emulator --data <dir> [--profile platform|tutorial] [--port <port>] [--seed <file>]
                        [--config <file|json>] [--verbose]

  --profile, -P  the API served: platform (default; the public Genesys Cloud Platform API) or tutorial
                 (the tutorial's API). A data dir keeps the profile it was created with.
  --port, -p     TCP port on 127.0.0.1 (default 0: a free port)
  --data, -d     data directory (created if missing; keeps codes, queues, clients, tokens, …)
  --seed, -s     seed JSON file (clients, queues, queueCount; tutorial: dispositionMatrix;
                 platform: divisions, wrapupCodes)
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
        profile: { type: "string", short: "P", default: DEFAULT_PROFILE },
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
  const profile = values.profile as ProfileName;
  if (!PROFILE_NAMES.includes(profile)) fatal(`--profile must be platform or tutorial, got ${values.profile}`, 2);
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
      profile,
      seed: values.seed,
      config,
      log,
      verbose: values.verbose,
    });
  } catch (e) {
    fatal(`cannot start: ${(e as Error).message}`);
  }
  const { url, clientId, clientSecret } = handle;
  process.stdout.write(JSON.stringify({ event: "listening", url, clientId, clientSecret, profile }) + "\n");
  log(`listening on ${url} (profile: ${profile}, data: ${values.data})`);

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
