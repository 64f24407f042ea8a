import type { ApiEnvelope } from "../../client/envelope";
import { GenesysApiError } from "../../client/errors";
import type { DispositionMatrix } from "../../matrix";
import type { Call, CodesApi, DesiredCode, KnownCode, StoredCode } from "../seam";
import { codeTraits } from "../traits";
import type { TutorialApi } from "./api";
import { codeFromWire, codeToWire } from "./wire";
import type { WrapUpCode } from "./wire-types";

/**
 * Wrap-up codes on the tutorial's API: every field of a code, its one queue included, is in the code's body.
 * Reads during a refresh are answered from one listing per queue (pages of 500), so a refresh costs one or two
 * requests per queue instead of one per code.
 */
export class TutorialCodes implements CodesApi {
  readonly traits = codeTraits("tutorial");
  readonly #api: TutorialApi;
  readonly #matrix: DispositionMatrix;
  /** Each queue's codes, listed once per run; undefined: the listing failed and reads ask for each code by id. */
  readonly #listings = new Map<string, Promise<Map<string, WrapUpCode> | undefined>>();

  constructor(api: TutorialApi, matrix: DispositionMatrix) {
    this.#api = api;
    this.#matrix = matrix;
  }

  async create(desired: DesiredCode): Promise<Call<StoredCode>> {
    this.#forget(desired.queueIds);
    return this.#stored(await this.#api.createWrapUpCode(codeToWire(desired)));
  }

  async read(id: string, known: KnownCode = {}): Promise<Call<StoredCode | null>> {
    const queueId = known.queueIds?.[0];
    const listed = queueId === undefined ? undefined : await this.#listed(queueId, id);
    if (listed) return { ...listed, body: codeFromWire(listed.body, this.#matrix, known) };
    // Not in its queue's listing: deleted, moved to another queue, or the listing failed; ask for it by id.
    const call = await this.#api.getWrapUpCode(id);
    return { ...call, body: call.body === null ? null : codeFromWire(call.body, this.#matrix, known) };
  }

  async update(id: string, desired: DesiredCode, known: KnownCode = {}): Promise<Call<StoredCode>> {
    this.#forget([...(known.queueIds ?? []), ...desired.queueIds]);
    return this.#stored(await this.#api.updateWrapUpCode(id, codeToWire(desired)), known);
  }

  delete(id: string): ReturnType<CodesApi["delete"]> {
    this.#listings.clear();
    return this.#api.deleteWrapUpCode(id);
  }

  async findByName(desired: DesiredCode): Promise<Call<StoredCode | null>> {
    const call = await this.#api.findWrapUpCodeByName(desired.queueIds[0], desired.name);
    return { ...call, body: call.body === null ? null : codeFromWire(call.body, this.#matrix) };
  }

  findForAdoption(desired: DesiredCode): Promise<Call<StoredCode | null>> {
    return this.findByName(desired);
  }

  isNameConflict(error: unknown): boolean {
    return error instanceof GenesysApiError && error.status === 409;
  }

  async list(): Promise<Call<StoredCode[]>> {
    const call = await this.#api.listWrapUpCodes();
    return { ...call, body: call.body.map((code) => codeFromWire(code, this.#matrix)) };
  }

  #stored(call: ApiEnvelope<WrapUpCode>, known?: KnownCode): Call<StoredCode> {
    return { ...call, body: codeFromWire(call.body, this.#matrix, known) };
  }

  async #listed(queueId: string, id: string): Promise<ApiEnvelope<WrapUpCode> | undefined> {
    let listing = this.#listings.get(queueId);
    if (!listing) {
      listing = this.#api.listWrapUpCodes({ routingQueueId: queueId }).then(
        (call) => new Map(call.body.map((code) => [code.id, code])),
        () => undefined,
      );
      this.#listings.set(queueId, listing);
    }
    const code = (await listing)?.get(id);
    // Answered from the listing: no request of its own, so nothing to audit.
    return code && { body: code, status: 200, attempts: 0, latencyMs: 0 };
  }

  /** A write through this process makes the queues' listings stale. */
  #forget(queueIds: readonly string[]): void {
    for (const queueId of queueIds) this.#listings.delete(queueId);
  }
}
