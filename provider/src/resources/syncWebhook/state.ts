import type { DesiredWebhook, StoredWebhook } from "../../profiles/seam";
import { dropUndefined } from "../../util";
import type { Audit } from "../audit";
import type { FilterField, SyncEventType, SyncWebhookInputs, SyncWebhookState } from "./schema";

/** What the profile is asked to hold: the checked inputs, secret included (it goes where it signs events). */
export function desiredWebhook(inputs: SyncWebhookInputs): DesiredWebhook {
  return dropUndefined({
    name: inputs.name,
    callbackUrl: inputs.callbackUrl,
    eventTypes: inputs.eventTypes,
    filters: inputs.filters,
    secret: inputs.secret,
    enabled: inputs.enabled,
    description: inputs.description,
  });
}

/**
 * State (outputs) from the profile's view of a webhook. `previous` (the inputs at create/update, the old state at
 * refresh) keeps what the platform does not know: `onConflict`, `secretVersion`, the audit. Built field by field
 * (no spread of `previous`), so that the secret of the inputs cannot slip into the outputs.
 */
export function webhookState(
  stored: StoredWebhook,
  previous: Partial<SyncWebhookState>,
  audit: Audit | undefined,
): SyncWebhookState {
  return dropUndefined({
    name: stored.name,
    callbackUrl: stored.callbackUrl,
    eventTypes: stored.eventTypes as SyncEventType[],
    filters: stored.filters && {
      matchType: stored.filters.matchType,
      conditions: stored.filters.conditions.map((c) => ({ field: c.field as FilterField, value: c.value })),
    },
    enabled: stored.enabled,
    description: stored.description,
    onConflict: previous.onConflict ?? "fail",
    secretVersion: previous.secretVersion ?? 0,
    webhookId: stored.id,
    status: stored.status,
    secretSet: stored.secretSet,
    dateCreated: stored.dateCreated ?? previous.dateCreated,
    dateModified: stored.dateModified,
    audit,
    // Where the stack delivers the events: what is still to deliver survives a refresh.
    pendingEvents: previous.pendingEvents,
    lastDelivery: previous.lastDelivery,
  });
}
