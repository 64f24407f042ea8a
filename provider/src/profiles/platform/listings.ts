import type { ApiEnvelope } from "../../client/envelope";
import type { PlatformApi } from "./api";
import type { WrapupCode } from "./wire-types";

/**
 * Each queue's codes, listed once per run (pages of 100) and kept by id, for the reads of a refresh: the listing
 * holds the codes themselves (name, description, division), so one listing per queue answers both "is the code on
 * this queue" and "what is the code now" for every code on it. A refresh then costs about one request per queue and
 * hundred codes, whatever the engine's parallelism. A write through this process to a queue forgets its listing.
 */
export class QueueListings {
  readonly #api: PlatformApi;
  readonly #listings = new Map<string, Promise<ApiEnvelope<Map<string, WrapupCode>>>>();

  constructor(api: PlatformApi) {
    this.#api = api;
  }

  /** The queue's codes by lower-cased id, listed once per run. */
  get(queueId: string): Promise<ApiEnvelope<Map<string, WrapupCode>>> {
    const key = queueId.toLowerCase();
    let listing = this.#listings.get(key);
    if (!listing) {
      const started = this.#api
        .listQueueWrapUpCodes(queueId)
        .then((call) => ({ ...call, body: new Map(call.body.map((c) => [c.id.toLowerCase(), c])) }));
      started.catch(() => this.#listings.delete(key));
      this.#listings.set(key, started);
      listing = started;
    }
    return listing;
  }

  /** The code as the queue's listing shows it; undefined when it does not (or the listing failed). */
  async find(queueId: string, codeId: string): Promise<WrapupCode | undefined> {
    try {
      return (await this.get(queueId)).body.get(codeId.toLowerCase());
    } catch {
      return undefined;
    }
  }

  /** The queue changed (this process wrote to it), or its listing must be read again. */
  forget(queueId: string): void {
    this.#listings.delete(queueId.toLowerCase());
  }
}
