import type * as pulumi from "@pulumi/pulumi";
import type { GenesysApiError } from "../../client/errors";
import type { Call, StoredWebhook, WebhooksApi } from "../../profiles/seam";
import { profile, settings } from "../../runtime";
import { dropUndefined } from "../../util";
import { audit } from "../audit";
import { diffSyncWebhook } from "./diff";
import { SyncWebhookInputs, SyncWebhookState, checkSyncWebhook } from "./schema";
import { desiredWebhook, webhookState } from "./state";

async function adopt(
  webhooks: WebhooksApi,
  inputs: SyncWebhookInputs,
  conflict: GenesysApiError,
): Promise<{ id: string; outs: SyncWebhookState }> {
  const s = await settings();
  const existingId = conflict.entityId ?? (await webhooks.findByName(inputs.name)).body?.id;
  if (!existingId) throw conflict;
  // The full write also sets our secret: the adopted webhook signs with the secret this stack declares.
  const call = await webhooks.update(existingId, desiredWebhook(inputs));
  return { id: call.body.id, outs: webhookState(call.body, inputs, audit("adopt", s.clientId ?? "", call)) };
}

/** The audit of a write, or the previous one when nothing was sent (the stack's own object changed). */
function auditOf(
  action: "create" | "update",
  clientId: string,
  call: Call<StoredWebhook>,
  previous?: SyncWebhookState,
) {
  return call.attempts > 0 ? audit(action, clientId, call) : (previous?.audit ?? audit(action, clientId, call));
}

/**
 * CRUD of `SyncWebhook` for the dynamic-provider host. Inputs arrive checked (see `check`) and with secrets
 * unwrapped (the host does not accept secrets). The secret goes into request bodies only: never into outputs
 * (which the program receives and the SDK logs, see resource.ts) or error messages.
 */
export const syncWebhookProvider = {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return checkSyncWebhook(olds, news);
  },

  async diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = diffSyncWebhook(olds, news);
    return { changes, replaces, deleteBeforeReplace };
  },

  async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const inputs = news as unknown as SyncWebhookInputs;
    const [s, { webhooks }] = [await settings(), await profile()];
    try {
      const call = await webhooks.create(desiredWebhook(inputs));
      return { id: call.body.id, outs: webhookState(call.body, inputs, auditOf("create", s.clientId ?? "", call)) };
    } catch (err) {
      if (!webhooks.isNameConflict(err)) throw err;
      const conflict = err as GenesysApiError;
      if (inputs.onConflict === "adopt") return adopt(webhooks, inputs, conflict);
      throw new Error(
        `webhook "${inputs.name}" already exists as webhook ${conflict.entityId ?? "(unknown id)"} ` +
          `(${conflict.status} ${conflict.code}, contextId ${conflict.contextId ?? "-"}); webhook names are unique. ` +
          `To manage the existing webhook from this stack, set onConflict: "adopt" on this resource; otherwise ` +
          `choose another name.`,
      );
    }
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const { webhooks } = await profile();
    const previous = props as unknown as SyncWebhookState;
    const call = await webhooks.read(id, storedOf(id, previous));
    // Deleted outside Pulumi: an empty id takes the webhook out of the state, and the next `up` creates it again.
    if (call.body === null) return { id: "", props: {} };
    return { id, props: webhookState(call.body, previous, previous.audit) };
  },

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = news as unknown as SyncWebhookInputs;
    const state = olds as unknown as SyncWebhookState;
    const { changed } = diffSyncWebhook(olds, news);
    if (changed.every((f) => f === "onConflict")) {
      // Only provider-side behaviour changed: nothing to send.
      return { outs: dropUndefined({ ...state, onConflict: inputs.onConflict }) };
    }
    const [s, { webhooks }] = [await settings(), await profile()];
    const call = await webhooks.update(id, desiredWebhook(inputs)).catch((err: unknown) => {
      if ((err as GenesysApiError)?.status === 404) {
        const e = err as GenesysApiError;
        throw new Error(
          `webhook "${state.name}" (${id}) no longer exists: it was deleted outside Pulumi (${e.status} ${e.code}, ` +
            `contextId ${e.contextId ?? "-"}). Run \`pulumi refresh\` to drop it from the state; the next ` +
            "`pulumi up` creates it again.",
        );
      }
      throw err;
    });
    const previous = { ...inputs, dateCreated: state.dateCreated, audit: state.audit } as SyncWebhookState;
    return { outs: webhookState(call.body, previous, auditOf("update", s.clientId ?? "", call, state)) };
  },

  async delete(id: string): Promise<void> {
    // Already gone (404) counts as deleted.
    await (await profile()).webhooks.delete(id);
  },
};

/** The state as the profile's view of the webhook (where the stack keeps the webhook, it is the answer). */
function storedOf(id: string, state: SyncWebhookState): StoredWebhook {
  return dropUndefined({
    id,
    name: state.name,
    callbackUrl: state.callbackUrl,
    eventTypes: state.eventTypes,
    filters: state.filters,
    enabled: state.enabled,
    description: state.description,
    status: state.status,
    secretSet: state.secretSet,
    dateCreated: state.dateCreated,
    dateModified: state.dateModified,
  });
}
