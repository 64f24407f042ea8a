// The client against the project's Genesys Cloud emulator (a real HTTP server with deterministic fault
// injection): wire compatibility, and that retries and reconciles never create a duplicate.
import { TutorialApi, type WrapUpCodePayload } from "../../provider/src/profiles/tutorial";
import { QUEUES, startEmulator, type EmulatorProcess } from "../support/emulator";
import { FAST_RETRY } from "./fixtures";

jest.setTimeout(60_000);

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em?.stop());
beforeEach(async () => {
  await em.api("DELETE", "/__emulator/faults");
  await em.config({
    faults: { status500: 0, status502: 0, status503: 0, status504: 0, status429: 0, connectionReset: 0 },
  });
  await em.resetStats();
});

let seq = 0;
const client = (overrides: Partial<ConstructorParameters<typeof TutorialApi>[0]> = {}) =>
  new TutorialApi({
    apiUrl: em.url,
    clientId: em.clientId,
    clientSecret: em.clientSecret,
    requestsPerSecond: 200,
    retry: FAST_RETRY,
    ...overrides,
  });
const code = (queueId: string = QUEUES.Support): WrapUpCodePayload => {
  seq += 1;
  return {
    codeName: `Client Test ${seq} ${Date.now()}`,
    code: `CT_${seq}`,
    codeCategoryName: "support",
    routingQueue: { id: queueId },
    mandatoryField: false,
    reportingTags: ["cat:support", "sub:resolved", "sub:escalation", "sub:callback"],
    validFrom: null,
    validThrough: null,
    description: null,
  };
};
const postsCreated = (byRoute: Record<string, number>) =>
  Object.entries(byRoute)
    .filter(([route]) => route.startsWith("POST /api/v2/routing/wrapupcodes "))
    .reduce((sum, [, n]) => sum + n, 0);

test("wrap-up code lifecycle: create, get, find, count, update, delete, delete again", async () => {
  const api = client();
  const payload = code(QUEUES.Billing);
  const before = (await api.countQueueWrapUpCodes(QUEUES.Billing)).body;

  const created = await api.createWrapUpCode(payload);
  expect(created).toMatchObject({
    status: 200,
    attempts: 1,
    body: { codeName: payload.codeName, createdBy: em.clientId },
  });
  expect(created.contextId).toEqual(expect.any(String));
  const id = created.body.id;

  await expect(api.getWrapUpCode(id)).resolves.toMatchObject({ body: { id, code: payload.code } });
  await expect(api.findWrapUpCodeByName(QUEUES.Billing, payload.codeName.toUpperCase())).resolves.toMatchObject({
    body: { id },
  });
  await expect(api.countQueueWrapUpCodes(QUEUES.Billing)).resolves.toMatchObject({ body: before + 1 });
  await expect(api.updateWrapUpCode(id, { ...payload, description: "changed" })).resolves.toMatchObject({
    body: { id, description: "changed" },
  });
  await expect(api.getQueue(QUEUES.Billing)).resolves.toMatchObject({ body: { id: QUEUES.Billing, name: "Billing" } });
  await expect(api.deleteWrapUpCode(id)).resolves.toMatchObject({ body: { deleted: true } });
  await expect(api.deleteWrapUpCode(id)).resolves.toMatchObject({ status: 404, body: { deleted: false } });
  await expect(api.getWrapUpCode(id)).resolves.toMatchObject({ status: 404, body: null });
});

test("a 409 from the emulator carries entityId and contextId", async () => {
  const api = client();
  const payload = code();
  const first = await api.createWrapUpCode(payload);

  const error = await api.createWrapUpCode({ ...payload, codeName: payload.codeName.toLowerCase() }).catch((e) => e);

  expect(error).toMatchObject({ status: 409, code: "general.conflict", entityId: first.body.id });
  expect(error.contextId).toEqual(expect.any(String));
  expect(error.message).toContain(`contextId ${error.contextId}`);
});

