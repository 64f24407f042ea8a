export { WrapUpCode, WrapUpCodeArgs } from "./resources/wrapupCode";
export { SyncWebhook, SyncWebhookArgs } from "./resources/syncWebhook";
export type { Audit } from "./resources/audit";
export { DEFAULT_DISPOSITION_MATRIX, DispositionMatrix } from "./matrix";
