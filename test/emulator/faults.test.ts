/** Fault injection (/__emulator/faults/next, config fault rates), latency, config validation and stats. */
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, QUEUES_PATH, validCode } from "./helpers";

let em: EmulatorProcess;
let token: string;

beforeAll(async () => {
  em = await startEmulator({ profile: "tutorial", config: { requestsPerMinute: 100_000 } });
  token = await em.token();
});
afterAll(async () => {
  await em?.stop();
});
afterEach(async () => {
  await fetch(`${em.url}/__emulator/faults`, { method: "DELETE" });
  await em.config({
    latencyMs: 0,
    faults: { status500: 0, status502: 0, status503: 0, status504: 0, status429: 0, connectionReset: 0 },
  });
});

/** Raw POST of a code that reports a network failure instead of throwing. */
async function postCode(body: Record<string, unknown>, timeoutMs?: number) {
  try {
    const res = await fetch(em.url + CODES, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
    });
    return { status: res.status, headers: res.headers, body: JSON.parse((await res.text()) || "null") };
  } catch (e) {
    return { error: e as Error & { cause?: { code?: string } } };
  }
}

async function countByName(name: string): Promise<number> {
  const res = await em.api("GET", `${CODES}?name=${encodeURIComponent(name)}`, undefined, { token });
  return res.body.total;
}

const route = "/api/v2/routing/wrapupcodes";

