import { z } from "zod";
import { DEFAULT_DISPOSITION_MATRIX, DispositionMatrix } from "./matrix";
import { API_PROFILES, DEFAULT_API_PROFILE, isApiProfile, type ApiProfileName } from "./profiles/traits";

/** The provider's settings, read at run time in `configure()` so that nothing secret is serialized into state. */
export interface ProviderSettings {
  readonly region?: string;
  readonly apiUrl?: string;
  readonly authUrl?: string;
  readonly clientId?: string;
  /** Handed to the client, which keeps it in a closure; never logged, never in an error or the state. */
  readonly clientSecret?: string;
  /** The API the organisation speaks: the public platform (default) or the tutorial's contract. */
  readonly apiProfile: ApiProfileName;
  readonly dispositionMatrix: DispositionMatrix;
  readonly requestsPerSecond?: number;
  /** Most codes a queue may hold, checked before any write; default: the profile's (tutorial 1000, platform none). */
  readonly queueCodeLimit?: number;
  /** Membership adds of parallel creates within this many ms share one POST per queue (platform). Default 20. */
  readonly membershipBatchMs: number;
}

/** Default of {@link ProviderSettings.membershipBatchMs} (see docs/benchmarks.md for the measurement behind it). */
export const DEFAULT_MEMBERSHIP_BATCH_MS = 20;

/** Reads one value; the dynamic-provider host hands `configure()` the stack config with secrets decrypted. */
export type ConfigSource = (key: string) => string | undefined;

/** Stack config keys (namespace `genesys`) and their environment fallbacks. */
export const CONFIG_KEYS = {
  region: { key: "genesys:region", env: "GENESYSCLOUD_REGION" },
  apiUrl: { key: "genesys:apiUrl", env: "GENESYSCLOUD_API_URL" },
  authUrl: { key: "genesys:authUrl", env: "GENESYSCLOUD_AUTH_URL" },
  clientId: { key: "genesys:clientId", env: "GENESYSCLOUD_OAUTHCLIENT_ID" },
  clientSecret: { key: "genesys:clientSecret", env: "GENESYSCLOUD_OAUTHCLIENT_SECRET" },
  apiProfile: { key: "genesys:apiProfile", env: "GENESYSCLOUD_API_PROFILE" },
  queueCodeLimit: { key: "genesys:queueCodeLimit", env: "GENESYSCLOUD_QUEUE_CODE_LIMIT" },
  membershipBatchMs: { key: "genesys:membershipBatchMs", env: "GENESYSCLOUD_MEMBERSHIP_BATCH_MS" },
  dispositionMatrix: { key: "genesys:dispositionMatrix", env: "GENESYSCLOUD_DISPOSITION_MATRIX" },
  requestsPerSecond: { key: "genesys:requestsPerSecond", env: "GENESYSCLOUD_REQUESTS_PER_SECOND" },
} as const;

const matrixSchema = z.record(
  z.string().min(1, "category names are not empty"),
  z.array(z.string().regex(/^[a-z0-9_.-]{1,95}$/, "subcategories are 1..95 characters of [a-z0-9_.-]")),
);

/** A configuration value that breaks a rule; the message names the key and the rule. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Resolves settings from stack config first, then `GENESYSCLOUD_*` environment variables.
 * Throws `ConfigError` naming the key for a malformed value. Missing credentials are not an error here: `check`
 * and `diff` need none, and the client reports them when a request is first needed.
 */
export function resolveSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const get = (name: keyof typeof CONFIG_KEYS): string | undefined => {
    const { key, env: envName } = CONFIG_KEYS[name];
    const value = config(key) ?? env[envName];
    return value === undefined || value === "" ? undefined : value;
  };

  const dispositionMatrix = parseDispositionMatrix(get("dispositionMatrix"));

  let requestsPerSecond: number | undefined;
  const rawRps = get("requestsPerSecond");
  if (rawRps !== undefined) {
    requestsPerSecond = Number(rawRps);
    if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
      throw new ConfigError(`${CONFIG_KEYS.requestsPerSecond.key}: must be a positive number, got "${rawRps}"`);
    }
  }

  const queueCodeLimit = positiveInteger("queueCodeLimit", get("queueCodeLimit"));
  const membershipBatchMs = nonNegativeInteger("membershipBatchMs", get("membershipBatchMs"));

  return {
    region: get("region"),
    // Without authUrl the client derives the login origin: api.<domain> → login.<domain>, any other host (the
    // emulator, a proxy) serves both.
    apiUrl: get("apiUrl"),
    authUrl: get("authUrl"),
    clientId: get("clientId"),
    clientSecret: get("clientSecret"),
    apiProfile: parseApiProfile(get("apiProfile")),
    dispositionMatrix,
    requestsPerSecond,
    queueCodeLimit,
    membershipBatchMs: membershipBatchMs ?? DEFAULT_MEMBERSHIP_BATCH_MS,
  };
}

/** The API profile from its configured text; the default (`platform`) when unset. */
export function parseApiProfile(raw: string | undefined): ApiProfileName {
  if (raw === undefined || raw === "") return DEFAULT_API_PROFILE;
  if (!isApiProfile(raw)) {
    throw new ConfigError(
      `${CONFIG_KEYS.apiProfile.key}: must be one of ${API_PROFILES.map((p) => `"${p}"`).join(", ")}, got "${raw}" ` +
        `("platform" is the public Genesys Cloud API every real organisation speaks)`,
    );
  }
  return raw;
}

function positiveInteger(name: keyof typeof CONFIG_KEYS, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${CONFIG_KEYS[name].key}: must be a positive whole number, got "${raw}"`);
  }
  return value;
}

function nonNegativeInteger(name: keyof typeof CONFIG_KEYS, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${CONFIG_KEYS[name].key}: must be a whole number of milliseconds (0 or more), got "${raw}"`);
  }
  return value;
}

/**
 * The disposition matrix from its configured JSON text (`genesys:dispositionMatrix`); the contract's default when
 * unset. Throws `ConfigError` naming the key (and the category) for a malformed value.
 */
export function parseDispositionMatrix(raw: string | undefined): DispositionMatrix {
  if (raw === undefined || raw === "") return DEFAULT_DISPOSITION_MATRIX;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${CONFIG_KEYS.dispositionMatrix.key}: must be a JSON object of category -> [subcategories]`);
  }
  const result = matrixSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`${CONFIG_KEYS.dispositionMatrix.key}.${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data;
}
