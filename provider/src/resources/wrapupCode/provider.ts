import type * as pulumi from "@pulumi/pulumi";
import { GenesysApiError, GenesysClient } from "../../client";
import { client, runCache, settings } from "../../runtime";
import { audit } from "../audit";
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

function isConflict(err: unknown): err is GenesysApiError {
  return err instanceof GenesysApiError && err.status === 409;
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
    try {
      const call = await api.createWrapUpCode(toWire(inputs, s.dispositionMatrix));
      const outs = fromWire(call.body, s.dispositionMatrix, inputs);
      return { id: call.body.id, outs: { ...outs, audit: audit("create", s.clientId ?? "", call) } };
    } catch (err) {
      release();
      if (!isConflict(err)) throw err;
      if (inputs.onConflict === "adopt") return adopt(api, inputs, err);
      throw new Error(
        `wrap-up code "${inputs.name}" already exists in queue ${inputs.queueId} as code ${err.entityId ?? "(unknown id)"} ` +
          `(409 ${err.code}, contextId ${err.contextId ?? "-"}). To manage the existing code from this stack, ` +
          `set onConflict: "adopt" on this resource; otherwise choose another name.`,
      );
    }
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const [s, api] = [await settings(), await client()];
    const call = await api.getWrapUpCode(id);
    // Deleted outside Pulumi: an empty id takes the code out of the state, and the next `up` creates it again.
    if (call.body === null) return { id: "", props: {} };
    const previous = props as Partial<WrapUpCodeState>;
    return { id, props: fromWire(call.body, s.dispositionMatrix, previous) };
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
    await api.deleteWrapUpCode(id);
    noteDeleted(props.queueId);
  },
};