test("POST processed then reset: reconciled by lookup, exactly one code, one POST", async () => {
  await em.faultNext({ method: "POST", route: "/api/v2/routing/wrapupcodes", kind: "reset-after" });
  const payload = code();

  const result = await client().createWrapUpCode(payload);

  expect(result.reconciled).toBe(true);
  expect(result.body.codeName).toBe(payload.codeName);
  const { byRoute } = await em.stats();
  expect(postsCreated(byRoute)).toBe(1);
  expect(byRoute["POST /api/v2/routing/wrapupcodes RESET fault-after:200"]).toBe(1);
  const matches = (await client().listWrapUpCodes({ name: payload.codeName })).body;
  expect(matches.filter((c) => c.codeName === payload.codeName)).toHaveLength(1);
});

test("POST reset before processing: lookup finds nothing, one more POST creates it", async () => {
  await em.faultNext({ method: "POST", route: "/api/v2/routing/wrapupcodes", kind: "reset-before" });

  const result = await client().createWrapUpCode(code());

  expect(result.reconciled).toBeUndefined();
  const { byRoute } = await em.stats();
  expect(byRoute["POST /api/v2/routing/wrapupcodes RESET fault"]).toBe(1);
  expect(byRoute["POST /api/v2/routing/wrapupcodes 200"]).toBe(1);
});

test("POST processed but never answered: the timeout is reconciled", async () => {
  await em.faultNext({ method: "POST", route: "/api/v2/routing/wrapupcodes", kind: "timeout-after" });

  const result = await client({ timeoutMs: 500 }).createWrapUpCode(code());

  expect(result.reconciled).toBe(true);
  expect(postsCreated((await em.stats()).byRoute)).toBe(1);
});

test("a 429 fault is waited out (Retry-After: 1)", async () => {
  await em.faultNext({ method: "GET", route: "/api/v2/routing/queues/{queueId}", kind: "status429" });

  const started = Date.now();
  const result = await client().getQueue(QUEUES.Sales);

  expect(result).toMatchObject({ status: 200, attempts: 2 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
});

test("under random faults, 25 parallel creates make exactly 25 codes", async () => {
  await em.config({
    faults: { status500: 0.05, status502: 0.05, status503: 0.1, connectionReset: 0.1, resetAfterCommitRatio: 0.5 },
  });
  const api = client({ maxCreateAttempts: 6, maxConcurrency: 8 });
  const payloads = Array.from({ length: 25 }, () => code(QUEUES.Retention));

  const results = await Promise.all(payloads.map((payload) => api.createWrapUpCode(payload)));

  await em.config({ faults: { status500: 0, status502: 0, status503: 0, connectionReset: 0 } });
  expect(new Set(results.map((r) => r.body.id)).size).toBe(25);
  const stored = (await api.listWrapUpCodes({ routingQueueId: QUEUES.Retention })).body;
  for (const payload of payloads) {
    expect(stored.filter((c) => c.codeName === payload.codeName)).toHaveLength(1);
  }
  // The run did meet faults (otherwise this test proves nothing).
  expect((await em.stats()).faults).toBeGreaterThan(0);
});

test("a webhook create reset after commit is reconciled by name", async () => {
  await em.faultNext({ method: "POST", route: "/api/v2/analytics/events/webhooks", kind: "reset-after" });
  const name = `client-test-hook-${Date.now()}`;

  const result = await client().createWebhook({
    name,
    callbackUrl: "http://127.0.0.1:9/unused",
    eventTypes: ["routing:wrapupcode:deleted"],
    filters: { matchType: "exact", filters: [{ field: "routingQueue.id", value: QUEUES.Sales }] },
    secret: "hook-secret-value",
    enabled: false,
  });

  expect(result).toMatchObject({ reconciled: true, body: { name, secretSet: true } });
  expect(JSON.stringify(result)).not.toContain("hook-secret-value");
  await expect(client().deleteWebhook(result.body.id)).resolves.toMatchObject({ body: { deleted: true } });
});
