import nock from "nock";
import { API, QUEUE_ID, makeClient, mockTokens, page, storedCode, useNock } from "./helpers";

useNock();
beforeEach(() => mockTokens());

const CODES = "/api/v2/routing/wrapupcodes";
const WEBHOOKS = "/api/v2/analytics/events/webhooks";

describe("wrap-up codes", () => {
  test("getWrapUpCode answers the envelope with the correlation id, and body null on 404", async () => {
    nock(API)
      .get(`${CODES}/c1`)
      .reply(200, storedCode({ id: "c1" }), { "ININ-Correlation-Id": "ctx-get" });
    nock(API).get(`${CODES}/gone`).reply(404, { code: "not.found", contextId: "ctx-404" });
    const client = makeClient();

    const found = await client.getWrapUpCode("c1");
    const gone = await client.getWrapUpCode("gone");

    expect(found).toMatchObject({
      status: 200,
      contextId: "ctx-get",
      attempts: 1,
      body: { id: "c1", code: "ESC_TECH" },
    });
    expect(found.latencyMs).toBeGreaterThanOrEqual(0);
    expect(gone).toMatchObject({ body: null, status: 404, contextId: "ctx-404", attempts: 1 });
  });

  test("ids are URL-encoded into the path", async () => {
    const scope = nock(API).get(`${CODES}/a%2Fb`).reply(200, storedCode());

    await makeClient().getWrapUpCode("a/b");

    expect(scope.isDone()).toBe(true);
  });

  test("createWrapUpCode sends the wire payload as JSON", async () => {
    const { id: _id, ...payload } = storedCode();
    const scope = nock(API)
      .post(CODES, (body) => JSON.stringify(body) === JSON.stringify(payload))
      .matchHeader("content-type", /application\/json/)
      .matchHeader("user-agent", /^pulumi-genesys-wrapup/)
      .reply(200, storedCode({ id: "new" }));

    const result = await makeClient().createWrapUpCode(payload as never);

    expect(result.body.id).toBe("new");
    expect(scope.isDone()).toBe(true);
  });

  test("deleteWrapUpCode: 204 is deleted, 404 counts as done", async () => {
    nock(API).delete(`${CODES}/c1`).reply(204);
    nock(API).delete(`${CODES}/c2`).reply(404, { code: "not.found" });
    const client = makeClient();

    await expect(client.deleteWrapUpCode("c1")).resolves.toMatchObject({ status: 204, body: { deleted: true } });
    await expect(client.deleteWrapUpCode("c2")).resolves.toMatchObject({ status: 404, body: { deleted: false } });
  });

  test("findWrapUpCodeByName filters server-side, then matches the name case-insensitively in the queue", async () => {
    nock(API)
      .get(CODES)
      .query({ name: "technical support escalation", routingQueueId: QUEUE_ID, pageSize: "500", pageNumber: "1" })
      .reply(
        200,
        page([
          storedCode({ id: "prefix-match", codeName: "Technical Support Escalation 2" }),
          storedCode({ id: "other-queue", routingQueue: { id: "another-queue" } }),
          storedCode({ id: "wanted" }),
        ]),
      );

    const result = await makeClient().findWrapUpCodeByName(QUEUE_ID, "technical support escalation");

    expect(result.body?.id).toBe("wanted");
  });

  test("findWrapUpCodeByName answers body null when absent", async () => {
    nock(API).get(CODES).query(true).reply(200, page([]));

    await expect(makeClient().findWrapUpCodeByName(QUEUE_ID, "nothing")).resolves.toMatchObject({
      body: null,
      status: 200,
    });
  });
});

describe("queues and webhooks", () => {
  test("getQueue", async () => {
    nock(API).get(`/api/v2/routing/queues/${QUEUE_ID}`).reply(200, { id: QUEUE_ID, name: "Support", memberCount: 4 });

    await expect(makeClient().getQueue(QUEUE_ID)).resolves.toMatchObject({ body: { name: "Support", memberCount: 4 } });
  });

  test("webhook CRUD paths and findWebhookByName", async () => {
    const hook = {
      name: "bi-sync-prod",
      callbackUrl: "https://bi.example.com/h",
      eventTypes: ["routing:wrapupcode:created"],
    };
    nock(API)
      .get(`${WEBHOOKS}/w1`)
      .reply(200, { id: "w1", ...hook, secretSet: true });
    nock(API)
      .put(`${WEBHOOKS}/w1`)
      .reply(200, { id: "w1", ...hook, enabled: false });
    nock(API).delete(`${WEBHOOKS}/w1`).reply(204);
    nock(API)
      .get(WEBHOOKS)
      .query({ pageSize: "500", pageNumber: "1" })
      .reply(
        200,
        page([
          { id: "w0", name: "BI-SYNC-PROD-OLD" },
          { id: "w1", ...hook },
        ]),
      );
    const client = makeClient();

    await expect(client.getWebhook("w1")).resolves.toMatchObject({ body: { id: "w1", secretSet: true } });
    await expect(client.updateWebhook("w1", { ...hook, enabled: false } as never)).resolves.toMatchObject({
      body: { enabled: false },
    });
    await expect(client.deleteWebhook("w1")).resolves.toMatchObject({ body: { deleted: true } });
    await expect(client.findWebhookByName("BI-Sync-Prod")).resolves.toMatchObject({ body: { id: "w1" } });
  });
});