describe("one-shot faults", () => {
  test("reset-before: the connection is reset and nothing is created", async () => {
    await em.faultNext({ method: "POST", route, kind: "reset-before" });
    await em.resetStats();
    const body = validCode();
    const res = await postCode(body);
    expect(res.error).toBeDefined();
    expect(await countByName(body.codeName as string)).toBe(0);
    const stats = await em.stats();
    expect(stats.byRoute["POST /api/v2/routing/wrapupcodes RESET fault"]).toBe(1);
    expect(stats.faults).toBe(1);
  });

  test("reset-after: the code is created although the client saw a reset; a retry gets 409 with its id", async () => {
    await em.faultNext({ method: "POST", route, kind: "reset-after" });
    await em.resetStats();
    const body = validCode();
    const res = await postCode(body);
    expect(res.error).toBeDefined();
    expect(await countByName(body.codeName as string)).toBe(1);
    const retry = await postCode(body);
    expect(retry.status).toBe(409);
    const existing = await em.api("GET", `${CODES}?name=${encodeURIComponent(body.codeName as string)}`, undefined, {
      token,
    });
    expect(retry.body.entityId).toBe(existing.body.entities[0].id);
    const stats = await em.stats();
    expect(stats.byRoute["POST /api/v2/routing/wrapupcodes RESET fault-after:200"]).toBe(1);
    expect(stats.byRoute["POST /api/v2/routing/wrapupcodes 409"]).toBe(1);
  });

  test.each([
    ["status500", 500, "internal.server.error"],
    ["status502", 502, "internal.server.error"],
    ["status503", 503, "service.unavailable"],
    ["status504", 504, "service.unavailable"],
  ])("%s answers %i %s without processing the request", async (kind, status, code) => {
    await em.faultNext({ method: "POST", route, kind });
    await em.resetStats();
    const body = validCode();
    const res = await em.api("POST", CODES, body, { token });
    expectErrorBody(res, status, code);
    expect(await countByName(body.codeName as string)).toBe(0);
    expect((await em.stats()).byRoute[`POST /api/v2/routing/wrapupcodes ${status} fault`]).toBe(1);
  });

  test("status429 answers 429 with Retry-After 1", async () => {
    await em.faultNext({ method: "POST", route, kind: "status429" });
    const body = validCode();
    const res = await em.api("POST", CODES, body, { token });
    expectErrorBody(res, 429, "too.many.requests.retry.after");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.body.message).toBe("Rate limit exceeded the maximum. Retry the request in [1] seconds");
    expect(await countByName(body.codeName as string)).toBe(0);
  });

  test("timeout-after: never answered, but the code exists", async () => {
    await em.faultNext({ method: "POST", route, kind: "timeout-after" });
    await em.resetStats();
    const body = validCode();
    const res = await postCode(body, 300);
    expect(res.error?.name).toBe("TimeoutError");
    expect(await countByName(body.codeName as string)).toBe(1);
    expect((await em.stats()).byRoute["POST /api/v2/routing/wrapupcodes TIMEOUT fault-after:200"]).toBe(1);
  });

  test("timeout-before: never answered and nothing created", async () => {
    await em.faultNext({ method: "POST", route, kind: "timeout-before" });
    const body = validCode();
    const res = await postCode(body, 300);
    expect(res.error?.name).toBe("TimeoutError");
    expect(await countByName(body.codeName as string)).toBe(0);
  });

  test("count applies the fault to that many matching requests, then stops", async () => {
    await em.faultNext({ method: "GET", route: `${QUEUES_PATH}/{queueId}`, kind: "status503", count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await em.api("GET", `${QUEUES_PATH}/${QUEUES.Sales}`, undefined, { token })).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  test("only matching method and route template are hit", async () => {
    await em.faultNext({ method: "DELETE", route: `${route}/{codeId}`, kind: "status500" });
    const created = await em.api("POST", CODES, validCode(), { token });
    expect(created.status).toBe(200);
    expect((await em.api("GET", `${route}/${created.body.id}`, undefined, { token })).status).toBe(200);
    expect((await em.api("DELETE", `${route}/${created.body.id}`, undefined, { token })).status).toBe(500);
    expect((await em.api("GET", `${route}/${created.body.id}`, undefined, { token })).status).toBe(200);
    const pending = await (await fetch(`${em.url}/__emulator/faults`)).json();
    expect(pending).toEqual({ pending: [] });
  });

  test("faults apply to /api/v2 only: the token endpoint is not affected", async () => {
    await em.faultNext({ kind: "status500" });
    expect(typeof (await em.token())).toBe("string");
    expect((await em.api("GET", QUEUES_PATH, undefined, { token })).status).toBe(500);
  });

  test.each([
    [{ kind: "explode" }, "kind"],
    [{ route }, "kind"],
    [{ kind: "status500", count: 0 }, "count"],
    [{ kind: "status500", route: "/oauth/token" }, "route"],
    [{ kind: "status500", extra: 1 }, "extra"],
  ])("faults/next rejects %j", async (body, fieldName) => {
    const res = await fetch(`${em.url}/__emulator/faults/next`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { details: { fieldName: string }[] };
    expect(json.details.map((d) => d.fieldName)).toContain(fieldName);
  });
});

describe("random faults from the config", () => {
  test("status503: 1 makes every API call 503; admin and token endpoints are unaffected", async () => {
    await em.config({ faults: { status503: 1 } });
    const body = validCode();
    for (let i = 0; i < 3; i++)
      expectErrorBody(await em.api("POST", CODES, body, { token }), 503, "service.unavailable");
    expect(typeof (await em.token())).toBe("string");
    await em.config({ faults: { status503: 0 } });
    expect(await countByName(body.codeName as string)).toBe(0);
  });

  test("status500 and status429 rates", async () => {
    await em.config({ faults: { status500: 1 } });
    expectErrorBody(await em.api("GET", QUEUES_PATH, undefined, { token }), 500, "internal.server.error");
    await em.config({ faults: { status500: 0, status429: 1 } });
    const res = await em.api("GET", QUEUES_PATH, undefined, { token });
    expectErrorBody(res, 429, "too.many.requests.retry.after");
    expect(res.headers.get("retry-after")).toBe("1");
  });

  test("connectionReset with resetAfterCommitRatio 1: every POST is reset after it was committed", async () => {
    await em.config({ faults: { connectionReset: 1, resetAfterCommitRatio: 1 } });
    const bodies = [validCode(), validCode(), validCode()];
    const results = await Promise.all(bodies.map((b) => postCode(b)));
    for (const r of results) expect(r.error).toBeDefined();
    await em.config({ faults: { connectionReset: 0 } });
    for (const b of bodies) expect(await countByName(b.codeName as string)).toBe(1);
  });

  test("connectionReset with resetAfterCommitRatio 0: nothing is committed", async () => {
    await em.config({ faults: { connectionReset: 1, resetAfterCommitRatio: 0 } });
    const body = validCode();
    expect((await postCode(body)).error).toBeDefined();
    await em.config({ faults: { connectionReset: 0, resetAfterCommitRatio: 0.5 } });
    expect(await countByName(body.codeName as string)).toBe(0);
  });

  test("a fault rate of 0.5 faults some but not all requests", async () => {
    await em.config({ faults: { status503: 0.5 } });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => em.api("GET", QUEUES_PATH, undefined, { token }).then((r) => r.status)),
    );
    const faulted = statuses.filter((s) => s === 503).length;
    expect(faulted).toBeGreaterThan(5);
    expect(faulted).toBeLessThan(55);
    expect(faulted + statuses.filter((s) => s === 200).length).toBe(60);
  });
});

describe("latency and config", () => {
  test("latencyMs delays API answers", async () => {
    await em.config({ latencyMs: 250 });
    const started = Date.now();
    expect((await em.api("GET", QUEUES_PATH, undefined, { token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  test("GET /__emulator/config returns the current config, PUT merges", async () => {
    const before = await em.config();
    expect(before).toMatchObject({
      requestsPerMinute: 100_000,
      tokenLifetimeSeconds: 86400,
      latencyMs: 0,
      faults: { status500: 0, status503: 0, status429: 0, connectionReset: 0, resetAfterCommitRatio: 0.5 },
      webhookRetry: { attempts: 5, baseDelayMs: 200 },
    });
    const after = await em.config({ webhookRetry: { attempts: 3 } });
    expect(after.webhookRetry).toEqual({ ...before.webhookRetry, attempts: 3 });
    expect(await em.config()).toEqual(after);
    await em.config({ webhookRetry: { attempts: 5 } });
  });

  test.each([
    [{ requestsPerMinute: 0 }, "requestsPerMinute"],
    [{ requestsPerMinute: 1.5 }, "requestsPerMinute"],
    [{ tokenLifetimeSeconds: "60" }, "tokenLifetimeSeconds"],
    [{ latencyMs: -1 }, "latencyMs"],
    [{ faults: { status500: 2 } }, "faults.status500"],
    [{ faults: { status500: 0.6, status503: 0.6 } }, "faults"],
    [{ faults: { flaky: 0.1 } }, "faults.flaky"],
    [{ faults: 1 }, "faults"],
    [{ webhookRetry: { attempts: 0 } }, "webhookRetry.attempts"],
    [{ bogus: true }, "bogus"],
  ])("PUT /__emulator/config rejects %j", async (patch, fieldName) => {
    const before = await em.config();
    const res = await fetch(`${em.url}/__emulator/config`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(patch),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: { fieldName: string }[] };
    expect(body.code).toBe("bad.request");
    expect(body.details.map((d) => d.fieldName)).toContain(fieldName);
    expect(await em.config()).toEqual(before);
  });

  test("stats reset and `since`", async () => {
    await em.api("GET", QUEUES_PATH, undefined, { token });
    const before = await em.stats();
    expect(before.total).toBeGreaterThan(0);
    await em.resetStats();
    const after = await em.stats();
    expect(after).toMatchObject({ total: 0, faults: 0, byRoute: {} });
    expect(Date.parse(after.since)).toBeGreaterThanOrEqual(Date.parse(before.since));
  });

  test("unknown admin paths are 404", async () => {
    expect((await fetch(`${em.url}/__emulator/nothing`)).status).toBe(404);
  });
});
