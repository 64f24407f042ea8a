import type { Call, MembershipApi, StoredCode } from "../seam";
import type { TutorialApi } from "./api";

/**
 * Queue membership on the tutorial's API: a code's one queue is a field of its body (`routingQueue`), so the
 * code's own create or update already placed it, and its body says where it is.
 */
export class TutorialMembership implements MembershipApi {
  readonly #api: TutorialApi;

  constructor(api: TutorialApi) {
    this.#api = api;
  }

  async apply(): Promise<Call<void> | undefined> {
    return undefined;
  }

  async queuesOf(code: StoredCode): Promise<readonly string[]> {
    return code.queueIds ?? [];
  }

  count(queueId: string): Promise<Call<number>> {
    return this.#api.countQueueWrapUpCodes(queueId);
  }

  async queues(): Promise<Call<{ id: string; name: string }[]>> {
    const call = await this.#api.listAll<{ id: string; name: string }>("/routing/queues");
    return { ...call, body: call.body.map(({ id, name }) => ({ id, name })) };
  }

  async codesOn(queueId: string): Promise<Call<string[]>> {
    const call = await this.#api.listWrapUpCodes({ routingQueueId: queueId });
    return { ...call, body: call.body.map((code) => code.id) };
  }
}
