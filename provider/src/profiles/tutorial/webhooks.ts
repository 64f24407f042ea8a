import { GenesysApiError } from "../../client/errors";
import { dropUndefined } from "../../util";
import type { Call, DesiredWebhook, StoredWebhook, WebhooksApi } from "../seam";
import type { TutorialApi } from "./api";
import type { Webhook, WebhookEventType, WebhookFilters, WebhookPayload } from "./wire-types";

/** The tutorial's names for the events and for the code fields a filter may name. */
const EVENT_PREFIX = "routing:wrapupcode:";

const FILTER_FIELD_TO_WIRE: Record<string, string> = {
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
export function webhookToWire(desired: DesiredWebhook): WebhookPayload {
  return {
    name: desired.name,
    description: desired.description ?? null,
    callbackUrl: desired.callbackUrl,
    eventTypes: desired.eventTypes.map((t) => `${EVENT_PREFIX}${t}` as WebhookEventType),
    filters: desired.filters
      ? {
          matchType: desired.filters.matchType,
          filters: desired.filters.conditions.map((c) => ({
            field: FILTER_FIELD_TO_WIRE[c.field] ?? c.field,
            value: c.value,
          })),
        }
      : null,
    secret: desired.secret ?? null,
    enabled: desired.enabled,
  };
}

/** The platform's view of a webhook in the resource's words (never with the secret: the platform never returns it). */
export function webhookFromWire(entity: Webhook): StoredWebhook {
  return dropUndefined({
    id: entity.id,
    name: entity.name,
    callbackUrl: entity.callbackUrl,
    eventTypes: entity.eventTypes.map((t) => t.replace(EVENT_PREFIX, "")),
    filters: filtersFromWire(entity.filters),
    enabled: entity.enabled ?? true,
    description: entity.description ?? undefined,
    status: entity.status,
    secretSet: entity.secretSet,
    dateCreated: entity.dateCreated,
    dateModified: entity.dateModified,
  });
}

function filtersFromWire(filters: WebhookFilters | null | undefined): StoredWebhook["filters"] {
  // The platform answers an empty filter list for "every event", the same as no filter.
  if (!filters || filters.filters.length === 0) return undefined;
  return {
    matchType: filters.matchType,
    // A field this provider does not know (added to the platform later) is kept as the platform names it.
    conditions: filters.filters.map((f) => ({ field: FILTER_FIELD_FROM_WIRE.get(f.field) ?? f.field, value: f.value })),
  };
}

/** Analytics event webhooks on the tutorial's API: the platform watches the codes and delivers every change. */
export class TutorialWebhooks implements WebhooksApi {
  readonly deliveredBy = "platform" as const;
  readonly #api: TutorialApi;

  constructor(api: TutorialApi) {
    this.#api = api;
  }

  async create(desired: DesiredWebhook): Promise<Call<StoredWebhook>> {
    const call = await this.#api.createWebhook(webhookToWire(desired));
    return { ...call, body: webhookFromWire(call.body) };
  }

  async read(id: string): Promise<Call<StoredWebhook | null>> {
    const call = await this.#api.getWebhook(id);
    return { ...call, body: call.body === null ? null : webhookFromWire(call.body) };
  }

  async update(id: string, desired: DesiredWebhook): Promise<Call<StoredWebhook>> {
    const call = await this.#api.updateWebhook(id, webhookToWire(desired));
    return { ...call, body: webhookFromWire(call.body) };
  }

  delete(id: string): ReturnType<WebhooksApi["delete"]> {
    return this.#api.deleteWebhook(id);
  }

  async findByName(name: string): Promise<Call<StoredWebhook | null>> {
    const call = await this.#api.findWebhookByName(name);
    return { ...call, body: call.body === null ? null : webhookFromWire(call.body) };
  }

  isNameConflict(error: unknown): boolean {
    return error instanceof GenesysApiError && error.status === 409;
  }
}
