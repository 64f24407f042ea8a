import nock from "nock";
import { hasNextPage } from "../../provider/src/client";
import { API, QUEUE_ID, makeClient, mockTokens, storedCode, useNock } from "./helpers";

useNock();
beforeEach(() => mockTokens());

const CODES = "/api/v2/routing/wrapupcodes";
const codes = (from: number, n: number) => Array.from({ length: n }, (_, i) => storedCode({ id: `c${from + i}` }));

describe("paging", () => {
  test("listAll follows pageNumber across 3 pages of 500 and sums attempts", async () => {
    const pages = [codes(0, 500), codes(500, 500), codes(1000, 7)];
    const scopes = pages.map((entities, index) =>
      nock(API)
        .get(CODES)
        .query({ routingQueueId: QUEUE_ID, pageSize: "500", pageNumber: String(index + 1) })
        .reply(
          200,
          {
            entities,
            pageSize: 500,
            pageNumber: index + 1,
            total: 1007,
            pageCount: 3,
            ...(index < 2 ? { nextUri: `${CODES}?pageSize=500&pageNumber=${index + 2}` } : {}),
          },
          { "ININ-Correlation-Id": `ctx-page-${index + 1}` },
        ),
    );

    const result = await makeClient().listWrapUpCodes({ routingQueueId: QUEUE_ID });

    expect(result.body).toHaveLength(1007);
    expect(result.body[0].id).toBe("c0");
    expect(result.body[1006].id).toBe("c1006");
    expect(result.attempts).toBe(3);
    expect(result.contextId).toBe("ctx-page-3");
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  test("a nextUri beyond pageCount is not followed", async () => {
    nock(API)
      .get("/api/v2/analytics/events/webhooks")
      .query({ pageSize: "500", pageNumber: "1" })
      .reply(200, { entities: [{ id: "w1", name: "a" }], pageNumber: 1, pageCount: 1, nextUri: "/bogus" });
    const second = nock(API).get("/api/v2/analytics/events/webhooks").query(true).reply(200, { entities: [] });

    const result = await makeClient().listWebhooks();

    expect(result.body).toEqual([{ id: "w1", name: "a" }]);
    expect(second.isDone()).toBe(false);
  });

  test("count asks for one entity and returns total", async () => {
    const scope = nock(API)
      .get(`/api/v2/routing/queues/${QUEUE_ID}/wrapupcodes`)
      .query({ pageSize: "1", pageNumber: "1" })
      .reply(200, { entities: [storedCode()], pageSize: 1, pageNumber: 1, total: 742, pageCount: 742, nextUri: "/x" });

    const result = await makeClient().countQueueWrapUpCodes(QUEUE_ID);

    expect(result.body).toBe(742);
    expect(result.status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  test("hasNextPage", () => {
    expect(hasNextPage({ entities: [1], nextUri: "/n", pageCount: 3 }, 1)).toBe(true);
    expect(hasNextPage({ entities: [1], nextUri: "/n", pageCount: 3 }, 3)).toBe(false);
    expect(hasNextPage({ entities: [1], pageCount: 3 }, 1)).toBe(false);
    expect(hasNextPage({ entities: [], nextUri: "/n" }, 1)).toBe(false);
    expect(hasNextPage({ entities: [1], nextUri: "/n" }, 7)).toBe(true);
  });
});
