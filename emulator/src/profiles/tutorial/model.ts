/** The tutorial's entities: scopes, disposition matrix, wrap-up codes with a queue each, webhooks. */

export const SCOPES = {
  codeRead: "routing:wrapupcode",
  codeWrite: "routing:wrapupcode:write",
  queueRead: "routing:queue",
  webhooks: "analytics:events:write",
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

export type DispositionMatrix = Record<string, string[]>;

export interface WrapupCodeInput {
  codeName: string;
  code: string;
  codeCategoryName: string;
  routingQueue: { id: string };
  mandatoryField: boolean;
  reportingTags: string[];
  validFrom: string | null;
  validThrough: string | null;
  description: string | null;
}

export interface WrapupCode extends WrapupCodeInput {
  id: string;
  dateCreated: string;
  dateModified: string;
  createdBy: string;
  modifiedBy: string;
}

export const EVENT_TYPES = [
  "routing:wrapupcode:created",
  "routing:wrapupcode:updated",
  "routing:wrapupcode:deleted",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface WebhookFilter {
  field: string;
  value: string;
}

export interface WebhookFilters {
  matchType: "exact" | "prefix";
  filters: WebhookFilter[];
}

export interface WebhookInput {
  name: string;
  description: string | null;
  callbackUrl: string;
  eventTypes: EventType[];
  /** `null` when the body had no filters: every event of the listed types matches. */
  filters: WebhookFilters | null;
  enabled: boolean;
  /** `undefined`: not in the body (PUT keeps the old secret); `null`: clear it. */
  secret: string | null | undefined;
}

export interface Webhook extends Omit<WebhookInput, "secret"> {
  id: string;
  secret: string | null;
  dateCreated: string;
  dateModified: string;
  createdBy: string;
  modifiedBy: string;
}
