import { chainEnvelope, type ApiEnvelope } from "../../client/envelope";
import { GenesysApiError } from "../../client/errors";
import { createWithReconcile } from "../../client/reconcile";
import { isOutcomeUnknown } from "../../client/retry-policy";
import { GenesysTransport } from "../../client/transport";
import type { DeleteOutcome } from "../../client/types";
import { sameName } from "../../util";
import type {
  Division,
  Queue,
  WrapupCode,
  WrapupCodeQuery,
  WrapupCodeReference,
  WrapupCodeRequest,
} from "./wire-types";

const WRAPUP_CODES = "/routing/wrapupcodes";
const QUEUES = "/routing/queues";
const DIVISIONS = "/authorization/divisions";

/**
 * Page size of every listing. The platform's maximum is not documented (its default is 25); Terraform's provider
 * pages with 100, which every organisation accepts.
 */
export const PLATFORM_PAGE_SIZE = 100;
/** At most this many codes per membership POST (platform-api.md section 3). */
export const MEMBERSHIP_BATCH = 100;

const idPath = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;
const queueCodesPath = (queueId: string) => `${idPath(QUEUES, queueId)}/wrapupcodes`;

/**
 * The public Genesys Cloud Platform API for wrap-up codes, their queues and divisions, typed. Every method resolves
 * with an {@link ApiEnvelope} and rejects with a {@link GenesysApiError}; lookups that find nothing have body `null`.
 */
export class PlatformApi extends GenesysTransport {
  // ---- wrap-up codes -------------------------------------------------------------------------------------

  /** The code with this id; body `null` (status 404) when it does not exist (or does not yet show). */
  getWrapUpCode(id: string): Promise<ApiEnvelope<WrapupCode | null>> {
    return this.requestOrNull<WrapupCode>("GET", idPath(WRAPUP_CODES, id));
  }

  /** Every code matching the query, across every page. */
  listWrapUpCodes(query: WrapupCodeQuery = {}): Promise<ApiEnvelope<WrapupCode[]>> {
    return this.listAll<WrapupCode>(WRAPUP_CODES, { ...query }, PLATFORM_PAGE_SIZE);
  }

  /**
   * Creates a code. An unknown outcome (reset, timeout, 500/502/504) is reconciled by looking the name up before
   * anything is sent again; a name conflict after an unknown outcome is answered by the same lookup.
   */
  createWrapUpCode(body: WrapupCodeRequest): Promise<ApiEnvelope<WrapupCode>> {
    return createWithReconcile<WrapupCode>({
      post: () => this.request<WrapupCode>("POST", WRAPUP_CODES, { body }),
      lookup: () => this.findWrapUpCodeByName(body.name),
      matches: (found) =>
        found.name === body.name &&
        (found.description || "") === (body.description || "") &&
        (body.division === undefined || found.division?.id === body.division.id),
      maxPosts: this.maxCreateAttempts,
      isConflict: isNameConflict,
    });
  }

  /** Replaces the code's name, description and division (PUT). */
  updateWrapUpCode(id: string, body: WrapupCodeRequest): Promise<ApiEnvelope<WrapupCode>> {
    return this.request<WrapupCode>("PUT", idPath(WRAPUP_CODES, id), { body });
  }

  /** Deletes a code; already gone (404) counts as done with `deleted: false`. */
  deleteWrapUpCode(id: string): Promise<ApiEnvelope<DeleteOutcome>> {
    return this.deleteIfExists(idPath(WRAPUP_CODES, id));
  }

  /**
   * The code named `name` in the organisation, compared case-insensitively; body `null` when none. The listing's
   * `name` filter narrows the search, but its match rule is not documented: when it finds nothing, every code is
   * listed and compared here, so a stricter (or case-sensitive) filter cannot hide the holder of a name.
   */
  async findWrapUpCodeByName(name: string): Promise<ApiEnvelope<WrapupCode | null>> {
    const pick = (codes: WrapupCode[]) =>
      codes.find((code) => code.name === name) ?? codes.find((code) => sameName(code.name, name)) ?? null;
    const filtered = await this.listWrapUpCodes({ name });
    const found = pick(filtered.body);
    if (found) return { ...filtered, body: found };
    const all = await this.listWrapUpCodes();
    return chainEnvelope(all, pick(all.body), filtered);
  }

