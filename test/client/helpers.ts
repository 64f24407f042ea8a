import nock from "nock";
import { resetSharedClientState, type GenesysClientOptions } from "../../provider/src/client";
import { TutorialApi } from "../../provider/src/profiles/tutorial";
import { FAST_RETRY } from "./fixtures";

export const API = "https://api.example.test";
export const AUTH = "https://login.example.test";
export const CLIENT_ID = "client-id-1";
export const CLIENT_SECRET = "s3cret-value-never-printed";
export const QUEUE_ID = "11111111-2222-3333-4444-555555555555";

export { FAST_RETRY } from "./fixtures";

/** A client against the mocked hosts with fast retries and a limiter that does not slow tests down. */
export function makeClient(overrides: Partial<GenesysClientOptions> = {}): TutorialApi {
  return new TutorialApi({
    apiUrl: API,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    requestsPerSecond: 10_000,
    maxConcurrency: 64,
    retry: FAST_RETRY,
    ...overrides,
  });
}

/**
 * Mocks the token endpoint: checks the client-credentials form and Basic auth, answers `tok-1`, `tok-2`, …
 * Returns a counter of token requests served.
 */
export function mockTokens(options: { expiresIn?: number; times?: number } = {}): { readonly count: number } {
  const served = { count: 0 };
  nock(AUTH)
    .post("/oauth/token", "grant_type=client_credentials")
    .basicAuth({ user: CLIENT_ID, pass: CLIENT_SECRET })
    .times(options.times ?? 100)
    .reply(() => {
      served.count += 1;
      return [
        200,
        { access_token: `tok-${served.count}`, token_type: "bearer", expires_in: options.expiresIn ?? 86_400 },
      ];
    });
  return served;
}

/** What a real connection reset looks like to Node (nock 14 hangs when given a plain object instead of an Error). */
export function connectionError(code: string, message = "socket hang up"): Error {
  return Object.assign(new Error(message), { code });
}

/** A stored wrap-up code as the API answers it. */
export function storedCode(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "code-1",
    codeName: "Technical Support Escalation",
    code: "ESC_TECH",
    codeCategoryName: "support",
    routingQueue: { id: QUEUE_ID },
    mandatoryField: true,
    reportingTags: ["cat:support"],
    validFrom: null,
    validThrough: null,
    description: null,
    ...overrides,
  };
}

/** A page of a list endpoint. */
export function page(entities: unknown[], pageNumber = 1, pageCount = 1): Record<string, unknown> {
  return {
    entities,
    pageSize: 500,
    pageNumber,
    total: entities.length,
    pageCount,
    ...(pageNumber < pageCount ? { nextUri: `/api/v2/x?pageNumber=${pageNumber + 1}` } : {}),
  };
}

/** Standard nock lifecycle for client tests: no real network, clean mocks and shared state after each test. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    resetSharedClientState();
  });
  afterAll(() => {
    nock.enableNetConnect();
    // Importing nock patches http/https for the whole worker (core modules are shared between test files);
    // undo it, or the next file in this worker runs with two stacked interceptors.
    nock.restore();
  });
}
