/** The 1000-codes-per-queue limit (section 7) and per-token rate limiting (section 4). */
import { EmulatorProcess, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, QUEUES_PATH, validCode } from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({
    profile: "tutorial",
    config: { requestsPerMinute: 100_000 },
    seed: { queues: [{ name: "Full" }, { name: "Other" }] },
  });
});
afterAll(async () => {
  await em?.stop();
});

async function queueId(name: string): Promise<string> {
  const res = await em.api("GET", `${QUEUES_PATH}?name=${name}`);
  return res.body.entities[0].id;
}

describe("1000 codes per queue", () => {
  let full: string;
  let other: string;
  let firstCode: { id: string; codeName: string };

  beforeAll(async () => {
    full = await queueId("Full");
    other = await queueId("Other");
    const token = await em.token();
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          em.api(
            "POST",
            CODES,
            validCode({ codeName: `Bulk ${batch * 100 + i}`, code: `B${batch * 100 + i}`, routingQueue: { id: full } }),
            { token },
          ),
        ),
      );
      statuses.push(...results.map((r) => r.status));
      if (batch === 0) firstCode = results[0].body;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
  }, 30_000);

  test("the queue holds 1000 codes", async () => {
    const res = await em.api("GET", `${QUEUES_PATH}/${full}/wrapupcodes?pageSize=1`);
    expect(res.body.total).toBe(1000);
    const filtered = await em.api("GET", `${CODES}?routingQueueId=${full}&pageSize=500&pageNumber=2`);
    expect(filtered.body).toMatchObject({ total: 1000, pageCount: 2, pageNumber: 2 });
    expect(filtered.body.entities).toHaveLength(500);
    expect(filtered.body).not.toHaveProperty("nextUri");
  });

  test("the 1001st POST answers 400 limit.exceeded with the limit filled in", async () => {
    const res = await em.api("POST", CODES, validCode({ codeName: "One too many", routingQueue: { id: full } }));
    expectErrorBody(res, 400, "limit.exceeded");
    expect(res.body.limit).toEqual({ namespace: "routing", key: "wrapupcodes.per.queue", value: 1000 });
    expect((await em.api("GET", `${QUEUES_PATH}/${full}/wrapupcodes?pageSize=1`)).body.total).toBe(1000);
  });

  test("a duplicate name in the full queue is still 409 with the existing id (reconciliation keeps working)", async () => {
    const res = await em.api("POST", CODES, validCode({ codeName: firstCode.codeName, routingQueue: { id: full } }));
    expectErrorBody(res, 409, "general.conflict");
    expect(res.body.entityId).toBe(firstCode.id);
  });

  test("PUT within the full queue is fine; moving a code into it is limit.exceeded", async () => {
    const same = await em.api(
      "PUT",
      `${CODES}/${firstCode.id}`,
      validCode({ codeName: firstCode.codeName, code: "CHANGED", routingQueue: { id: full } }),
    );
    expect(same.status).toBe(200);
    const outsider = await em.api("POST", CODES, validCode({ routingQueue: { id: other } }));
    expect(outsider.status).toBe(200);
    const move = await em.api(
      "PUT",
      `${CODES}/${outsider.body.id}`,
      validCode({ codeName: outsider.body.codeName, routingQueue: { id: full } }),
    );
    expectErrorBody(move, 400, "limit.exceeded");
  });

  test("other queues are not affected, and a delete frees a slot", async () => {
    expect((await em.api("POST", CODES, validCode({ routingQueue: { id: other } }))).status).toBe(200);
    expect((await em.api("DELETE", `${CODES}/${firstCode.id}`)).status).toBe(204);
    expect(
      (await em.api("POST", CODES, validCode({ codeName: "Fits again", routingQueue: { id: full } }))).status,
    ).toBe(200);
    expectErrorBody(await em.api("POST", CODES, validCode({ routingQueue: { id: full } })), 400, "limit.exceeded");
  });
});

describe("rate limits per access token", () => {
  beforeAll(async () => {
    await em.config({ requestsPerMinute: 5 });
  });
  afterAll(async () => {
    await em.config({ requestsPerMinute: 100_000 });
  });

  test("headers on every response; the request over budget is 429 with Retry-After", async () => {
    const token = await em.token();
    const seen: { status: number; count: number; allowed: number; reset: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await em.api("GET", `${QUEUES_PATH}?pageSize=1`, undefined, { token });
      seen.push({
        status: res.status,
        count: Number(res.headers.get("inin-ratelimit-count")),
        allowed: Number(res.headers.get("inin-ratelimit-allowed")),
        reset: Number(res.headers.get("inin-ratelimit-reset")),
      });
    }
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    expect(seen.map((s) => s.count)).toEqual([1, 2, 3, 4, 5]);
    for (const s of seen) {
      expect(s.allowed).toBe(5);
      expect(s.reset).toBeGreaterThanOrEqual(1);
      expect(s.reset).toBeLessThanOrEqual(60);
    }

    const over = await em.api("POST", CODES, validCode(), { token });
    expectErrorBody(over, 429, "too.many.requests.retry.after");
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.body.message).toBe(`Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`);
    expect(over.headers.get("inin-ratelimit-count")).toBe("6");
    expect(over.headers.get("inin-ratelimit-allowed")).toBe("5");
    // another token of the same client has its own budget
    const other = await em.token();
    const res = await em.api("GET", QUEUES_PATH, undefined, { token: other });
    expect(res.status).toBe(200);
    expect(res.headers.get("inin-ratelimit-count")).toBe("1");

    // the budget is read from the config at each request
    await em.config({ requestsPerMinute: 10 });
    expect((await em.api("GET", QUEUES_PATH, undefined, { token })).status).toBe(200);
  });

  test("a 429 does not process the request", async () => {
    const token = await em.token();
    for (let i = 0; i < 10; i++) await em.api("GET", QUEUES_PATH, undefined, { token });
    const body = validCode();
    const over = await em.api("POST", CODES, body, { token });
    expect(over.status).toBe(429);
    const list = await em.api("GET", `${CODES}?name=${encodeURIComponent(body.codeName as string)}`, undefined, {
      token: await em.token(),
    });
    expect(list.body.total).toBe(0);
  });

  test("the rate-limit reset admin endpoint clears the windows", async () => {
    const token = await em.token();
    for (let i = 0; i < 11; i++) await em.api("GET", QUEUES_PATH, undefined, { token });
    expect((await em.api("GET", QUEUES_PATH, undefined, { token })).status).toBe(429);
    await fetch(`${em.url}/__emulator/ratelimit/reset`, { method: "POST" });
    const res = await em.api("GET", QUEUES_PATH, undefined, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get("inin-ratelimit-count")).toBe("1");
  });
});
