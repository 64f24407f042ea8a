import type * as pulumi from "@pulumi/pulumi";
import { GenesysApiError, GenesysClient, type WrapUpCode, type WrapUpCodePayload } from "../../client";
import type { ProviderSettings } from "../../config";
import { client, runCache, settings } from "../../runtime";
import { audit } from "../audit";
import { sameInstant } from "../validate";
import { diffWrapUpCode } from "./diff";
import { WrapUpCodeInputs, WrapUpCodeState, checkWrapUpCode } from "./schema";
import { dropUndefined, fromWire, toWire } from "./wire";

/** The platform's limit of wrap-up codes per queue (contract 7). */
export const QUEUE_CODE_LIMIT = 1000;

/** Known code count of each queue in this run: one count request per queue, kept right under parallel creates. */
interface QueueCount {
  readonly base: Promise<number>;
  /** Codes this run created (+) or deleted (-) in the queue since the count. */
  delta: number;
}

function queueCounts(): Map<string, QueueCount> {
  return runCache("wrapUpCode.queueCounts", () => new Map<string, QueueCount>());
}

/** Reserves room for one new code in the queue, or fails naming the limit; returns the release for a failed create. */
async function reserveSlot(api: GenesysClient, queueId: string, name: string): Promise<() => void> {
  const counts = queueCounts();
  let entry = counts.get(queueId);
  if (!entry) {
    entry = { base: api.countQueueWrapUpCodes(queueId).then((call) => call.body), delta: 0 };
    counts.set(queueId, entry);
    entry.base.catch(() => counts.delete(queueId));
  }
  const base = await entry.base;
  if (base + entry.delta >= QUEUE_CODE_LIMIT) {
    throw new Error(
      `wrap-up code "${name}": queue ${queueId} already holds ${base + entry.delta} codes, the platform's limit is ` +
        `${QUEUE_CODE_LIMIT} per queue; remove codes from the queue or use another queue`,
    );
  }
  entry.delta += 1;
  const reserved = entry;
  return () => {
    reserved.delta -= 1;
  };
}

function noteDeleted(queueId: unknown): void {
  const entry = typeof queueId === "string" ? queueCounts().get(queueId) : undefined;
  if (entry) entry.delta -= 1;
}

/**
 * Each queue's codes, listed once per run (pages of 500) and kept by id: `pulumi refresh` answers its reads from
 * them, so a refresh costs one or two requests per queue instead of one per code. `undefined`: the listing failed
 * and reads of that queue ask for each code by id.
 */
function queueListings(): Map<string, Promise<Map<string, WrapUpCode> | undefined>> {
  return runCache("wrapUpCode.queueListings", () => new Map<string, Promise<Map<string, WrapUpCode> | undefined>>());
}

/** The code as its queue's listing in this run shows it; undefined when the listing does not hold it. */
async function listedCode(api: GenesysClient, queueId: string, id: string): Promise<WrapUpCode | undefined> {
  const listings = queueListings();
  let listing = listings.get(queueId);
  if (!listing) {
    listing = api.listWrapUpCodes({ routingQueueId: queueId }).then(
      (call) => new Map(call.body.map((code) => [code.id, code])),
      () => undefined,
    );
    listings.set(queueId, listing);
  }
  return (await listing)?.get(id);
}

/** A write through this process makes the queue's listing stale. */
function forgetListing(queueId: unknown): void {
  if (typeof queueId === "string") queueListings().delete(queueId);
}

function isConflict(err: unknown): err is GenesysApiError {
  return err instanceof GenesysApiError && err.status === 409;
}

/** True when the stored code carries exactly what the payload declares. */
function sameCode(stored: WrapUpCode, declared: WrapUpCodePayload): boolean {
  const tags = stored.reportingTags ?? [];
  const declaredTags = declared.reportingTags ?? [];
  return (
    stored.codeName === declared.codeName &&
    stored.code === declared.code &&
    stored.codeCategoryName === declared.codeCategoryName &&
    stored.routingQueue?.id?.toLowerCase() === declared.routingQueue.id.toLowerCase() &&
    (stored.mandatoryField ?? false) === (declared.mandatoryField ?? false) &&
    tags.length === declaredTags.length &&
    tags.every((tag, i) => tag === declaredTags[i]) &&
    sameInstant(stored.validFrom, declared.validFrom) &&
    sameInstant(stored.validThrough, declared.validThrough) &&
    (stored.description ?? null) === (declared.description ?? null)
  );
}

/**
 * The code that answered this resource's create with 409, when it is this resource's own code from an earlier
 * run whose result never reached the state (a `pulumi up` killed while creating, see docs/operations.md): created
 * and last modified by this provider's OAuth client, and equal to the declared inputs field for field. Anything
 * else is someone else's code and stays a conflict. Taken as it is: nothing is written.
 */
