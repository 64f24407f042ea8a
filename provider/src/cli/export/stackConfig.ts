/**
 * The stack's configuration as the provider will read it: `pulumi config --json --show-secrets` (the stack's values,
 * secrets decrypted by the stack's own secrets provider), then the `GENESYSCLOUD_*` environment for what the stack
 * does not set (config.ts's `resolveSettings`). The secret stays in this process's memory: it is never printed and
 * never written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { CONFIG_KEYS, ConfigError, resolveSettings, type ProviderSettings } from "../../config";
import { isRecord } from "../../util";
import { CommandError } from "../command";
import { cliFailure, type PulumiCli } from "../audit/pulumiCli";
import { readIfExists, type RootProject } from "./project";

/** The stack's configuration: the provider's settings and the root stack's own values. */
export interface StackConfig {
  readonly settings: ProviderSettings;
  /** A value of the stack config (objects parsed), by full key (`wrapup-codes:queues`). */
  value(key: string): unknown;
  /** Said to the user: where the secret came from when the stack's own could not be decrypted. */
  readonly notes: readonly string[];
}

interface ConfigEntry {
  value?: string;
  objectValue?: unknown;
  secret?: boolean;
}

/** Reads the stack's configuration through the Pulumi CLI. */
export async function readStackConfig(
  cli: PulumiCli,
  project: RootProject,
  stack: string,
  env: NodeJS.ProcessEnv,
): Promise<StackConfig> {
  const notes: string[] = [];
  const stand = standIn(project);
  try {
    const common = ["config", "--json", "--stack", stack, ...(stand ? ["--config-file", stand.file] : [])];
    let result = await cli.run([...common, "--show-secrets"]);
    let decrypted = true;
    if (result.code !== 0) {
      // Without the passphrase (or the secrets provider's credentials) the values can still be read, secrets left out.
      const again = await cli.run(common);
      if (again.code !== 0) throw stackFailure(stack, common, again);
      result = again;
      decrypted = false;
    }
    return parseConfig(result.stdout, stack, decrypted, env, notes);
  } finally {
    stand?.remove();
  }
}

/**
 * A copy of the stack's settings file with a value for each key the project requires and the file lacks (the queue
 * map before the first export), for `--config-file`: Pulumi reads no configuration while a required key is missing.
 * Undefined when nothing is missing. The copy lives in a private temporary directory, removed after the read.
 */
function standIn(project: RootProject): { file: string; remove(): void } | undefined {
  const text = readIfExists(project.stackFile);
  const doc = text === undefined ? new YAML.Document({}) : YAML.parseDocument(text);
  const missing = Object.keys(project.required).filter((key) => !doc.hasIn(["config", key]));
  if (missing.length === 0) return undefined;
  if (!YAML.isMap(doc.get("config", true))) doc.set("config", new YAML.YAMLMap());
  for (const key of missing) doc.setIn(["config", key], project.required[key]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-wrapup-export-"));
  const file = path.join(dir, path.basename(project.stackFile));
  fs.writeFileSync(file, doc.toString(), { mode: 0o600 });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function parseConfig(
  stdout: string,
  stack: string,
  decrypted: boolean,
  env: NodeJS.ProcessEnv,
  notes: string[],
): StackConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CommandError(`\`pulumi config --json --stack ${stack}\` did not print JSON: ${stdout.slice(0, 200)}`);
  }
  const entries = (isRecord(parsed) ? parsed : {}) as Record<string, ConfigEntry>;
  const text = (key: string): string | undefined => {
    const entry = entries[key];
    return entry && typeof entry.value === "string" ? entry.value : undefined;
  };
  const secretKey = CONFIG_KEYS.clientSecret.key;
  if (!decrypted && entries[secretKey]?.secret) {
    if (!env[CONFIG_KEYS.clientSecret.env]) {
      throw new CommandError(
        `the stack's ${secretKey} is encrypted and could not be decrypted: set PULUMI_CONFIG_PASSPHRASE (or log in to ` +
          `the stack's secrets provider) as for \`pulumi up\`, or give the secret in ${CONFIG_KEYS.clientSecret.env}`,
      );
    }
    notes.push(
      `the stack's ${secretKey} could not be decrypted (no passphrase or secrets provider): ${CONFIG_KEYS.clientSecret.env} is used`,
    );
  }
  let settings: ProviderSettings;
  try {
    settings = resolveSettings(text, env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CommandError(`stack ${stack}: ${e.message}`);
    throw e;
  }
  return {
    settings,
    value: (key) => {
      const entry = entries[key];
      if (!entry) return undefined;
      return entry.objectValue !== undefined ? entry.objectValue : entry.value;
    },
    notes,
  };
}

function stackFailure(
  stack: string,
  args: string[],
  result: { code: number; stdout: string; stderr: string },
): CommandError {
  if (/no stack named/i.test(result.stderr)) {
    return new CommandError(
      `there is no stack "${stack}" in this project's backend: create it first (\`pulumi stack init ${stack}\`, ` +
        "see docs/getting-started.md), with the backend the project uses (`pulumi login`, PULUMI_BACKEND_URL)",
    );
  }
  return cliFailure(args, result);
}
