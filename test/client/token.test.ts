import { inspect } from "node:util";
import nock from "nock";
import { GenesysApiError, GenesysAuthError } from "../../provider/src/client";
import { API, AUTH, CLIENT_ID, CLIENT_SECRET, makeClient, mockTokens, useNock } from "./helpers";

useNock();

describe("a rate-limited token request (the platform answers 400 invalid_request, not 429)", () => {
  test("is asked again until the token comes, and the call goes through", async () => {
    let asked = 0;
    nock(AUTH)
      .post("/oauth/token")
      .times(2)
      .reply(() => {
        asked += 1;
        return [400, { error: "invalid_request", error_description: "rate limit exceeded; retry in 1 seconds" }];
      });
    const tokens = mockTokens();
    nock(API).get("/api/v2/routing/queues/q1").matchHeader("authorization", "Bearer tok-1").reply(200, { id: "q1" });

    const started = Date.now();
    const result = await makeClient().getQueue("q1");

    expect(result.status).toBe(200);
    expect(asked).toBe(2);
    expect(tokens.count).toBe(1);
    // It waited (1 s, then 2 s, plus jitter) instead of hammering the endpoint.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  }, 20_000);

  test("another 400 of the token endpoint is final, with its error and description", async () => {
    nock(AUTH).post("/oauth/token").reply(400, { error: "unsupported_grant_type", error_description: "nope" });
    const error = await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as GenesysAuthError).message).toContain("400 unsupported_grant_type: nope");
    expect((error as GenesysAuthError).attempts).toBe(1);
  });
});

