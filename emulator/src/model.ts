/** Stored entities (the shape kept in memory and in the journal). */

export const SCOPES = {
  codeRead: "routing:wrapupcode",
  codeWrite: "routing:wrapupcode:write",
  queueRead: "routing:queue",
  webhooks: "analytics:events:write",
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

export interface Client {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface Division {
  id: string;
  name: string;
}

export interface Queue {
  id: string;
  name: string;
  division: Division;
  memberCount: number;
  dateCreated: string;
}

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

export interface TokenRecord {
  /** sha256 of the access token (the token itself is never stored). */
  hash: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
