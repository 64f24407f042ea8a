// The tutorial's wire format (its API contract, sections 6-8): the only module besides the tutorial profile's
// API and mapping that knows names such as `codeName` or `routingQueue`.
import type { EntityRef } from "../../client/types";

/** Body of `POST`/`PUT /api/v2/routing/wrapupcodes[/{id}]` (contract section 7). */
export interface WrapUpCodePayload {
  /** Display name, 1..255 of `[A-Za-z0-9 _-]`, unique per queue case-insensitively. */
  readonly codeName: string;
  /** Short code, 1..128 of `[A-Za-z0-9 _-]`. */
  readonly code: string;
  /** An existing disposition category, matched exactly. */
  readonly codeCategoryName: string;
  /** The queue the code belongs to. */
  readonly routingQueue: { readonly id: string };
  /** Whether agents must pick this code. */
  readonly mandatoryField?: boolean;
  /** Derived and user tags, at most 50, each `[a-z0-9:_.-]{1,100}`. */
  reportingTags?: string[];
  /** ISO 8601 date-time with offset, or null. */
  readonly validFrom?: string | null;
  /** ISO 8601 date-time with offset, or null; after `validFrom`. */
  readonly validThrough?: string | null;
  /** At most 512 characters, or null. */
  readonly description?: string | null;
}

/** A stored wrap-up code as GET/POST/PUT answer it. */
export interface WrapUpCode extends WrapUpCodePayload {
  readonly id: string;
  readonly dateCreated?: string;
  readonly dateModified?: string;
  /** Client id that created it. */
  readonly createdBy?: string;
  readonly modifiedBy?: string;
  readonly selfUri?: string;
}

/** Alias of {@link WrapUpCode}: the stored entity, as opposed to the payload. */
export type WrapUpCodeEntity = WrapUpCode;

/** Filters of `GET /api/v2/routing/wrapupcodes`. */
export interface WrapUpCodeFilter {
  /** Server-side name filter (the platform may match loosely; callers compare exactly). */
  readonly name?: string;
  readonly routingQueueId?: string;
  readonly codeCategoryName?: string;
}

/** A routing queue (contract section 6); created by the organisation, read-only here. */
export interface Queue {
  readonly id: string;
  readonly name: string;
  readonly division?: EntityRef;
  readonly memberCount?: number;
  readonly dateCreated?: string;
  readonly selfUri?: string;
}

/** Event types an analytics webhook can subscribe to. */
export type WebhookEventType =
  "routing:wrapupcode:created" | "routing:wrapupcode:updated" | "routing:wrapupcode:deleted";

/** Which events a webhook receives. */
export interface WebhookFilters {
  readonly matchType: "exact" | "prefix";
  filters: { readonly field: string; readonly value: string }[];
}

/** Body of `POST`/`PUT /api/v2/analytics/events/webhooks[/{id}]` (contract section 8). */
export interface WebhookPayload {
  /** Unique name. */
  readonly name: string;
  readonly description?: string | null;
  /** `https://` (plain `http://` only for loopback). */
  readonly callbackUrl: string;
  eventTypes: WebhookEventType[];
  readonly filters?: WebhookFilters | null;
  /** Shared secret for `X-Genesys-Signature`; write-only, never returned. On PUT: absent keeps, `null` clears. */
  readonly secret?: string | null;
  readonly enabled?: boolean;
}

/** A stored webhook: the payload without `secret`, plus server fields. */
export interface Webhook extends Omit<WebhookPayload, "secret"> {
  readonly id: string;
  readonly status?: "active" | "disabled";
  /** True when a secret is set (the secret itself is never returned). */
  readonly secretSet?: boolean;
  readonly dateCreated?: string;
  readonly dateModified?: string;
  readonly selfUri?: string;
}

/** Alias of {@link Webhook}: the stored entity, as opposed to the payload. */
export type WebhookEntity = Webhook;
