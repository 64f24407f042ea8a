import { chainEnvelope, type ApiEnvelope } from "../../client/envelope";
import type { Call, CodesApi, DesiredCode, KnownCode, StoredCode } from "../seam";
import { codeTraits } from "../traits";
import { PLATFORM_PAGE_SIZE, isNameConflict, type PlatformApi } from "./api";
import { Batcher } from "./batch";
import { RecentWrites, isNotFound, lookAgainWhileAbsent, retryWhileNotFound } from "./consistency";
import type { QueueListings } from "./listings";
import { codeFromWire, codeToWire } from "./wire";
import type { WrapupCode } from "./wire-types";

/** How long reads wait for company before they are sent as one listing by id. */
const READ_BATCH_WINDOW_MS = 5;

/**
 * Wrap-up codes on the public platform: a code is a name (unique in the organisation), a description and a
 * division. Reads of a refresh are gathered into listings by id (`?id=…&id=…`, up to 100 per request), so a refresh
 * costs one request per hundred codes whatever the organisation's size. Absences right after a write are asked
 * again within the platform's consistency window before they are believed (see consistency.ts).
 */
export class PlatformCodes implements CodesApi {
  readonly traits = codeTraits("platform");
  readonly #api: PlatformApi;
  readonly #recent: RecentWrites;
  readonly #listings: QueueListings;
  readonly #reads: Batcher<string, ApiEnvelope<WrapupCode | null>>;
  /** Every code of the organisation by lower-cased name, listed once per run for adoptions. */
  #byName: Promise<ApiEnvelope<Map<string, WrapupCode[]>>> | undefined;

  constructor(api: PlatformApi, recent: RecentWrites, listings: QueueListings) {
    this.#api = api;
    this.#recent = recent;
    this.#listings = listings;
    this.#reads = new Batcher(READ_BATCH_WINDOW_MS, PLATFORM_PAGE_SIZE, (ids) => this.#readMany(ids));
  }

  async create(desired: DesiredCode): Promise<Call<StoredCode>> {
    const call = await this.#api.createWrapUpCode(codeToWire(desired));
    this.#recent.note(call.body.id);
    return { ...call, body: codeFromWire(call.body) };
  }

  async read(id: string, known: KnownCode = {}): Promise<Call<StoredCode | null>> {
    const queueId = known.queueIds?.[0];
    const listed = queueId === undefined ? undefined : await this.#listings.find(queueId, id);
    // Answered from the queue's listing of this run: no request of its own.
    if (listed) return { body: codeFromWire(listed), status: 200, attempts: 0, latencyMs: 0 };
    let call = await this.#reads.get(id.toLowerCase());
    if (call.body === null && this.#recent.isYoung(id, known.dateCreated)) {
      // Created a moment ago: the platform may not show it yet.
      let last = call;
      const found = await lookAgainWhileAbsent(null, async () => {
        const again = await this.#api.getWrapUpCode(id);
        last = chainEnvelope(again, again.body, last);
        return again.body;
      });
      call = { ...last, body: found };
    }
    return { ...call, body: call.body === null ? null : codeFromWire(call.body) };
  }

  async update(id: string, desired: DesiredCode, known: KnownCode = {}): Promise<Call<StoredCode>> {
    const send = () => this.#api.updateWrapUpCode(id, codeToWire(desired, known.description !== undefined));
    let call: ApiEnvelope<WrapupCode>;
    try {
      call = await send();
    } catch (error) {
      // A 404 right after the code's creation is the platform's lag, not a deletion: ask again within the window.
      if (!isNotFound(error) || !this.#recent.isYoung(id, known.dateCreated)) throw error;
      call = await retryWhileNotFound(send, error);
    }
    this.#recent.note(id);
    for (const queueId of known.queueIds ?? []) this.#listings.forget(queueId);
    return { ...call, body: codeFromWire(call.body) };
  }

  delete(id: string): ReturnType<CodesApi["delete"]> {
    return this.#api.deleteWrapUpCode(id);
  }

  /**
   * The holder of the name. It is asked for after the platform refused the name, so someone holds it: when no
   * listing shows the holder yet (a code created a moment ago), the lookup is repeated within the window.
   */
  async findByName(desired: DesiredCode): Promise<Call<StoredCode | null>> {
    let last = await this.#api.findWrapUpCodeByName(desired.name);
    const found = await lookAgainWhileAbsent(last.body, async () => {
      const again = await this.#api.findWrapUpCodeByName(desired.name);
      last = chainEnvelope(again, again.body, last);
      return again.body;
    });
    return { ...last, body: found === null ? null : codeFromWire(found) };
  }

  async findForAdoption(desired: DesiredCode): Promise<Call<StoredCode | null>> {
    this.#byName ??= this.#api.listWrapUpCodes().then((call) => {
      const byName = new Map<string, WrapupCode[]>();
      for (const code of call.body) {
        const key = code.name.toLowerCase();
        byName.set(key, [...(byName.get(key) ?? []), code]);
      }
      return { ...call, body: byName };
    });
    this.#byName.catch(() => (this.#byName = undefined));
    const listing = await this.#byName;
    const named = listing.body.get(desired.name.toLowerCase()) ?? [];
    const found = named.find((code) => code.name === desired.name) ?? named[0];
    // Answered from the run's listing: only the first adoption carries the listing's cost in its audit.
    return { ...listing, body: found === undefined ? null : codeFromWire(found) };
  }

  isNameConflict(error: unknown): boolean {
    return isNameConflict(error);
  }

  async list(): Promise<Call<StoredCode[]>> {
    const call = await this.#api.listWrapUpCodes();
    return { ...call, body: call.body.map(codeFromWire) };
  }

  /** One listing by id for up to 100 reads; what it does not show is asked for by id (a listing may lag). */
  async #readMany(ids: string[]): Promise<Map<string, ApiEnvelope<WrapupCode | null> | Error>> {
    const results = new Map<string, ApiEnvelope<WrapupCode | null> | Error>();
    let listed: ApiEnvelope<WrapupCode[]> | undefined;
    try {
      listed = await this.#api.listWrapUpCodes({ id: ids });
    } catch {
      // The listing failed (or the platform refuses the id filter): each read asks for its code by id.
    }
    const byId = new Map((listed?.body ?? []).map((code) => [code.id.toLowerCase(), code]));
    await Promise.all(
      ids.map(async (id) => {
        const code = byId.get(id);
        if (code && listed) {
          // One request answered the whole batch: only the first read carries its cost in the audit.
          results.set(id, { ...listed, body: code });
          return;
        }
        try {
          results.set(id, await this.#api.getWrapUpCode(id));
        } catch (error) {
          results.set(id, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return results;
  }
}
