/**
 * A local Genesys Cloud emulator (loopback HTTP): OAuth client credentials, queues, wrap-up
 * codes, analytics event webhooks, rate limits and fault injection. See docs/emulator.md.
 */
export { Emulator, startEmulator } from "./emulator";
export type { EmulatorHandle, EmulatorOptions } from "./emulator";
export { defaultConfig } from "./config";
export type { ConfigPatch, EmulatorConfig, FaultRates, WebhookRetryConfig } from "./config";
export {
  DEFAULT_CLIENTS,
  DEFAULT_MATRIX,
  DEFAULT_QUEUES,
  HOME_DIVISION,
  generatedQueueId,
  generatedQueueName,
} from "./seed";
export type { Seed, SeedClient, SeedQueue } from "./seed";
export { signature, webhookMatches } from "./deliveries";
export type { DeliveryAttempt } from "./deliveries";
export { FAULT_KINDS } from "./faults";
export type { FaultKind } from "./faults";
export { ALL_SCOPES, EVENT_TYPES, SCOPES } from "./model";
