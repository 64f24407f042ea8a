/**
 * The provider's configuration as a program sees it (`pulumi.Config` of the running stack, then the environment),
 * for the checks a program runs before it declares anything. The provider itself reads the same keys in
 * `configure()` (config.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, parseApiProfile, parseDispositionMatrix } from "./config";
import type { DispositionMatrix } from "./matrix";
import type { ApiProfileName } from "./profiles/traits";

function stackValue(name: keyof typeof CONFIG_KEYS, env: NodeJS.ProcessEnv): string | undefined {
  const { key, env: envName } = CONFIG_KEYS[name];
  const [namespace, local] = key.split(":");
  let configured: string | undefined;
  try {
    configured = new pulumi.Config(namespace).get(local);
  } catch {
    // Not inside a Pulumi program (a script, a unit test): only the environment applies.
  }
  return configured ?? env[envName];
}

/**
 * The disposition matrix the provider will use for this stack: `genesys:dispositionMatrix` of the stack config,
 * else `GENESYSCLOUD_DISPOSITION_MATRIX`, else the contract's default. Throws `ConfigError` for a malformed value.
 */
export function stackDispositionMatrix(env: NodeJS.ProcessEnv = process.env): DispositionMatrix {
  return parseDispositionMatrix(stackValue("dispositionMatrix", env));
}

/**
 * The API profile the provider will use for this stack: `genesys:apiProfile`, else `GENESYSCLOUD_API_PROFILE`, else
 * `platform`. Throws `ConfigError` for an unknown name.
 */
export function stackApiProfile(env: NodeJS.ProcessEnv = process.env): ApiProfileName {
  return parseApiProfile(stackValue("apiProfile", env));
}