  // ---- queue membership ----------------------------------------------------------------------------------

  /** Every code on the queue, across every page. */
  listQueueWrapUpCodes(queueId: string): Promise<ApiEnvelope<WrapupCode[]>> {
    return this.listAll<WrapupCode>(queueCodesPath(queueId), {}, PLATFORM_PAGE_SIZE);
  }

  /** How many codes the queue holds (one request, `pageSize=1`). */
  countQueueWrapUpCodes(queueId: string): Promise<ApiEnvelope<number>> {
    return this.count(queueCodesPath(queueId));
  }

  /**
   * Adds up to {@link MEMBERSHIP_BATCH} codes to the queue. Adding is idempotent in effect, but a POST is not
   * repeated blindly: after an unknown outcome, or an answer that may mean "already a member" (what the platform
   * answers then is not documented), the queue is listed and only the codes still missing are sent again.
   */
  async addQueueWrapUpCodes(queueId: string, codeIds: readonly string[]): Promise<ApiEnvelope<void>> {
    if (codeIds.length > MEMBERSHIP_BATCH) {
      throw new RangeError(`at most ${MEMBERSHIP_BATCH} codes per membership request, got ${codeIds.length}`);
    }
    const body: WrapupCodeReference[] = codeIds.map((id) => ({ id }));
    try {
      const added = await this.request<unknown>("POST", queueCodesPath(queueId), { body });
      return { ...added, body: undefined };
    } catch (error) {
      const maybeMember = error instanceof GenesysApiError && (error.status === 400 || error.status === 409);
      if (!(error instanceof GenesysApiError) || !(isOutcomeUnknown(error) || maybeMember)) throw error;
      const listed = await this.listQueueWrapUpCodes(queueId);
      const present = new Set(listed.body.map((code) => code.id.toLowerCase()));
      const missing = codeIds.filter((id) => !present.has(id.toLowerCase()));
      if (missing.length === 0) return { ...listed, body: undefined };
      if (maybeMember) throw error;
      const again = await this.request<unknown>("POST", queueCodesPath(queueId), {
        body: missing.map((id) => ({ id })),
      });
      return chainEnvelope(again, undefined, listed);
    }
  }

  /** Removes one code from the queue (the platform has no bulk remove); not a member (404) counts as done. */
  removeQueueWrapUpCode(queueId: string, codeId: string): Promise<ApiEnvelope<DeleteOutcome>> {
    return this.deleteIfExists(idPath(queueCodesPath(queueId), codeId));
  }

  // ---- queues and divisions ------------------------------------------------------------------------------

  /** Every queue of the organisation (optionally those whose name matches `name`, `*` as wildcard). */
  listQueues(name?: string): Promise<ApiEnvelope<Queue[]>> {
    return this.listAll<Queue>(QUEUES, { name }, PLATFORM_PAGE_SIZE);
  }

  /** The organisation's home division. */
  homeDivision(): Promise<ApiEnvelope<Division>> {
    return this.request<Division>("GET", `${DIVISIONS}/home`);
  }

  /** Every division (optionally by name). */
  listDivisions(name?: string): Promise<ApiEnvelope<Division[]>> {
    return this.listAll<Division>(DIVISIONS, { name }, PLATFORM_PAGE_SIZE);
  }
}

/** The platform refuses a taken name with `400 duplicate.name` (documented) or `409` (documented since 2024). */
export function isNameConflict(error: unknown): boolean {
  return error instanceof GenesysApiError && (error.status === 409 || error.code === "duplicate.name");
}
