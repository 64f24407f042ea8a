export { SyncWebhook } from "./resource";
export type { SyncWebhookArgs, SyncWebhookConditionArgs, SyncWebhookFiltersArgs } from "./resource";
export { syncWebhookProvider } from "./provider";
export { checkSyncWebhook, DEFAULT_EVENT_TYPES, EVENT_TYPES, FILTER_FIELDS } from "./schema";
export type { SyncWebhookInputs, SyncWebhookState } from "./schema";
export { diffSyncWebhook } from "./diff";
export { desiredWebhook, webhookState } from "./state";
