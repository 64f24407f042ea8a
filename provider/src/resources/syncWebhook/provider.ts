import type * as pulumi from "@pulumi/pulumi";
import { GenesysApiError, GenesysClient } from "../../client";
import { client, settings } from "../../runtime";
import { audit } from "../audit";
import { diffSyncWebhook } from "./diff";
import { SyncWebhookInputs, SyncWebhookState, checkSyncWebhook } from "./schema";
import { dropUndefined, fromWire, toWire } from "./wire";

function isConflict(err: unknown): err is GenesysApiError {
  return err instanceof GenesysApiError && err.status === 409;
}

async function adopt(
  api: GenesysClient,
  inputs: SyncWebhookInputs,
  conflict: GenesysApiError,
): Promise<{ id: string; outs: SyncWebhookState }> {
  const s = await settings();
  const existingId = conflict.entityId ?? (await api.findWebhookByName(inputs.name)).body?.id;
  if (!existingId) throw conflict;
  // The full PUT also sets our secret: the adopted webhook signs with the secret this stack declares.
  const call = await api.updateWebhook(existingId, toWire(inputs));
  return { id: call.body.id, outs: { ...fromWire(call.body, inputs), audit: audit("adopt", s.clientId ?? "", call) } };
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
    const [s, api] = [await settings(), await client()];
    try {
      const call = await api.createWebhook(toWire(inputs));
      return {
        id: call.body.id,
        outs: { ...fromWire(call.body, inputs), audit: audit("create", s.clientId ?? "", call) },
      };
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (inputs.onConflict === "adopt") return adopt(api, inputs, err);
      throw new Error(
        `webhook "${inputs.name}" already exists as webhook ${err.entityId ?? "(unknown id)"} ` +
          `(409 ${err.code}, contextId ${err.contextId ?? "-"}); webhook names are unique. To manage the existing ` +
          `webhook from this stack, set onConflict: "adopt" on this resource; otherwise choose another name.`,
      );
    }
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const api = await client();
    const call = await api.getWebhook(id);
    // Deleted outside Pulumi: an empty id takes the webhook out of the state, and the next `up` creates it again.
    if (call.body === null) return { id: "", props: {} };
    return { id, props: fromWire(call.body, props as Partial<SyncWebhookState>) };
  },

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = news as unknown as SyncWebhookInputs;
    const { changed } = diffSyncWebhook(olds, news);
    if (changed.every((f) => f === "onConflict")) {
      // Only provider-side behaviour changed: nothing to send.
      return { outs: dropUndefined({ ...(olds as unknown as SyncWebhookState), onConflict: inputs.onConflict }) };
    }
    const [s, api] = [await settings(), await client()];
    const call = await api.updateWebhook(id, toWire(inputs));
    return { outs: { ...fromWire(call.body, inputs), audit: audit("update", s.clientId ?? "", call) } };
  },

  async delete(id: string): Promise<void> {
    // Already gone (404) counts as deleted.
    await (await client()).deleteWebhook(id);
  },
};
