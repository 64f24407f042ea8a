/**
 * The Genesys Cloud REST client.
 *
 * Layers, each in its own file:
 * - pure rules: `regions` (hosts per region, loopback-only http), `retry-policy` (what to retry, how long to wait),
 *   `rate-limit-headers` (`Retry-After`, `inin-ratelimit-*`), `errors` (one error class and its message), `paging`;
 * - process-wide state on `globalThis` (`shared-state`): the token cache (`token-cache`) and the request gate
 *   (`limiter`, Bottleneck), shared by every client instance with the same (host, clientId);
 * - got wiring: `hooks` (bearer token + gate in beforeRequest, 401 refresh in afterResponse, the policy in
 *   retry.calculateDelay), `oauth` (token endpoint), `transport` (calls → envelopes or GenesysApiError);
 * - `reconcile` (creates that never duplicate).
 * The typed methods of each API profile live with the profile (`provider/src/profiles/<profile>/`): this folder
 * knows no wire field of a wrap-up code or a webhook.
 */
export { GenesysTransport, GenesysTransport as GenesysClient } from "./transport";
export { toSearchParams, type Query, type RequestOptions, type Requester } from "./requester";
export type { ApiEnvelope } from "./envelope";
export {
  GenesysApiError,
  GenesysAuthError,
  GenesysConfigError,
  formatApiErrorMessage,
  hintFor,
  type FieldError,
  type GenesysApiErrorInit,
  type LimitInfo,
} from "./errors";
export {
  CLIENT_DEFAULTS,
  resolveClientOptions,
  type GenesysClientOptions,
  type ResolvedClientOptions,
} from "./options";
export {
  KNOWN_REGIONS,
  REGION_DOMAINS,
  isKnownRegion,
  isLoopbackHost,
  regionEndpoints,
  resolveEndpoints,
  type EndpointSettings,
  type GenesysEndpoints,
  type GenesysRegion,
} from "./regions";
export {
  DEFAULT_RETRY_TUNING,
  classifyFailure,
  decideRetry,
  isIdempotentMethod,
  isOutcomeUnknown,
  type FailedAttempt,
  type FailureKind,
  type RetryDecision,
  type RetryTuning,
} from "./retry-policy";
export { MAX_PAGE_SIZE, hasNextPage } from "./paging";
export { createWithReconcile, type ReconcilingCreate } from "./reconcile";
export { TOKEN_REFRESH_MARGIN_MS, refreshMarginMs, type AccessToken } from "./token-cache";
export { resetSharedClientState } from "./shared-state";
export type * from "./types";
