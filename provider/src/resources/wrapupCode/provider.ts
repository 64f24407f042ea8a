import type * as pulumi from "@pulumi/pulumi";
import { combineEnvelopes } from "../../client/envelope";
import { GenesysApiError } from "../../client/errors";
import type { ProviderSettings } from "../../config";
import type { ApiProfile, Call, StoredCode } from "../../profiles/seam";
import { codeTraits } from "../../profiles/traits";
import { profile, runCache, settings } from "../../runtime";
import { audit, type Audit } from "../audit";
import { codeDeleted } from "../syncWebhook/outbox";
import { diffWrapUpCode } from "./diff";
import { WrapUpCodeInputs, WrapUpCodeState, checkWrapUpCode } from "./schema";
import { codeState, desiredCode, holdsDeclared, knownCode, storedFromState } from "./state";

/** Known code count of each queue in this run: one count request per queue, kept right under parallel creates. */
interface QueueCount {
  readonly base: Promise<number>;
  /** Codes this run added to (+) or took from (-) the queue since the count. */
  delta: number;
}

function queueCounts(): Map<string, QueueCount> {
  return runCache("wrapUpCode.queueCounts", () => new Map<string, QueueCount>());
}

/** The per-queue limit that applies: the stack's `genesys:queueCodeLimit`, else the profile's own, else none. */
function queueLimit(p: ApiProfile, s: ProviderSettings): number | undefined {
  return s.queueCodeLimit ?? p.traits.defaultQueueCodeLimit;
}

/**
 * Reserves room for the code in each queue it is added to, before any write, or fails naming the queue and the
 * limit; returns the release for a write that failed. Without a limit nothing is counted (no request).
 */
async function reserveSlots(
  p: ApiProfile,
  s: ProviderSettings,
  queueIds: readonly string[],
  name: string,
): Promise<() => void> {
  const limit = queueLimit(p, s);
  if (limit === undefined || queueIds.length === 0) return () => undefined;
  const counts = queueCounts();
  const reserved: QueueCount[] = [];
  try {
    for (const queueId of queueIds) {
      const key = queueId.toLowerCase();
      let entry = counts.get(key);
      if (!entry) {
        const created: QueueCount = { base: p.membership.count(queueId).then((call) => call.body), delta: 0 };
        created.base.catch(() => counts.delete(key));
        counts.set(key, created);
        entry = created;
      }
      const base = await entry.base;
      if (base + entry.delta >= limit) {
        throw new Error(
          `wrap-up code "${name}": queue ${queueId} already holds ${base + entry.delta} codes; the limit is ${limit} ` +
            `per queue (${s.queueCodeLimit === undefined ? "the API's" : "genesys:queueCodeLimit"}); remove codes ` +
            `from the queue${s.queueCodeLimit === undefined ? "" : ", raise genesys:queueCodeLimit"} or use another queue`,
        );
      }
      entry.delta += 1;
      reserved.push(entry);
    }
  } catch (error) {
    for (const entry of reserved) entry.delta -= 1;
    throw error;
  }
  return () => {
    for (const entry of reserved) entry.delta -= 1;
  };
}

function noteRemoved(queueIds: readonly string[]): void {
  const counts = queueCounts();
  for (const queueId of queueIds) {
    const entry = counts.get(queueId.toLowerCase());
    if (entry) entry.delta -= 1;
  }
}

function added(from: readonly string[], to: readonly string[]): string[] {
  const before = new Set(from.map((q) => q.toLowerCase()));
  return to.filter((q) => !before.has(q.toLowerCase()));
}

/** `contextId`… of the call for the error message. */
function facts(error: GenesysApiError): string {
  return `${error.status} ${error.code}, contextId ${error.contextId ?? "-"}`;
}

/**
 * A create refused because the name is taken (409, or the platform's 400 duplicate.name): find the holder and
 * adopt it (`onConflict: "adopt"`), take over this client's own code left by an interrupted run, or fail naming it.
 */