describe("OAuth token cache", () => {
  test("20 parallel GETs share one token request", async () => {
    const tokens = mockTokens();
    const api = nock(API)
      .get(/\/api\/v2\/routing\/queues\/q\d+$/)
      .matchHeader("authorization", "Bearer tok-1")
      .times(20)
      .reply(200, { id: "q" });
    const client = makeClient();

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.getQueue(`q${i}`)));

    expect(tokens.count).toBe(1);
    expect(results.every((result) => result.status === 200 && result.attempts === 1)).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  test("two client instances with the same clientId share the token", async () => {
    const tokens = mockTokens();
    nock(API).get("/api/v2/routing/queues/q1").times(2).reply(200, { id: "q1" });

    await makeClient().getQueue("q1");
    await makeClient().getQueue("q1");

    expect(tokens.count).toBe(1);
  });

  test("a long-lived token is reused by the next call", async () => {
    const tokens = mockTokens({ expiresIn: 3600 });
    nock(API).get("/api/v2/routing/queues/q1").times(2).reply(200, { id: "q1" });
    const client = makeClient();

    await client.getQueue("q1");
    await client.getQueue("q1");

    expect(tokens.count).toBe(1);
  });

  test("a token with less than its refresh margin left is refreshed by the next call", async () => {
    // The margin is 5 minutes, or half the life of a shorter-lived token (here 0.5 s of a 1 s token).
    const tokens = mockTokens({ expiresIn: 1 });
    nock(API).get("/api/v2/routing/queues/q1").matchHeader("authorization", "Bearer tok-1").reply(200, { id: "q1" });
    nock(API).get("/api/v2/routing/queues/q1").matchHeader("authorization", "Bearer tok-2").reply(200, { id: "q1" });
    const client = makeClient();

    await client.getQueue("q1");
    await new Promise((resolve) => setTimeout(resolve, 600));
    await client.getQueue("q1");

    expect(tokens.count).toBe(2);
    expect(nock.isDone()).toBe(false); // only the unused token interceptor remains
    expect(nock.pendingMocks()).toEqual([expect.stringContaining("/oauth/token")]);
  });

  test("a 401 from the API refreshes the token once and retries the request", async () => {
    const tokens = mockTokens();
    nock(API).get("/api/v2/routing/queues/q1").matchHeader("authorization", "Bearer tok-1").reply(401, {
      code: "bad.credentials",
      message: "Invalid login credentials.",
      status: 401,
    });
    const retried = nock(API)
      .get("/api/v2/routing/queues/q1")
      .matchHeader("authorization", "Bearer tok-2")
      .reply(200, { id: "q1", name: "Support" });

    const result = await makeClient().getQueue("q1");

    expect(result.body).toEqual({ id: "q1", name: "Support" });
    expect(result.attempts).toBe(2);
    expect(tokens.count).toBe(2);
    expect(retried.isDone()).toBe(true);
  });

  test("a second 401 after the refresh is final (no loop)", async () => {
    const tokens = mockTokens();
    const api = nock(API)
      .get("/api/v2/routing/queues/q1")
      .times(5)
      .reply(401, { code: "bad.credentials", message: "Invalid login credentials.", contextId: "ctx-401" });

    const error = await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 401, code: "bad.credentials", attempts: 2, contextId: "ctx-401" });
    expect(tokens.count).toBe(2);
    expect(api.pendingMocks()).toHaveLength(1); // 2 of the 5 allowed replies used
  });

  test("parallel calls rejected with the same stale token trigger a single refresh", async () => {
    const tokens = mockTokens();
    nock(API)
      .get(/\/q\d$/)
      .matchHeader("authorization", "Bearer tok-1")
      .times(5)
      .reply(401, { code: "bad.credentials" });
    nock(API)
      .get(/\/q\d$/)
      .matchHeader("authorization", "Bearer tok-2")
      .times(5)
      .reply(200, {});
    const client = makeClient();
    // Warm the cache so every call starts with tok-1.
    nock(API).get("/api/v2/routing/queues/warm").reply(200, {});
    await client.getQueue("warm");

    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => client.getQueue(`q${i}`)));

    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(tokens.count).toBe(2);
  });

  test("token endpoint errors become a GenesysAuthError without the secret", async () => {
    nock(AUTH)
      .post("/oauth/token")
      .reply(
        401,
        { error: "invalid_client", error_description: `Bad client credentials for ${CLIENT_SECRET}` },
        {
          "ININ-Correlation-Id": "corr-1",
        },
      );
    const api = nock(API).get("/api/v2/routing/queues/q1").reply(200, {});

    const error = await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysAuthError);
    expect(error).toBeInstanceOf(GenesysApiError);
    const auth = error as GenesysAuthError;
    expect(auth).toMatchObject({ status: 401, error: "invalid_client", code: "invalid_client", contextId: "corr-1" });
    expect(auth.errorDescription).toBe("Bad client credentials for [redacted]");
    expect(auth.message).toContain(`OAuth token request to ${AUTH}/oauth/token failed: 401 invalid_client`);
    expect(auth.message).toContain(`clientId ${CLIENT_ID}`);
    const everything = `${auth.message} ${auth.stack} ${JSON.stringify(auth)} ${inspect(auth, { depth: 5 })}`;
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64"));
    expect(api.isDone()).toBe(false); // no API call without a token
  });

  test("a failed token request is not cached: the next call asks again", async () => {
    nock(AUTH).post("/oauth/token").reply(400, { error: "invalid_request", error_description: "try again" });
    const tokens = mockTokens();
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });
    const client = makeClient();

    await expect(client.getQueue("q1")).rejects.toMatchObject({ status: 400, error: "invalid_request" });
    await expect(client.getQueue("q1")).resolves.toMatchObject({ status: 200 });
    expect(tokens.count).toBe(1);
  });

  test("the token endpoint is retried on 503 (a token request creates nothing)", async () => {
    nock(AUTH).post("/oauth/token").reply(503, "busy");
    const tokens = mockTokens();
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    await expect(makeClient().getQueue("q1")).resolves.toMatchObject({ status: 200 });
    expect(tokens.count).toBe(1);
  });
});

describe("client secret", () => {
  test("is neither serialised nor shown by inspect", () => {
    const client = makeClient();
    const serialised = JSON.stringify(client);
    expect(serialised).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(serialised)).toMatchObject({ apiUrl: API, authUrl: AUTH, clientId: CLIENT_ID });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(CLIENT_SECRET);
    expect(Object.values(client)).not.toContain(CLIENT_SECRET);
  });
});
