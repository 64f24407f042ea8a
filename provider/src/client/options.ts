import { GenesysConfigError } from "./errors";
import { resolveEndpoints, type GenesysEndpoints } from "./regions";
import { DEFAULT_RETRY_TUNING, type RetryTuning } from "./retry-policy";

/** How to reach Genesys Cloud and how hard to push it. */
export interface GenesysClientOptions {
  /** Genesys Cloud region, e.g. `eu-central-1`; required unless `apiUrl` is set. */
  readonly region?: string;
  /** API origin override (emulator, proxy); `http://` only for loopback hosts. */
  readonly apiUrl?: string;
  /** Login origin override; derived from `apiUrl`/`region` when omitted. */
  readonly authUrl?: string;
  /** OAuth client id (Client Credentials grant). */
  readonly clientId: string;
  /** OAuth client secret; kept in a private field, never serialised or put in an error. */
  readonly clientSecret: string;
  /**
   * Most requests started per second, shared by every client of this (apiUrl, clientId) in the process. Default: no
   * fixed pace; the shared gate follows the server's rate-limit budget (see {@link CLIENT_DEFAULTS}).
   */
  readonly requestsPerSecond?: number;
  /** Requests in flight at once, shared likewise. Default 8. */
  readonly maxConcurrency?: number;
  /** How long one call may keep retrying (429 waits included) before it fails. Default 5 minutes. */
  readonly deadlineMs?: number;
  /** Timeout of one HTTP attempt. Default 30 s. */
  readonly timeoutMs?: number;
  /** `User-Agent` header. Default `pulumi-genesys-wrapup (node <version>)`. */
  readonly userAgent?: string;
  /** Fine-tuning of the retry policy (backoff steps, attempt bound, `Retry-After` cap); mostly for tests. */
  readonly retry?: Partial<RetryTuning>;
  /** Most POSTs one create sends while reconciling unknown outcomes. Default 3. */
  readonly maxCreateAttempts?: number;
}

/** The options with every default filled in and validated. The secret is not part of it. */
export interface ResolvedClientOptions extends GenesysEndpoints {
  readonly clientId: string;
  readonly requestsPerSecond: number;
  readonly maxConcurrency: number;
  readonly deadlineMs: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly retry: RetryTuning;
  readonly maxCreateAttempts: number;
}

/**
 * Defaults. No fixed pace (`requestsPerSecond` infinite): the platform grants each token a budget per window
 * (300 requests per minute by default, raised for some organisations) and announces what is left of it on every
 * answer (`inin-ratelimit-*`). The fastest schedule that never earns a 429 is to send at full concurrency while the
 * window has budget and to hold every request once it is spent, until the window resets — which the shared gate
 * does (and it honours `Retry-After` when a 429 comes anyway). A fixed pace can only be slower: the former default of
 * 10/s made a 1000-code `up` take 100 s against a 3000-per-minute budget that allows it in 20 s (docs/benchmarks.md).
 * Set `requestsPerSecond` to leave part of the budget to other work on the same token.
 */
export const CLIENT_DEFAULTS = {
  requestsPerSecond: Number.POSITIVE_INFINITY,
  maxConcurrency: 8,
  deadlineMs: 5 * 60_000,
  timeoutMs: 30_000,
  userAgent: `pulumi-genesys-wrapup (node ${process.version})`,
  maxCreateAttempts: 3,
} as const;

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new GenesysConfigError(`${name} must be a positive ${integer ? "integer" : "number"} (got ${value}).`);
  }
  return value;
}

/** Validates the options and fills in defaults; throws {@link GenesysConfigError} on a mistake. */
export function resolveClientOptions(options: GenesysClientOptions): ResolvedClientOptions {
  if (!options.clientId?.trim()) throw new GenesysConfigError("clientId is required.");
  if (!options.clientSecret) throw new GenesysConfigError("clientSecret is required.");
  const endpoints = resolveEndpoints(options);
  return {
    ...endpoints,
    clientId: options.clientId,
    requestsPerSecond: positive("requestsPerSecond", options.requestsPerSecond, CLIENT_DEFAULTS.requestsPerSecond),
    maxConcurrency: positive("maxConcurrency", options.maxConcurrency, CLIENT_DEFAULTS.maxConcurrency, true),
    deadlineMs: positive("deadlineMs", options.deadlineMs, CLIENT_DEFAULTS.deadlineMs),
    timeoutMs: positive("timeoutMs", options.timeoutMs, CLIENT_DEFAULTS.timeoutMs),
    userAgent: options.userAgent ?? CLIENT_DEFAULTS.userAgent,
    retry: { ...DEFAULT_RETRY_TUNING, ...options.retry },
    maxCreateAttempts: positive(
      "maxCreateAttempts",
      options.maxCreateAttempts,
      CLIENT_DEFAULTS.maxCreateAttempts,
      true,
    ),
  };
}