async function resolveConflict(
  p: ApiProfile,
  s: ProviderSettings,
  inputs: WrapUpCodeInputs,
  conflict: GenesysApiError,
): Promise<{ stored: Call<StoredCode>; action: Audit["action"]; write?: Call<unknown> }> {
  const desired = desiredCode(inputs);
  const found = await p.codes.findByName(desired);
  const holder = found.body;
  if (holder === null) {
    // Refused, but nobody holds the name any more (a code deleted a moment ago): try once more.
    try {
      return { stored: await p.codes.create(desired), action: "create" };
    } catch (again) {
      if (p.codes.isNameConflict(again)) throw conflictError(p, inputs, again as GenesysApiError, undefined);
      throw again;
    }
  }
  const holderCall = { ...found, body: holder };
  if (inputs.onConflict === "adopt") return { stored: await adoptHolder(p, holderCall, inputs), action: "adopt" };
  // This client's own code from an earlier run whose result never reached the state (a `pulumi up` killed while
  // creating, docs/operations.md): created and last modified by this client and equal to the declaration.
  const ours =
    s.clientId !== undefined &&
    holder.createdBy === s.clientId &&
    (holder.modifiedBy ?? s.clientId) === s.clientId &&
    holdsDeclared(holder, desired, p.traits);
  if (ours) return { stored: holderCall, action: "adopt" };
  throw conflictError(p, inputs, conflict, holder.id);
}

/** Takes the holder of the name into the stack: as it is when it holds what is declared (no write), else one write. */
async function adoptHolder(
  p: ApiProfile,
  holder: Call<StoredCode>,
  inputs: WrapUpCodeInputs,
): Promise<Call<StoredCode>> {
  const desired = desiredCode(inputs);
  if (holdsDeclared(holder.body, desired, p.traits)) return holder;
  return p.codes.update(holder.body.id, desired, {
    description: holder.body.description,
    queueIds: holder.body.queueIds,
  });
}

function conflictError(p: ApiProfile, inputs: WrapUpCodeInputs, err: GenesysApiError, holderId?: string): Error {
  const where =
    p.traits.nameUnique === "queue" ? `in queue ${inputs.queueIds[0]}` : "in the organisation (names are unique there)";
  return new Error(
    `wrap-up code "${inputs.name}" already exists ${where} as code ${holderId ?? err.entityId ?? "(unknown id)"} ` +
      `(${facts(err)}). To manage the existing code from this stack, set onConflict: "adopt" on this resource; ` +
      `otherwise choose another name.`,
  );
}

/** The pure checks and diffs work on property bags: in a preview any value may be the unknown sentinel. */
const bag = (value: object): Record<string, unknown> => value as Record<string, unknown>;

/**
 * CRUD of `WrapUpCode` for the dynamic-provider host, typed by Pulumi's `ResourceProvider<Inputs, Outputs>`. What
 * `check` receives is the program's unchecked arguments, typed as inputs only by that signature; every other method
 * receives inputs `check` returned.
 */
