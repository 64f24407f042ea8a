import nock from "nock";
import { GenesysApiError, createWithReconcile } from "../../provider/src/client";
import { API, QUEUE_ID, connectionError, makeClient, mockTokens, page, storedCode, useNock } from "./helpers";

useNock();

const CODES = "/api/v2/routing/wrapupcodes";
const WEBHOOKS = "/api/v2/analytics/events/webhooks";
const sent = () => {
  const { id: _id, ...rest } = storedCode();
  return rest as never;
};
/** The lookup a reconcile makes: the code's name in its queue, all on one page of 500. */
const lookup = () =>
  nock(API).get(CODES).query({
    name: "Technical Support Escalation",
    routingQueueId: QUEUE_ID,
    pageSize: "500",
    pageNumber: "1",
  });

beforeEach(() => mockTokens());

describe("create with an unknown outcome", () => {
  test("POST reset → lookup finds the code → returned as created, no second POST", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNRESET"));
    const found = lookup().reply(200, page([storedCode({ id: "landed" })]), { "ININ-Correlation-Id": "ctx-lookup" });
    const secondPost = nock(API)
      .post(CODES)
      .reply(200, storedCode({ id: "duplicate" }));

    const result = await makeClient().createWrapUpCode(sent());

    expect(result).toMatchObject({ reconciled: true, status: 200, contextId: "ctx-lookup", body: { id: "landed" } });
    expect(result.attempts).toBe(2); // the POST and the lookup
    expect(found.isDone()).toBe(true);
    expect(secondPost.isDone()).toBe(false);
  });

  test("POST reset → lookup finds nothing → POSTs again exactly once", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNRESET"));
    lookup().reply(200, page([]));
    const secondPost = nock(API)
      .post(CODES)
      .reply(200, storedCode({ id: "created" }));
    const thirdPost = nock(API)
      .post(CODES)
      .reply(200, storedCode({ id: "duplicate" }));

    const result = await makeClient().createWrapUpCode(sent());

    expect(result.body.id).toBe("created");
    expect(result.reconciled).toBeUndefined();
    expect(result.attempts).toBe(3);
    expect(secondPost.isDone()).toBe(true);
    expect(thirdPost.isDone()).toBe(false);
  });

  test("a POST timeout is reconciled the same way", async () => {
    nock(API)
      .post(CODES)
      .delay(300)
      .reply(200, storedCode({ id: "slow" }));
    lookup().reply(200, page([storedCode({ id: "slow" })]));
    const secondPost = nock(API)
      .post(CODES)
      .reply(200, storedCode({ id: "duplicate" }));

    const result = await makeClient({ timeoutMs: 100 }).createWrapUpCode(sent());

    expect(result).toMatchObject({ reconciled: true, body: { id: "slow" } });
    expect(secondPost.isDone()).toBe(false);
  });

  test("a 502 to a POST is an unknown outcome: looked up, not re-sent blindly", async () => {
    const firstPost = nock(API).post(CODES).reply(502, "Bad Gateway");
    lookup().reply(200, page([storedCode({ id: "landed" })]));
    const secondPost = nock(API)
      .post(CODES)
      .reply(200, storedCode({ id: "duplicate" }));

    await expect(makeClient().createWrapUpCode(sent())).resolves.toMatchObject({
      reconciled: true,
      body: { id: "landed" },
    });
    expect(firstPost.isDone()).toBe(true);
    expect(secondPost.isDone()).toBe(false);
  });

  test("a 409 to the re-sent POST after an unknown outcome is our own code: looked up and returned", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNRESET"));
    lookup().reply(200, page([])); // not visible yet
    nock(API).post(CODES).reply(409, { code: "general.conflict", message: "exists", entityId: "landed", status: 409 });
    lookup().reply(200, page([storedCode({ id: "landed" })]));

    const result = await makeClient().createWrapUpCode(sent());

    expect(result).toMatchObject({ reconciled: true, body: { id: "landed" }, attempts: 4 });
  });

  test("a code with the same name but another `code` is not ours: the 409 is reported", async () => {
    nock(API).post(CODES).replyWithError(connectionError("ECONNRESET"));
    const foreign = storedCode({ id: "someone-elses", code: "OTHER" });
    lookup()
      .times(2)
      .reply(200, page([foreign]));
    nock(API).post(CODES).reply(409, { code: "general.conflict", message: "exists", entityId: "someone-elses" });

    const error = await makeClient()
      .createWrapUpCode(sent())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 409, entityId: "someone-elses" });
  });

  test("a plain 409 (no earlier unknown outcome) is thrown without a lookup", async () => {
    nock(API).post(CODES).reply(409, { code: "general.conflict", entityId: "existing" });
    const look = lookup().reply(200, page([storedCode({ id: "existing" })]));

    await expect(makeClient().createWrapUpCode(sent())).rejects.toMatchObject({ status: 409, entityId: "existing" });
    expect(look.isDone()).toBe(false);
  });

  test("the number of POSTs is bounded", async () => {
    const posts = nock(API).post(CODES).times(3).replyWithError(connectionError("ECONNRESET"));
    lookup().times(3).reply(200, page([]));
    const fourth = nock(API).post(CODES).reply(200, storedCode());

    const error = await makeClient({ maxCreateAttempts: 3 })
      .createWrapUpCode(sent())
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 0, code: "network.ECONNRESET" });
    expect(posts.isDone()).toBe(true);
    expect(fourth.isDone()).toBe(false);
  });

  test("a webhook is reconciled by name", async () => {
    const webhook = {
      name: "bi-sync-prod",
      callbackUrl: "https://bi.example.com/hook",
      eventTypes: ["routing:wrapupcode:created"],
    };
    nock(API).post(WEBHOOKS).replyWithError(connectionError("ECONNRESET"));
    nock(API)
      .get(WEBHOOKS)
      .query({ pageSize: "500", pageNumber: "1" })
      .reply(
        200,
        page([
          { id: "other", name: "bi-sync-dev", callbackUrl: "x" },
          { id: "wh-1", ...webhook },
        ]),
      );
    const secondPost = nock(API)
      .post(WEBHOOKS)
      .reply(200, { id: "duplicate", ...webhook });

    const result = await makeClient().createWebhook({ ...webhook, secret: "hook-secret" } as never);

    expect(result).toMatchObject({ reconciled: true, body: { id: "wh-1" } });
    expect(secondPost.isDone()).toBe(false);
  });
});

