import nock from "nock";
import { GenesysApiError } from "../../provider/src/client";
import { API, QUEUE_ID, connectionError, makeClient, mockTokens, storedCode, useNock } from "./helpers";

useNock();

const CODES = "/api/v2/routing/wrapupcodes";
const tooMany = (seconds: string) =>
  [
    429,
    {
      code: "too.many.requests.retry.after",
      message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
      status: 429,
    },
    { "Retry-After": seconds },
  ] as const;
const payload = () => {
  const { id: _id, ...rest } = storedCode();
  return rest as never;
};

beforeEach(() => mockTokens());

describe("429 Too Many Requests", () => {
  test("waits Retry-After seconds before retrying", async () => {
    nock(API)
      .get("/api/v2/routing/queues/q1")
      .reply(...tooMany("1"));
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    const started = Date.now();
    const result = await makeClient().getQueue("q1");

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result).toMatchObject({ status: 200, attempts: 2 });
  });

  test("keeps retrying well past 6 consecutive 429s while the deadline allows", async () => {
    const limited = nock(API)
      .get("/api/v2/routing/queues/q1")
      .times(9)
      .reply(...tooMany("0.02"));
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    const result = await makeClient({ retry: { maxAttempts: 6, baseDelayMs: 5, retryAfterJitterMs: 0 } }).getQueue(
      "q1",
    );

    expect(limited.isDone()).toBe(true);
    expect(result).toMatchObject({ status: 200, attempts: 10 });
  });

  test("429s do not use up the transient-failure budget", async () => {
    nock(API)
      .get("/api/v2/routing/queues/q1")
      .times(8)
      .reply(...tooMany("0.01"));
    nock(API).get("/api/v2/routing/queues/q1").times(5).reply(503, { code: "service.unavailable" });
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    // 5 transient failures stay under maxAttempts 6, however many 429s came first.
    await expect(makeClient().getQueue("q1")).resolves.toMatchObject({ status: 200, attempts: 14 });
  });

  test("gives up with the 429 once the next wait would pass the deadline", async () => {
    nock(API).get("/api/v2/routing/queues/warm").reply(200, {});
    nock(API)
      .get("/api/v2/routing/queues/q1")
      .times(100)
      .reply(...tooMany("0.25"));
    const client = makeClient({ deadlineMs: 650 });
    await client.getQueue("warm"); // the token is fetched outside the measured call

    const started = Date.now();
    const error = (await client.getQueue("q1").catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 429, code: "too.many.requests.retry.after" });
    // Attempts at ~0, ~250 and ~500 ms; a third wait of 250 ms would end past the 650 ms deadline.
    expect(error.attempts).toBe(3);
    // It gives up instead of sleeping past the deadline.
    expect(Date.now() - started).toBeLessThan(650);
  });

  test("a POST is retried on 429 (the server did not process it)", async () => {
    nock(API)
      .post(CODES)
      .reply(...tooMany("0.01"));
    const created = nock(API).post(CODES).reply(200, storedCode());

    const result = await makeClient().createWrapUpCode(payload());

    expect(created.isDone()).toBe(true);
    expect(result).toMatchObject({ status: 200, attempts: 2, body: { id: "code-1" } });
    expect(result.reconciled).toBeUndefined();
  });
});