export const wrapUpCodeProvider: pulumi.dynamic.ResourceProvider<WrapUpCodeInputs, WrapUpCodeState> = {
  async check(_olds, news) {
    const s = await settings();
    const { inputs, failures } = checkWrapUpCode(bag(news), s.dispositionMatrix, traitsOf(s));
    return { inputs: inputs as unknown as WrapUpCodeInputs, failures };
  },

  async diff(_id, olds, news) {
    const { changes, replaces, deleteBeforeReplace } = diffWrapUpCode(bag(olds), bag(news), traitsOf(await settings()));
    return { changes, replaces, deleteBeforeReplace };
  },

  async create(inputs) {
    const [s, p] = [await settings(), await profile()];
    const release = await reserveSlots(p, s, inputs.queueIds, inputs.name);
    let stored: Call<StoredCode>;
    let action: Audit["action"] = "create";
    try {
      // A code to adopt is looked for first, so that adopting an organisation's existing codes sends no create.
      const existing = inputs.onConflict === "adopt" ? await p.codes.findForAdoption(desiredCode(inputs)) : undefined;
      try {
        if (existing?.body) {
          stored = await adoptHolder(p, { ...existing, body: existing.body }, inputs);
          action = "adopt";
        } else {
          stored = await p.codes.create(desiredCode(inputs));
        }
      } catch (err) {
        if (!p.codes.isNameConflict(err)) throw err;
        ({ stored, action } = await resolveConflict(p, s, inputs, err as GenesysApiError));
      }
    } catch (err) {
      release();
      throw err;
    }
    // A new code is on the queues its own body names (none where membership is apart); an adopted one may be on
    // some of the declared queues already.
    const from =
      action === "create" ? (stored.body.queueIds ?? []) : await p.membership.queuesOf(stored.body, inputs.queueIds);
    const membership = await p.membership.apply(stored.body.id, from, inputs.queueIds);
    const write = combineEnvelopes<unknown>([stored, membership]);
    const outs = codeState(
      inputs,
      stored.body,
      inputs.queueIds,
      p.traits,
      audit(action, s.clientId ?? "", write ?? stored),
    );
    return { id: stored.body.id, outs };
  },

  async read(id, previous) {
    const p = await profile();
    if (!previous) throw new Error(`wrap-up code ${id}: no state to read it into (pulumi import is not supported)`);
    const known = knownCode(previous);
    const call = await p.codes.read(id, known);
    // Deleted outside Pulumi: an empty id takes the code out of the state, and the next `up` creates it again.
    if (call.body === null) return { id: "", props: {} as WrapUpCodeState };
    const queueIds = await p.membership.queuesOf(call.body, known.queueIds ?? []);
    return { id, props: codeState(previous, call.body, queueIds, p.traits, previous.audit) };
  },

  async update(id, state, inputs) {
    const [s, p] = [await settings(), await profile()];
    const { changed } = diffWrapUpCode(bag(state), bag(inputs), p.traits);
    const known = knownCode(state);
    const from = known.queueIds ?? [];
    const release = await reserveSlots(p, s, added(from, inputs.queueIds), inputs.name);
    let write: Call<StoredCode> | undefined;
    let membership: Call<void> | undefined;
    try {
      // Only the fields the platform holds are written; the others live in the state alone (no request).
      if (changed.some((f) => (p.traits.held as readonly string[]).includes(f))) {
        write = await p.codes.update(id, desiredCode(inputs), known).catch((err: unknown) => {
          if (err instanceof GenesysApiError && err.status === 404) {
            throw new Error(
              `wrap-up code "${state.name}" (${id}) no longer exists: it was deleted outside Pulumi (${facts(err)}). ` +
                "Run `pulumi refresh` to drop it from the state; the next `pulumi up` creates it again.",
            );
          }
          if (p.codes.isNameConflict(err)) throw conflictError(p, inputs, err as GenesysApiError);
          throw err;
        });
      }
      membership = await p.membership.apply(id, from, inputs.queueIds);
    } catch (err) {
      release();
      throw err;
    }
    noteRemoved(added(inputs.queueIds, from));
    const sent = combineEnvelopes<unknown>([write, membership]);
    const stored = write?.body ?? storedFromState(id, state);
    const outs = codeState(
      inputs,
      stored,
      inputs.queueIds,
      p.traits,
      sent ? audit("update", s.clientId ?? "", sent) : state.audit,
    );
    return { outs };
  },

  async delete(id, props) {
    const p = await profile();
    await p.codes.delete(id);
    noteRemoved(knownCode(props).queueIds ?? []);
    // A BI-sync webhook of this run may be waiting to report the deletion (platform profile, see outbox.ts).
    await codeDeleted(id);
  },
};

function traitsOf(s: ProviderSettings) {
  return codeTraits(s.apiProfile);
}