describe("createWithReconcile (no network)", () => {
  const envelope = <T>(body: T, attempts = 1) => ({ body, status: 200, attempts, latencyMs: 1 });
  const unknownOutcome = () =>
    new GenesysApiError({
      status: 0,
      code: "network.ETIMEDOUT",
      method: "POST",
      url: "https://x/api/v2/y",
      attempts: 1,
    });

  test("lookups happen before every re-sent POST", async () => {
    const calls: string[] = [];
    let posts = 0;
    const result = await createWithReconcile({
      post: async () => {
        calls.push("post");
        if (++posts < 3) throw unknownOutcome();
        return envelope({ id: "made" });
      },
      lookup: async () => {
        calls.push("lookup");
        return envelope(null);
      },
      matches: () => true,
      maxPosts: 3,
    });

    expect(calls).toEqual(["post", "lookup", "post", "lookup", "post"]);
    expect(result).toMatchObject({ body: { id: "made" }, attempts: 5 });
  });

  test("fatal errors pass straight through", async () => {
    const lookupSpy = jest.fn();
    const fatal = new GenesysApiError({
      status: 400,
      code: "bad.request",
      method: "POST",
      url: "https://x/y",
      attempts: 1,
    });

    await expect(
      createWithReconcile({ post: () => Promise.reject(fatal), lookup: lookupSpy, matches: () => true, maxPosts: 3 }),
    ).rejects.toBe(fatal);
    expect(lookupSpy).not.toHaveBeenCalled();
  });
});
