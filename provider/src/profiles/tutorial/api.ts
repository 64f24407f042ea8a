import type { ApiEnvelope } from "../../client/envelope";
import { createWithReconcile } from "../../client/reconcile";
import { GenesysTransport } from "../../client/transport";
import type { DeleteOutcome } from "../../client/types";
import type { Queue, Webhook, WebhookPayload, WrapUpCode, WrapUpCodeFilter, WrapUpCodePayload } from "./wire-types";

const WRAPUP_CODES = "/routing/wrapupcodes";
const QUEUES = "/routing/queues";
const WEBHOOKS = "/analytics/events/webhooks";

const idPath = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The tutorial's API (its contract, sections 6-8), typed. Every method resolves with an {@link ApiEnvelope} (body
 * plus status, contextId, attempts and latency for the audit output) — lookups that find nothing have body
 * `null`, counts have the number as body — and rejects with a {@link GenesysApiError}.
 *
 * ```ts
 * const api = new TutorialApi({ region: "eu-central-1", clientId, clientSecret });
 * const { body: code } = await api.createWrapUpCode({ codeName: "Escalated", code: "ESC", ... });
 * ```
 */
export class TutorialApi extends GenesysTransport {
  // ---- wrap-up codes -------------------------------------------------------------------------------------

  /** The code with this id; body `null` (status 404) when it does not exist. */
  getWrapUpCode(id: string): Promise<ApiEnvelope<WrapUpCode | null>> {
    return this.requestOrNull<WrapUpCode>("GET", idPath(WRAPUP_CODES, id));
  }

  /** All codes matching the filter, across every page. */
  listWrapUpCodes(filter: WrapUpCodeFilter = {}): Promise<ApiEnvelope<WrapUpCode[]>> {
    return this.listAll<WrapUpCode>(WRAPUP_CODES, { ...filter });
  }

  /**
   * Creates a code. If the outcome of the POST is unknown (reset, timeout, 500/502/504), the code is looked up
   * by name in its queue before anything is re-sent; a match is returned with `reconciled: true`.
   */
  createWrapUpCode(payload: WrapUpCodePayload): Promise<ApiEnvelope<WrapUpCode>> {
    return createWithReconcile<WrapUpCode>({
      post: () => this.request<WrapUpCode>("POST", WRAPUP_CODES, { body: payload }),
      lookup: () => this.findWrapUpCodeByName(payload.routingQueue.id, payload.codeName),
      matches: (found) =>
        found.codeName === payload.codeName &&
        found.code === payload.code &&
        found.routingQueue?.id === payload.routingQueue.id,
      maxPosts: this.maxCreateAttempts,
    });
  }

  /** Replaces a code with the full payload (PUT); 404 when it is gone, 409 when a rename collides. */
  updateWrapUpCode(id: string, payload: WrapUpCodePayload): Promise<ApiEnvelope<WrapUpCode>> {
    return this.request<WrapUpCode>("PUT", idPath(WRAPUP_CODES, id), { body: payload });
  }

  /** Deletes a code; an already deleted code (404) counts as done with `deleted: false`. */
  deleteWrapUpCode(id: string): Promise<ApiEnvelope<DeleteOutcome>> {
    return this.deleteIfExists(idPath(WRAPUP_CODES, id));
  }

  /** How many codes the queue holds, as the body (one request, `pageSize=1`). */
  countQueueWrapUpCodes(queueId: string): Promise<ApiEnvelope<number>> {
    return this.count(`${idPath(QUEUES, queueId)}/wrapupcodes`);
  }

  /**
   * The code named `codeName` in the queue, compared case-insensitively as the server's uniqueness rule does;
   * body `null` when there is none.
   */
  async findWrapUpCodeByName(queueId: string, codeName: string): Promise<ApiEnvelope<WrapUpCode | null>> {
    const list = await this.listWrapUpCodes({ name: codeName, routingQueueId: queueId });
    const found = list.body.find((code) => sameName(code.codeName, codeName) && code.routingQueue?.id === queueId);
    return { ...list, body: found ?? null };
  }

  // ---- queues --------------------------------------------------------------------------------------------

  /** The queue with this id; body `null` (status 404) when it does not exist. */
  getQueue(id: string): Promise<ApiEnvelope<Queue | null>> {
    return this.requestOrNull<Queue>("GET", idPath(QUEUES, id));
  }

  // ---- analytics event webhooks --------------------------------------------------------------------------

  /** The webhook with this id; body `null` (status 404) when it does not exist. */
  getWebhook(id: string): Promise<ApiEnvelope<Webhook | null>> {
    return this.requestOrNull<Webhook>("GET", idPath(WEBHOOKS, id));
  }

  /** All webhooks, across every page. */
  listWebhooks(): Promise<ApiEnvelope<Webhook[]>> {
    return this.listAll<Webhook>(WEBHOOKS);
  }

  /** Creates a webhook; an unknown outcome is reconciled by looking it up by name (see createWrapUpCode). */
  createWebhook(payload: WebhookPayload): Promise<ApiEnvelope<Webhook>> {
    return createWithReconcile<Webhook>({
      post: () => this.request<Webhook>("POST", WEBHOOKS, { body: payload }),
      lookup: () => this.findWebhookByName(payload.name),
      matches: (found) => found.name === payload.name && found.callbackUrl === payload.callbackUrl,
      maxPosts: this.maxCreateAttempts,
    });
  }

  /** Replaces a webhook with the full payload (PUT). */
  updateWebhook(id: string, payload: WebhookPayload): Promise<ApiEnvelope<Webhook>> {
    return this.request<Webhook>("PUT", idPath(WEBHOOKS, id), { body: payload });
  }

  /** Deletes a webhook; already gone (404) counts as done with `deleted: false`. */
  deleteWebhook(id: string): Promise<ApiEnvelope<DeleteOutcome>> {
    return this.deleteIfExists(idPath(WEBHOOKS, id));
  }

  /** The webhook with this name (an exact match first, else case-insensitive); body `null` when none. */
  async findWebhookByName(name: string): Promise<ApiEnvelope<Webhook | null>> {
    const list = await this.listWebhooks();
    const exact = list.body.find((webhook) => webhook.name === name);
    return { ...list, body: exact ?? list.body.find((webhook) => sameName(webhook.name, name)) ?? null };
  }
}
