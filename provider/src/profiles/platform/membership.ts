import { combineEnvelopes, type ApiEnvelope } from "../../client/envelope";
import { GenesysApiError } from "../../client/errors";
import type { Call, MembershipApi, StoredCode } from "../seam";
import { MEMBERSHIP_BATCH, type PlatformApi } from "./api";
import { FlightBatcher } from "./batch";
import { RecentWrites, lookAgainWhileAbsent, retryWhileNotFound } from "./consistency";
import type { QueueListings } from "./listings";

/** How membership adds of parallel operations are sent. */
export interface MembershipOptions {
  /**
   * Adds to one queue share POSTs (at most 100 codes each): the first waits this many milliseconds for company, and
   * those that come while a POST to the queue is in flight go together in the next (batch.ts, FlightBatcher). 0 sends
   * one POST per code and queue. See docs/benchmarks.md for what each costs.
   */
  readonly batchWindowMs: number;
}

/**
 * Queue membership on the public platform: its own endpoints (`/routing/queues/{id}/wrapupcodes`), up to 100 codes
 * added per POST, one removed per DELETE. Listings of a queue's codes are read once per run for refreshes and
 * forgotten when this process changes the queue.
 */
export class PlatformMembership implements MembershipApi {
  readonly #api: PlatformApi;
  readonly #recent: RecentWrites;
  readonly #options: MembershipOptions;
  readonly #adders = new Map<string, FlightBatcher<string, ApiEnvelope<void>>>();
  readonly #listings: QueueListings;

  constructor(api: PlatformApi, recent: RecentWrites, listings: QueueListings, options: MembershipOptions) {
    this.#api = api;
    this.#recent = recent;
    this.#listings = listings;
    this.#options = options;
  }

  async apply(codeId: string, from: readonly string[], to: readonly string[]): Promise<Call<void> | undefined> {
    const before = new Set(from.map((q) => q.toLowerCase()));
    const after = new Set(to.map((q) => q.toLowerCase()));
    const adds = to.filter((q) => !before.has(q.toLowerCase()));
    const removes = from.filter((q) => !after.has(q.toLowerCase()));
    if (adds.length === 0 && removes.length === 0) return undefined;
    const calls = await Promise.all([
      ...adds.map((queueId) => this.#add(queueId, codeId)),
      ...removes.map(async (queueId) => {
        this.#listings.forget(queueId);
        const call = await this.#api.removeQueueWrapUpCode(queueId, codeId);
        return { ...call, body: undefined };
      }),
    ]);
    // The audit names the last request; attempts and latency cover them all.
    return combineEnvelopes<void>(calls);
  }

  async queuesOf(code: StoredCode, candidates: readonly string[]): Promise<readonly string[]> {
    const on = await Promise.all(candidates.map((queueId) => this.#holds(queueId, code)));
    return candidates.filter((_, i) => on[i]);
  }

  count(queueId: string): Promise<Call<number>> {
    return this.#api.countQueueWrapUpCodes(queueId);
  }

  async queues(): Promise<Call<{ id: string; name: string }[]>> {
    const call = await this.#api.listQueues();
    return { ...call, body: call.body.map(({ id, name }) => ({ id, name })) };
  }

  async codesOn(queueId: string): Promise<Call<string[]>> {
    const call = await this.#api.listQueueWrapUpCodes(queueId);
    return { ...call, body: call.body.map((code) => code.id) };
  }

  #add(queueId: string, codeId: string): Promise<ApiEnvelope<void>> {
    const key = queueId.toLowerCase();
    this.#listings.forget(queueId);
    if (this.#options.batchWindowMs <= 0) return this.#send(queueId, [codeId]).then((r) => unwrap(r.get(codeId)));
    let adder = this.#adders.get(key);
    if (!adder) {
      adder = new FlightBatcher(this.#options.batchWindowMs, MEMBERSHIP_BATCH, (ids) => this.#send(queueId, ids));
      this.#adders.set(key, adder);
    }
    return adder.get(codeId);
  }

  /**
   * One POST for the batch. A code the platform does not know (404 naming it) fails alone: it is taken out and
   * the rest is sent again. A code created a moment ago may not be known yet: it is asked again within the window.
   */
  async #send(queueId: string, codeIds: string[]): Promise<Map<string, ApiEnvelope<void> | Error>> {
    const results = new Map<string, ApiEnvelope<void> | Error>();
    let left = [...codeIds];
    while (left.length > 0) {
      try {
        const call = await this.#api.addQueueWrapUpCodes(queueId, left);
        for (const id of left) results.set(id, call);
        return results;
      } catch (error) {
        const unknownId = notFoundCode(error, left);
        if (unknownId === undefined) {
          for (const id of left) results.set(id, error as Error);
          return results;
        }
        left = left.filter((id) => id !== unknownId);
        if (!this.#recent.isYoung(unknownId)) {
          results.set(unknownId, error as Error);
          continue;
        }
        try {
          const call = await retryWhileNotFound(
            () => this.#api.addQueueWrapUpCodes(queueId, [unknownId]),
            error as GenesysApiError,
          );
          results.set(unknownId, call);
        } catch (again) {
          results.set(unknownId, again as Error);
        }
      }
    }
    return results;
  }

  /** Whether the queue's listing shows the code; a code created a moment ago is looked for again before "no". */
  async #holds(queueId: string, code: StoredCode): Promise<boolean> {
    const listed = async () => ((await this.#listings.get(queueId)).body.has(code.id.toLowerCase()) ? true : null);
    const first = await listed();
    if (first || !this.#recent.isYoung(code.id, code.dateCreated)) return first === true;
    const later = await lookAgainWhileAbsent(first, () => {
      this.#listings.forget(queueId);
      return listed();
    });
    return later === true;
  }
}

function unwrap<T>(result: T | Error | undefined): T {
  if (result instanceof Error) throw result;
  if (result === undefined) throw new Error("internal: membership batch gave no result");
  return result;
}

/** The code a 404 names when it is one of `ids` (the platform names the unknown entity). */
function notFoundCode(error: unknown, ids: readonly string[]): string | undefined {
  if (!(error instanceof GenesysApiError) || error.status !== 404) return undefined;
  const named = error.entityId?.toLowerCase();
  if (named !== undefined) return ids.find((id) => id.toLowerCase() === named);
  return ids.length === 1 ? ids[0] : undefined;
}
