// Public surface of the Genesys Cloud REST client.
export { GenesysClient } from "./api";
export { GenesysTransport, type Query, type RequestOptions, type Requester } from "./transport";
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
export { TOKEN_REFRESH_MARGIN_MS } from "./token-cache";
export { resetSharedClientState } from "./shared-state";
export type * from "./types";
