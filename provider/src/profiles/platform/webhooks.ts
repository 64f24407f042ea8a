import { randomUUID } from "node:crypto";
import { dropUndefined } from "../../util";
import type { Call, DesiredWebhook, StoredWebhook, WebhooksApi } from "../seam";

/** A call that sent nothing: the stack's own object changed. */
function local<T>(body: T): Call<T> {
  return { body, status: 200, attempts: 0, latencyMs: 0 };
}

/**
 * BI-sync webhooks on the public platform. The platform has no webhook API for wrap-up code changes (and does not
 * hold what BI needs most: category, short code, tags), so the webhook is the stack's own object: its definition
 * lives in the state and the provider delivers the stack's changes to it (see SyncWebhook and
 * docs/design.md, "BI sync on the platform profile"). Nothing here sends a request to Genesys Cloud.
 */
export class StackWebhooks implements WebhooksApi {
  readonly deliveredBy = "stack" as const;

  async create(desired: DesiredWebhook): Promise<Call<StoredWebhook>> {
    const now = new Date().toISOString();
    return local(stored(randomUUID(), desired, now, now));
  }

  async read(_id: string, known: StoredWebhook): Promise<Call<StoredWebhook | null>> {
    return local(known);
  }

  async update(id: string, desired: DesiredWebhook): Promise<Call<StoredWebhook>> {
    return local(stored(id, desired, undefined, new Date().toISOString()));
  }

  async delete(): Promise<Call<{ deleted: boolean }>> {
    return local({ deleted: true });
  }

  async findByName(): Promise<Call<StoredWebhook | null>> {
    return local(null);
  }

  isNameConflict(): boolean {
    return false;
  }
}

function stored(id: string, desired: DesiredWebhook, created: string | undefined, modified: string): StoredWebhook {
  const { secret, ...rest } = desired;
  return dropUndefined({
    ...rest,
    id,
    status: desired.enabled ? "active" : "disabled",
    secretSet: secret !== undefined,
    dateCreated: created,
    dateModified: modified,
  });
}
