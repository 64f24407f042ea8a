import type * as pulumi from "@pulumi/pulumi";
import type { GenesysApiError } from "../../client/errors";
import type { Call, StoredWebhook, WebhooksApi } from "../../profiles/seam";
import { engineLog } from "../../engineLog";
import { codeTraits } from "../../profiles/traits";
import { profile, settings } from "../../runtime";
import { dropUndefined } from "../../util";
import { audit } from "../audit";
import { deliverAll } from "./delivery";
import { diffSyncWebhook } from "./diff";
import { recordsByKey, stackWebhookId, type StackEvent } from "./events";
import { awaitDelete } from "./outbox";
import { SyncWebhookInputs, SyncWebhookState, checkSyncWebhook } from "./schema";
import { desiredWebhook, webhookState } from "./state";

/** What the deliveries of one run left: the events still to deliver, and the run's figures. */
interface DeliveryResult {
  readonly pendingEvents: StackEvent[];
  readonly lastDelivery: { delivered: number; pending: number; time: string };
}

/**
 * Delivers this run's events and those earlier runs left pending (platform profile: the stack delivers). A
 * `deleted` event goes out once the platform no longer has the code; until then it waits (see outbox.ts). Events
 * that were not acknowledged stay pending, with their code as it was, for the next `up` under the same ids.
 */
async function deliverStackEvents(
  inputs: SyncWebhookInputs,
  webhookId: string,
  earlier: readonly StackEvent[],
): Promise<DeliveryResult> {
  const time = new Date().toISOString();
  const name = `BI-sync webhook "${inputs.name}"`;
  const due = [...earlier, ...(inputs.events ?? [])];
  if (!inputs.enabled) {
    if (due.length > 0) await engineLog(`${name} is disabled: ${due.length} event(s) dropped, none kept for later`);
    return { pendingEvents: [], lastDelivery: { delivered: 0, pending: 0, time } };
  }
  const { records } = recordsByKey(inputs.codes);
  const { codes } = await profile();
  const destination = { callbackUrl: inputs.callbackUrl, secret: inputs.secret, webhookId };
  const ready: StackEvent[] = [];
  const waiting: StackEvent[] = [];
  // Never report what the platform did not do: a removed code is reported once it is gone. The reads go out
  // together, so the profile gathers them into listings by id rather than one request per deleted code.
  const gone = await Promise.all(
    due.map(async (event) =>
      event.type === "deleted" && event.entity
        ? (await codes.read(event.entity.codeId).catch(() => ({ body: undefined }))).body === null
        : false,
    ),
  );
  for (const [i, event] of due.entries()) {
    if (event.type !== "deleted" || !event.entity) {
      ready.push(event.entity ? event : { ...event, entity: records.get(event.key) });
      continue;
    }
    if (gone[i]) ready.push({ ...event, awaitingDelete: false });
    else {
      waiting.push(event);
      awaitDelete(event.entity.codeId, destination, event, event.entity);
    }
  }
  const outcomes = await deliverAll(destination, ready, (event) => event.entity);
  const failed = outcomes.filter((o) => !o.delivered);
  const pendingEvents = [...failed.map((o) => o.event), ...waiting];
  const delivered = outcomes.length - failed.length;
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((o) => o.reason))].slice(0, 3).join("; ");
    await engineLog(
      `${name}: ${failed.length} of ${outcomes.length} event(s) could not be delivered to ${inputs.callbackUrl} ` +
        `(${reasons}). The codes are applied; the events are kept in the webhook's state (output pendingEvents) ` +
        "and delivered by the next `pulumi up`, under the same delivery ids.",
      "warning",
    );
  } else if (delivered > 0) {
    await engineLog(`${name}: delivered ${delivered} event(s) to ${inputs.callbackUrl}`);
  }
  if (waiting.length > 0) {
    await engineLog(
      `${name}: ${waiting.length} deleted event(s) go out when this run deletes their code(s); the next ` +
        "`pulumi up` confirms the deletion and sends them again under the same ids (receivers de-duplicate)",
    );
  }
  return { pendingEvents, lastDelivery: { delivered, pending: pendingEvents.length, time } };
}

