export { WrapUpCode } from "./resources/wrapupCode";
export type { WrapUpCodeArgs } from "./resources/wrapupCode";
export { SyncWebhook } from "./resources/syncWebhook";
export type { SyncWebhookArgs, SyncWebhookConditionArgs, SyncWebhookFiltersArgs } from "./resources/syncWebhook";
export type { Audit } from "./resources/audit";
export { DEFAULT_DISPOSITION_MATRIX } from "./matrix";
export type { DispositionMatrix } from "./matrix";
