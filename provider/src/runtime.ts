import type * as pulumi from "@pulumi/pulumi";
import type { GenesysClientOptions } from "./client";
import { ConfigError, ProviderSettings, resolveSettings } from "./config";
import { platformProfile, tutorialProfile, type ApiProfile } from "./profiles";

/**
 * Process-wide state of the provider, shared by every resource type. It lives on `globalThis` because the
 * dynamic-provider host evaluates one serialized shim per resource type, and both must share one configuration,
 * one token cache and one rate limiter.
 */
interface RuntimeState {
  settings?: Promise<ProviderSettings>;
  profile?: ApiProfile;
}

const KEY = Symbol.for("pulumi-genesys-wrapup.runtime");
const state: RuntimeState = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as RuntimeState;

/** Called by the shim's `configure`. The host may deliver the first resource call before this settles. */
export function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  // Each resource type's provider is configured with the same stack config; the first one wins, so that the
  // client (and its token cache and limiter) is shared by every resource in the process.
  const settings = (state.settings ??= Promise.resolve().then(() => resolveSettings((key) => req.config.get(key))));
  // Errors surface at the first call that needs the settings, with the key named in the message.
  return settings.then(
    () => undefined,
    () => undefined,
  );
}

/** The provider's settings; falls back to the environment when `configure` was never called (older engines). */
export function settings(): Promise<ProviderSettings> {
  state.settings ??= Promise.resolve().then(() => resolveSettings(() => undefined));
  return state.settings;
}

/**
 * The API profile of this stack, created on first need and kept for the process: chosen once (from
 * `genesys:apiProfile`), so every resource of the run talks to one implementation with one token cache, one
 * limiter and one set of per-run caches.
 */
export async function profile(): Promise<ApiProfile> {
  const s = await settings();
  if (!state.profile) {
    const client = clientOptions(s);
    state.profile =
      s.apiProfile === "tutorial"
        ? tutorialProfile(client, s.dispositionMatrix)
        : platformProfile(client, { batchWindowMs: s.membershipBatchMs });
  }
  return state.profile;
}

function clientOptions(s: ProviderSettings): GenesysClientOptions {
  if (!s.clientId || !s.clientSecret) {
    throw new ConfigError(
      "genesys:clientId and genesys:clientSecret are required to call the API: set them with " +
        "`pulumi config set genesys:clientId <id>` and `pulumi config set --secret genesys:clientSecret <secret>`, " +
        "or the GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET environment variables",
    );
  }
  return {
    region: s.region,
    apiUrl: s.apiUrl,
    authUrl: s.authUrl,
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    requestsPerSecond: s.requestsPerSecond,
  };
}

/** Per-run caches of the resource implementations (e.g. queue code counts), reset with the process. */
export function runCache<T>(name: string, init: () => T): T {
  const caches = ((state as Record<string, unknown>).caches ??= new Map<string, unknown>()) as Map<string, unknown>;
  if (!caches.has(name)) caches.set(name, init());
  return caches.get(name) as T;
}