/** The pure checks and diffs work on property bags: in a preview any value may be the unknown sentinel. */
const bag = (value: object): Record<string, unknown> => value as Record<string, unknown>;

/** A summary for the preview: what an `up` will deliver. */
async function announce(news: Record<string, unknown>, olds: Record<string, unknown>): Promise<void> {
  const events = Array.isArray(news.events) ? (news.events as unknown[]) : [];
  const pending = Array.isArray(olds.pendingEvents) ? olds.pendingEvents.length : 0;
  if (events.length === 0 && pending === 0) return;
  const byType = new Map<string, number>();
  for (const e of events) {
    const type = typeof e === "object" && e !== null ? String((e as StackEvent).type) : "created or updated";
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const parts = [...byType].map(([type, n]) => `${n} ${type}`);
  if (pending > 0) parts.push(`${pending} pending from an earlier run`);
  await engineLog(
    `BI-sync webhook "${String(news.name)}": ${events.length + pending} event(s) to deliver (${parts.join(", ")})`,
  );
}

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
export const syncWebhookProvider: pulumi.dynamic.ResourceProvider<SyncWebhookInputs, SyncWebhookState> = {
  async check(olds, news) {
    const checked = checkSyncWebhook(bag(olds), bag(news), codeTraits((await settings()).apiProfile));
    // A new webhook gets no diff: its events are announced here (an existing one's in diff, which sees what is pending).
    if (Object.keys(olds).length === 0 && checked.failures.length === 0) await announce(checked.inputs, {});
    return { inputs: checked.inputs as unknown as SyncWebhookInputs, failures: checked.failures };
  },

  async diff(_id, olds, news) {
    const { changes, replaces, deleteBeforeReplace } = diffSyncWebhook(bag(olds), bag(news));
    if (changes) await announce(bag(news), bag(olds));
    return { changes, replaces, deleteBeforeReplace };
  },

  async create(inputs) {
    const [s, { webhooks }] = [await settings(), await profile()];
    try {
      const call = await webhooks.create(desiredWebhook(inputs));
      const outs = webhookState(call.body, inputs, auditOf("create", s.clientId ?? "", call));
      if (webhooks.deliveredBy === "platform") return { id: call.body.id, outs };
      // The stack's own webhook: its id is fixed by its scope, so its events' ids survive a re-creation.
      const webhookId = stackWebhookId(String(inputs.deliveryScope ?? inputs.name));
      const delivery = await deliverStackEvents(inputs, webhookId, []);
      return { id: webhookId, outs: { ...outs, webhookId, ...delivery } };
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

  async read(id, previous) {
    const { webhooks } = await profile();
    if (!previous) throw new Error(`webhook ${id}: no state to read it into (pulumi import is not supported)`);
    const call = await webhooks.read(id, storedOf(id, previous));
    // Deleted outside Pulumi: an empty id takes the webhook out of the state, and the next `up` creates it again.
    if (call.body === null) return { id: "", props: {} as SyncWebhookState };
    return { id, props: webhookState(call.body, previous, previous.audit) };
  },

  async update(id, state, inputs) {
    const { changed } = diffSyncWebhook(bag(state), bag(inputs));
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
    const outs = webhookState(call.body, previous, auditOf("update", s.clientId ?? "", call, state));
    if (webhooks.deliveredBy === "platform") return { outs };
    const delivery = await deliverStackEvents(inputs, id, state.pendingEvents ?? []);
    return { outs: { ...outs, webhookId: id, ...delivery } };
  },

  async delete(id, props) {
    // Already gone (404) counts as deleted.
    await (await profile()).webhooks.delete(id);
    const pending = props.pendingEvents ?? [];
    if (pending.length > 0) {
      await engineLog(
        `BI-sync webhook "${String(props.name)}" is deleted with ${pending.length} event(s) never delivered: ` +
          "tell the BI platform by other means (docs/resources/sync-webhook.md, changes outside the stack)",
        "warning",
      );
    }
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