async function ownEarlierCreate(
  api: GenesysClient,
  inputs: WrapUpCodeInputs,
  conflict: GenesysApiError,
  s: ProviderSettings,
): Promise<{ id: string; outs: WrapUpCodeState } | undefined> {
  if (!s.clientId) return undefined;
  const existingId = conflict.entityId ?? (await api.findWrapUpCodeByName(inputs.queueId, inputs.name)).body?.id;
  if (!existingId) return undefined;
  const call = await api.getWrapUpCode(existingId);
  const existing = call.body;
  if (existing === null) return undefined;
  const ours = existing.createdBy === s.clientId && (existing.modifiedBy ?? s.clientId) === s.clientId;
  if (!ours || !sameCode(existing, toWire(inputs, s.dispositionMatrix))) return undefined;
  const outs = fromWire(existing, s.dispositionMatrix, inputs);
  return { id: existing.id, outs: { ...outs, audit: audit("adopt", s.clientId, call) } };
}

async function adopt(
  api: GenesysClient,
  inputs: WrapUpCodeInputs,
  conflict: GenesysApiError,
): Promise<{ id: string; outs: WrapUpCodeState }> {
  const s = await settings();
  const existingId = conflict.entityId ?? (await api.findWrapUpCodeByName(inputs.queueId, inputs.name)).body?.id;
  if (!existingId) throw conflict;
  const call = await api.updateWrapUpCode(existingId, toWire(inputs, s.dispositionMatrix));
  const outs = fromWire(call.body, s.dispositionMatrix, inputs);
  return { id: call.body.id, outs: { ...outs, audit: audit("adopt", s.clientId ?? "", call) } };
}

/** CRUD of `WrapUpCode` for the dynamic-provider host. Inputs arrive checked (see `check`). */
export const wrapUpCodeProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const { dispositionMatrix } = await settings();
    return checkWrapUpCode(news, dispositionMatrix);
  },

  async diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = diffWrapUpCode(olds, news);
    return { changes, replaces, deleteBeforeReplace };
  },

  async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const inputs = news as unknown as WrapUpCodeInputs;
    const [s, api] = [await settings(), await client()];
    const release = await reserveSlot(api, inputs.queueId, inputs.name);
    forgetListing(inputs.queueId);
    try {
      const call = await api.createWrapUpCode(toWire(inputs, s.dispositionMatrix));
      const outs = fromWire(call.body, s.dispositionMatrix, inputs);
      return { id: call.body.id, outs: { ...outs, audit: audit("create", s.clientId ?? "", call) } };
    } catch (err) {
      release();
      if (!isConflict(err)) throw err;
      if (inputs.onConflict === "adopt") return adopt(api, inputs, err);
      const own = await ownEarlierCreate(api, inputs, err, s);
      if (own) return own;
      throw new Error(
        `wrap-up code "${inputs.name}" already exists in queue ${inputs.queueId} as code ${err.entityId ?? "(unknown id)"} ` +
          `(409 ${err.code}, contextId ${err.contextId ?? "-"}). To manage the existing code from this stack, ` +
          `set onConflict: "adopt" on this resource; otherwise choose another name.`,
      );
    }
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const [s, api] = [await settings(), await client()];
    const previous = props as Partial<WrapUpCodeState>;
    const listed = typeof previous.queueId === "string" ? await listedCode(api, previous.queueId, id) : undefined;
    // Not in its queue's listing: deleted, moved to another queue, or the listing failed; ask for it by id.
    const code = listed ?? (await api.getWrapUpCode(id)).body;
    // Deleted outside Pulumi: an empty id takes the code out of the state, and the next `up` creates it again.
    if (code === null) return { id: "", props: {} };
    return { id, props: fromWire(code, s.dispositionMatrix, previous) };
  },

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = news as unknown as WrapUpCodeInputs;
    const { changed } = diffWrapUpCode(olds, news);
    const state = olds as unknown as WrapUpCodeState;
    if (changed.every((f) => f === "onConflict")) {
      // Only provider-side behaviour changed: nothing to send.
      return { outs: dropUndefined({ ...state, onConflict: inputs.onConflict }) };
    }
    const [s, api] = [await settings(), await client()];
    forgetListing(state.queueId);
    forgetListing(inputs.queueId);
    const call = await api.updateWrapUpCode(id, toWire(inputs, s.dispositionMatrix)).catch((err: unknown) => {
      if (err instanceof GenesysApiError && err.status === 404) {
        throw new Error(
          `wrap-up code "${state.name}" (${id}) no longer exists: it was deleted outside Pulumi ` +
            `(404 ${err.code}, contextId ${err.contextId ?? "-"}). Run \`pulumi refresh\` to drop it from the ` +
            `state; the next \`pulumi up\` creates it again.`,
        );
      }
      throw err;
    });
    const outs = fromWire(call.body, s.dispositionMatrix, inputs);
    if (inputs.queueId !== state.queueId) {
      noteDeleted(state.queueId);
    }
    return { outs: { ...outs, audit: audit("update", s.clientId ?? "", call) } };
  },

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const api = await client();
    forgetListing(props.queueId);
    await api.deleteWrapUpCode(id);
    noteDeleted(props.queueId);
  },
};
