/**
 * A local Genesys Cloud emulator (loopback HTTP) with two profiles: `platform` (default: the public Platform
 * API's wrap-up codes, queue membership, divisions, limits) and `tutorial` (the tutorial's API, with
 * webhooks). OAuth client credentials, rate limits and fault injection on both. See docs/emulator.md.
 */
export { DEFAULT_PROFILE, Emulator, PROFILES, startEmulator } from "./server";
export type { EmulatorHandle, EmulatorOptions } from "./server";
export { defaultConfig } from "./config";
export type { ConfigPatch, EmulatorConfig, FaultRates, WebhookRetryConfig } from "./config";
export { PROFILE_NAMES } from "./model";
export type { ProfileName } from "./model";
export { DEFAULT_CLIENTS, DEFAULT_QUEUES, HOME_DIVISION, generatedQueueId, generatedQueueName } from "./seed";
export type { Seed, SeedClient, SeedQueue } from "./seed";
export { FAULT_KINDS } from "./faults";
export type { FaultKind } from "./faults";
// tutorial profile
export { DEFAULT_MATRIX } from "./profiles/tutorial/seed";
export { signature, webhookMatches } from "./profiles/tutorial/deliveries";
export type { DeliveryAttempt } from "./profiles/tutorial/deliveries";
export { ALL_SCOPES, EVENT_TYPES, SCOPES } from "./profiles/tutorial/model";
// platform profile
export {
  ALL_PERMISSIONS,
  DEFAULT_DIVISIONS,
  EUROPE_DIVISION_ID,
  HOME_DIVISION_ID,
  PERMISSIONS,
  ROUTING_LIMITS,
} from "./profiles/platform/model";
export type { SeedDivision, SeedWrapupCode } from "./profiles/platform/model";
export { ADMIN_UI_USER } from "./profiles/platform/seed";