describe("transient failures of idempotent calls", () => {
  test("GET is retried after 503s", async () => {
    nock(API).get("/api/v2/routing/queues/q1").times(2).reply(503, { code: "service.unavailable" });
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    await expect(makeClient().getQueue("q1")).resolves.toMatchObject({ status: 200, attempts: 3 });
  });

  test("GET is retried after connection resets", async () => {
    nock(API).get("/api/v2/routing/queues/q1").times(2).replyWithError(connectionError("ECONNRESET"));
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "q1" });

    await expect(makeClient().getQueue("q1")).resolves.toMatchObject({ status: 200, attempts: 3 });
  });

  test("PUT is retried after a 502 and an EPIPE", async () => {
    const path = `${CODES}/code-1`;
    nock(API).put(path).reply(502, "<html>Bad Gateway</html>");
    nock(API).put(path).replyWithError(connectionError("EPIPE", "write EPIPE"));
    nock(API).put(path).reply(200, storedCode());

    await expect(makeClient().updateWrapUpCode("code-1", payload())).resolves.toMatchObject({
      status: 200,
      attempts: 3,
      body: { id: "code-1" },
    });
  });

  test("DELETE is retried after a 500 and a 504", async () => {
    nock(API).delete(`${CODES}/code-1`).reply(500, { code: "internal.server.error" });
    nock(API).delete(`${CODES}/code-1`).reply(504, { code: "service.unavailable" });
    nock(API).delete(`${CODES}/code-1`).reply(204);

    await expect(makeClient().deleteWrapUpCode("code-1")).resolves.toMatchObject({
      status: 204,
      attempts: 3,
      body: { deleted: true },
    });
  });

  test("a timed-out GET is retried", async () => {
    nock(API).get("/api/v2/routing/queues/q1").delay(300).reply(200, { id: "slow" });
    nock(API).get("/api/v2/routing/queues/q1").reply(200, { id: "fast" });

    await expect(makeClient({ timeoutMs: 100 }).getQueue("q1")).resolves.toMatchObject({
      body: { id: "fast" },
      attempts: 2,
    });
  });

  test("retries are bounded: 6 attempts, then the last 500 is reported", async () => {
    const failing = nock(API)
      .get("/api/v2/routing/queues/q1")
      .times(10)
      .reply(500, { code: "internal.server.error", message: "boom", contextId: "ctx-500" });

    const error = (await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toMatchObject({ status: 500, code: "internal.server.error", attempts: 6, contextId: "ctx-500" });
    expect(error.message).toContain("after 6 attempts");
    expect(failing.pendingMocks()).toHaveLength(1); // 6 of 10 used
  });

  test("resets until the attempts run out give a status-0 network error", async () => {
    nock(API).get("/api/v2/routing/queues/q1").times(6).replyWithError(connectionError("ECONNRESET"));

    const error = (await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 0, code: "network.ECONNRESET", method: "GET", attempts: 6 });
    expect(error.message).toMatch(/^GET \/api\/v2\/routing\/queues\/q1 failed: network\.ECONNRESET: socket hang up/);
  });

  test("404 and 400 are not retried", async () => {
    nock(API).get("/api/v2/routing/queues/q1").reply(404, { code: "not.found" });
    nock(API).put(`${CODES}/code-1`).reply(400, { code: "bad.request" });
    const client = makeClient();

    await expect(client.getQueue("q1")).resolves.toMatchObject({ body: null, status: 404, attempts: 1 });
    await expect(client.updateWrapUpCode("code-1", payload())).rejects.toMatchObject({ status: 400, attempts: 1 });
  });
});

describe("POST safety", () => {
  test("a POST answered 503 is retried (the server says it did nothing)", async () => {
    nock(API).post(CODES).reply(503, { code: "service.unavailable" });
    nock(API).post(CODES).reply(200, storedCode());

    await expect(makeClient().createWrapUpCode(payload())).resolves.toMatchObject({
      attempts: 2,
      body: { id: "code-1" },
    });
  });

  test("a refused connection is retried for POST (the request was never sent)", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNREFUSED", "connect ECONNREFUSED"));
    nock(API).post(CODES).reply(200, storedCode());

    await expect(makeClient().createWrapUpCode(payload())).resolves.toMatchObject({ attempts: 2 });
  });

  test("a POST reset is not retried by the HTTP layer", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNRESET"));
    const second = nock(API).post(CODES).reply(200, storedCode());

    const error = await makeClient()
      .request("POST", "/routing/wrapupcodes", { body: { codeName: "x", routingQueue: { id: QUEUE_ID } } })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 0, code: "network.ECONNRESET", attempts: 1 });
    expect(second.isDone()).toBe(false);
  });
});
