import type { Webhook as WebhookEntity, WebhookEventType, WebhookFilters, WebhookPayload } from "../../client";
import type { FilterField, SyncEventType, SyncWebhookFilters, SyncWebhookInputs, SyncWebhookState } from "./schema";

/** The only place that knows the API's names for a webhook: event types and the code fields filters name. */
const EVENT_PREFIX = "routing:wrapupcode:";

const FILTER_FIELD_TO_WIRE: Record<FilterField, string> = {
  codeId: "id",
  name: "codeName",
  code: "code",
  category: "codeCategoryName",
  queueId: "routingQueue.id",
  description: "description",
  createdBy: "createdBy",
  modifiedBy: "modifiedBy",
  reportingTags: "reportingTags",
};

const FILTER_FIELD_FROM_WIRE = new Map(Object.entries(FILTER_FIELD_TO_WIRE).map(([user, wire]) => [wire, user]));

/**
 * The request body. The secret is always sent (or `null` to clear it): a PUT without it would keep whatever the
 * platform holds, so a secret set outside Pulumi would survive an update.
 */
export function toWire(inputs: SyncWebhookInputs): WebhookPayload {
  return {
    name: inputs.name,
    description: inputs.description ?? null,
    callbackUrl: inputs.callbackUrl,
    eventTypes: inputs.eventTypes.map((t) => `${EVENT_PREFIX}${t}` as WebhookEventType),
    filters: inputs.filters ? filtersToWire(inputs.filters) : null,
    secret: inputs.secret ?? null,
    enabled: inputs.enabled,
  };
}

function filtersToWire(filters: SyncWebhookFilters): WebhookFilters {
  return {
    matchType: filters.matchType,
    filters: filters.conditions.map((c) => ({ field: FILTER_FIELD_TO_WIRE[c.field], value: c.value })),
  };
}

function filtersFromWire(filters: WebhookFilters | null | undefined): SyncWebhookFilters | undefined {
  // The platform answers an empty filter list for "every event", the same as no filter.
  if (!filters || filters.filters.length === 0) return undefined;
  return {
    matchType: filters.matchType,
    conditions: filters.filters.map((f) => ({
      // A field this provider does not know (added to the platform later) is kept as the platform names it.
      field: (FILTER_FIELD_FROM_WIRE.get(f.field) ?? f.field) as FilterField,
      value: f.value,
    })),
  };
}

/**
 * State (outputs) from the platform's view of a webhook. `previous` (the inputs at create/update, the old state at
 * refresh) keeps what the platform does not know: `onConflict`, `secretVersion`, the audit. The secret itself is
 * never copied into the outputs (see SyncWebhookInputs.secretVersion).
 */
export function fromWire(
  entity: WebhookEntity,
  previous: Partial<SyncWebhookState> & { secret?: string },
): SyncWebhookState {
  // Built field by field (no spread of `previous`), so that the secret of the inputs cannot slip in.
  const state: SyncWebhookState = {
    name: entity.name,
    callbackUrl: entity.callbackUrl,
    eventTypes: entity.eventTypes.map((t) => t.replace(EVENT_PREFIX, "") as SyncEventType),
    filters: filtersFromWire(entity.filters),
    enabled: entity.enabled ?? true,
    description: entity.description ?? undefined,
    onConflict: previous.onConflict ?? "fail",
    secretVersion: previous.secretVersion ?? 0,
    webhookId: entity.id,
    status: entity.status,
    secretSet: entity.secretSet,
    dateCreated: entity.dateCreated,
    dateModified: entity.dateModified,
    audit: previous.audit,
  };
  return dropUndefined(state);
}

/** Pulumi drops undefined properties anyway; dropping them here keeps comparisons exact. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
