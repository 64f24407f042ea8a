/** Analytics event webhooks (contract section 8): CRUD, validation, signed deliveries, retries, filters. */
import { createHmac } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { EmulatorProcess, Json, QUEUES, READONLY_CLIENT, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, uniqueName, UUID_RE, validCode, waitFor, WEBHOOKS } from "./helpers";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Json;
}

/** A local callback receiver: records every POST and answers with `respond(path, attemptNo)`. */
class Receiver {
  readonly received: Received[] = [];
  respond: (r: Received, nthForDelivery: number) => number | Promise<number> = () => 200;
  private server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (raw += d));
    req.on("end", async () => {
      const r: Received = { path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw) };
      this.received.push(r);
      const nth = this.received.filter((x) => x.body.id === r.body.id).length;
      const status = await this.respond(r, nth);
      res.writeHead(status).end();
    });
  });
  url = "";
  async start() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
  for(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
}

let em: EmulatorProcess;
const rx = new Receiver();

beforeAll(async () => {
  em = await startEmulator({
    profile: "tutorial",
    config: { requestsPerMinute: 100_000, webhookRetry: { attempts: 5, baseDelayMs: 20 } },
  });
  await rx.start();
});
afterAll(async () => {
  await em?.stop();
  await rx.stop();
});

function hook(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: uniqueName("hook"),
    description: "BI sync",
    callbackUrl: `${rx.url}/${uniqueName("cb").replace(/\W/g, "-")}`,
    eventTypes: ["routing:wrapupcode:created", "routing:wrapupcode:updated", "routing:wrapupcode:deleted"],
    secret: "s3cret-" + Math.random(),
    enabled: true,
    ...overrides,
  };
}

async function createHook(overrides: Record<string, unknown> = {}) {
  const body = hook(overrides);
  const res = await em.api("POST", WEBHOOKS, body);
  expect(res.status).toBe(200);
  return { body, hook: res.body, path: new URL(body.callbackUrl as string).pathname };
}

const sign = (secret: string, raw: string) => "sha256=" + createHmac("sha256", secret).update(raw).digest("hex");

describe("webhook CRUD", () => {
  test("POST answers 200 with status and secretSet, never the secret", async () => {
    const body = hook({
      filters: { matchType: "exact", filters: [{ field: "routingQueue.id", value: QUEUES.Sales }] },
    });
    const res = await em.api("POST", WEBHOOKS, body);
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(UUID_RE);
    expect(res.body).toMatchObject({
      name: body.name,
      description: "BI sync",
      callbackUrl: body.callbackUrl,
      eventTypes: body.eventTypes,
      filters: body.filters,
      enabled: true,
      status: "active",
      secretSet: true,
      selfUri: `${WEBHOOKS}/${res.body.id}`,
    });
    expect(Date.parse(res.body.dateCreated)).not.toBeNaN();
    expect(res.body.dateModified).toBe(res.body.dateCreated);
    expect(res.body).not.toHaveProperty("secret");
    expect(res.text).not.toContain(body.secret as string);

    const got = await em.api("GET", `${WEBHOOKS}/${res.body.id}`);
    expect(got.body).toEqual(res.body);
    expect(got.text).not.toContain(body.secret as string);
  });

  test("enabled:false gives status disabled; no secret gives secretSet false", async () => {
    const { hook: h } = await createHook({ enabled: false, secret: undefined });
    expect(h).toMatchObject({ enabled: false, status: "disabled", secretSet: false });
  });

  test("name is unique (case-insensitive): 409 general.conflict with the existing id, on POST and PUT", async () => {
    const a = await createHook();
    const dup = await em.api("POST", WEBHOOKS, hook({ name: (a.body.name as string).toUpperCase() }));
    expectErrorBody(dup, 409, "general.conflict");
    expect(dup.body.entityId).toBe(a.hook.id);
    const b = await createHook();
    const rename = await em.api("PUT", `${WEBHOOKS}/${b.hook.id}`, hook({ name: a.body.name }));
    expectErrorBody(rename, 409, "general.conflict");
    expect(rename.body.entityId).toBe(a.hook.id);
  });

  test("list with paging", async () => {
    await createHook();
    const res = await em.api("GET", `${WEBHOOKS}?pageSize=1`);
    expect(res.status).toBe(200);
    expect(res.body.entities).toHaveLength(1);
    expect(res.body.total).toBeGreaterThanOrEqual(2);
    expect(res.body.nextUri).toBe(`${WEBHOOKS}?pageSize=1&pageNumber=2`);
    for (const w of (await em.api("GET", `${WEBHOOKS}?pageSize=500`)).body.entities)
      expect(w).not.toHaveProperty("secret");
  });

  test("PUT replaces fields; DELETE answers 204 then 404", async () => {
    const { hook: h } = await createHook();
    const res = await em.api(
      "PUT",
      `${WEBHOOKS}/${h.id}`,
      hook({ name: h.name, enabled: false, eventTypes: ["routing:wrapupcode:deleted"] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: h.id,
      status: "disabled",
      eventTypes: ["routing:wrapupcode:deleted"],
      dateCreated: h.dateCreated,
    });
    expect((await em.api("DELETE", `${WEBHOOKS}/${h.id}`)).status).toBe(204);
    for (const method of ["GET", "DELETE"]) {
      const r = await em.api(method, `${WEBHOOKS}/${h.id}`);
      expectErrorBody(r, 404, "not.found");
      expect(r.body.entityId).toBe(h.id);
    }
    expectErrorBody(await em.api("PUT", `${WEBHOOKS}/${h.id}`, hook()), 404, "not.found");
  });

  test("webhooks need analytics:events:write", async () => {
    const token = await em.token(READONLY_CLIENT.clientId, READONLY_CLIENT.clientSecret);
    const res = await em.api("POST", WEBHOOKS, hook(), { token });
    expectErrorBody(res, 403, "missing.permissions");
    expect(res.body.message).toContain("analytics:events:write");
  });
});

describe("webhook validation", () => {
  test.each([
    ["name missing", { name: undefined }, "name", "required"],
    ["name blank", { name: "  " }, "name", "invalid.format"],
    ["name too long", { name: "n".repeat(256) }, "name", "invalid.length"],
    ["description too long", { description: "d".repeat(513) }, "description", "invalid.length"],
    ["callbackUrl missing", { callbackUrl: undefined }, "callbackUrl", "required"],
    ["callbackUrl not a URL", { callbackUrl: "not a url" }, "callbackUrl", "invalid.format"],
    ["plain http to a remote host", { callbackUrl: "http://bi.example.com/hook" }, "callbackUrl", "invalid.value"],
    ["ftp scheme", { callbackUrl: "ftp://127.0.0.1/hook" }, "callbackUrl", "invalid.value"],
    ["credentials in the URL", { callbackUrl: "https://u:p@bi.example.com/hook" }, "callbackUrl", "invalid.value"],
    ["eventTypes missing", { eventTypes: undefined }, "eventTypes", "required"],
    ["eventTypes empty", { eventTypes: [] }, "eventTypes", "required"],
    ["eventTypes not an array", { eventTypes: "routing:wrapupcode:created" }, "eventTypes", "invalid.type"],
    ["an unknown event type", { eventTypes: ["routing:queue:created"] }, "eventTypes", "invalid.value"],
    [
      "duplicate event types",
      { eventTypes: ["routing:wrapupcode:created", "routing:wrapupcode:created"] },
      "eventTypes",
      "duplicate.value",
    ],
    ["filters not an object", { filters: [] }, "filters", "invalid.type"],
    ["matchType missing", { filters: { filters: [] } }, "filters.matchType", "required"],
    ["matchType regex", { filters: { matchType: "regex", filters: [] } }, "filters.matchType", "invalid.value"],
    [
      "filters.filters not an array",
      { filters: { matchType: "exact", filters: {} } },
      "filters.filters",
      "invalid.type",
    ],
    [
      "a filter on an unknown field",
      { filters: { matchType: "exact", filters: [{ field: "queue", value: "x" }] } },
      "filters.filters[0].field",
      "invalid.value",
    ],
    [
      "a filter without value",
      { filters: { matchType: "prefix", filters: [{ field: "code", value: "A" }, { field: "code" }] } },
      "filters.filters[1].value",
      "required",
    ],
    [
      "a filter with an empty value",
      { filters: { matchType: "prefix", filters: [{ field: "code", value: "" }] } },
      "filters.filters[0].value",
      "invalid.length",
    ],
    ["enabled not boolean", { enabled: "true" }, "enabled", "invalid.type"],
    ["secret empty", { secret: "" }, "secret", "invalid.length"],
    ["secret not a string", { secret: 123 }, "secret", "invalid.type"],
  ])("%s", async (_what, overrides, fieldName, errorCode) => {
    const res = await em.api("POST", WEBHOOKS, hook(overrides));
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual([{ errorCode, fieldName }]);
  });

  test.each([
    ["https anywhere", "https://bi.example.com/genesys/webhook"],
    ["http to 127.0.0.1", "http://127.0.0.1:9/hook"],
    ["http to localhost", "http://localhost:9/hook"],
    ["http to [::1]", "http://[::1]:9/hook"],
  ])("callbackUrl accepted: %s", async (_what, callbackUrl) => {
    expect((await em.api("POST", WEBHOOKS, hook({ callbackUrl, enabled: false }))).status).toBe(200);
  });

  test("invalid JSON is 400", async () => {
    expectErrorBody(
      await em.api("POST", WEBHOOKS, "{", { headers: { "Content-Type": "application/json" } }),
      400,
      "bad.request",
    );
  });
});

describe("deliveries", () => {
  test("a created code is POSTed to the callback, signed with HMAC-SHA256 of the raw body", async () => {
    const { body, hook: h, path } = await createHook({ eventTypes: ["routing:wrapupcode:created"] });
    const code = await em.api("POST", CODES, validCode());
    expect(code.status).toBe(200);
    const [d] = await waitFor(() => (rx.for(path).length ? rx.for(path) : undefined));
    expect(d.headers["content-type"]).toBe("application/json");
    expect(d.headers["x-genesys-event-type"]).toBe("routing:wrapupcode:created");
    expect(d.headers["x-genesys-delivery-id"]).toBe(d.body.id);
    expect(d.headers["x-genesys-signature"]).toBe(sign(body.secret as string, d.raw));
    expect(d.headers["x-genesys-signature"]).not.toBe(sign("other-secret", d.raw));
    expect(d.body.id).toMatch(UUID_RE);
    expect(d.body.eventType).toBe("routing:wrapupcode:created");
    expect(d.body.webhookId).toBe(h.id);
    expect(Date.parse(d.body.timestamp)).not.toBeNaN();
    expect(d.body.entity).toEqual((await em.api("GET", `${CODES}/${code.body.id}`)).body);
  });

  test("updated and deleted events; only listed event types are sent", async () => {
    const { path } = await createHook({ eventTypes: ["routing:wrapupcode:updated", "routing:wrapupcode:deleted"] });
    const code = await em.api("POST", CODES, validCode());
    const upd = await em.api(
      "PUT",
      `${CODES}/${code.body.id}`,
      validCode({ codeName: code.body.codeName, code: "UPDATED" }),
    );
    expect(upd.status).toBe(200);
    expect((await em.api("DELETE", `${CODES}/${code.body.id}`)).status).toBe(204);
    const got = await waitFor(() => (rx.for(path).length >= 2 ? rx.for(path) : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(
      rx
        .for(path)
        .map((r) => r.body.eventType)
        .sort(),
    ).toEqual(["routing:wrapupcode:deleted", "routing:wrapupcode:updated"]);
    const updated = got.find((r) => r.body.eventType === "routing:wrapupcode:updated")!;
    expect(updated.body.entity.code).toBe("UPDATED");
    const deleted = rx.for(path).find((r) => r.body.eventType === "routing:wrapupcode:deleted")!;
    expect(deleted.body.entity.id).toBe(code.body.id);
    expect(deleted.headers["x-genesys-event-type"]).toBe("routing:wrapupcode:deleted");
  });

  test("the API answer does not wait for the callback", async () => {
    const { path } = await createHook({ eventTypes: ["routing:wrapupcode:created"] });
    rx.respond = (r) => (r.path === path ? new Promise((res) => setTimeout(() => res(200), 1500)) : 200);
    try {
      const started = Date.now();
      expect((await em.api("POST", CODES, validCode())).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      await waitFor(() => (rx.for(path).length ? true : undefined));
    } finally {
      rx.respond = () => 200;
    }
  });

  test("a failing callback is retried with the same delivery id and body until 2xx", async () => {
    const { body, hook: h, path } = await createHook({ eventTypes: ["routing:wrapupcode:created"] });
    rx.respond = (r, nth) => (r.path === path && nth <= 2 ? 500 : 200);
    try {
      await em.api("POST", CODES, validCode());
      const got = await waitFor(() => (rx.for(path).length >= 3 ? rx.for(path) : undefined));
      await new Promise((r) => setTimeout(r, 150));
      expect(rx.for(path)).toHaveLength(3);
      const ids = new Set(got.map((r) => r.headers["x-genesys-delivery-id"]));
      expect(ids.size).toBe(1);
      expect(new Set(got.map((r) => r.raw)).size).toBe(1);
      for (const r of got) expect(r.headers["x-genesys-signature"]).toBe(sign(body.secret as string, r.raw));
      const log = await em.deliveries({ webhookId: h.id });
      expect(log.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
        [1, 500, "retrying"],
        [2, 500, "retrying"],
        [3, 200, "delivered"],
      ]);
      expect(new Set(log.map((a) => a.deliveryId))).toEqual(ids);
      // exponential backoff: the gap before attempt 3 is at least twice the base delay
      const t = log.map((a) => Date.parse(a.time));
      expect(t[2] - t[1]).toBeGreaterThanOrEqual(35);
    } finally {
      rx.respond = () => 200;
    }
  });

  test("retries are bounded by webhookRetry.attempts", async () => {
    await em.config({ webhookRetry: { attempts: 3, baseDelayMs: 10 } });
    const { hook: h, path } = await createHook({ eventTypes: ["routing:wrapupcode:created"] });
    rx.respond = (r) => (r.path === path ? 503 : 200);
    try {
      await em.api("POST", CODES, validCode());
      const log = await waitFor(async () => {
        const l = await em.deliveries({ webhookId: h.id });
        return l.some((a) => a.outcome === "failed") ? l : undefined;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(rx.for(path)).toHaveLength(3);
      expect(log.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
        [1, 503, "retrying"],
        [2, 503, "retrying"],
        [3, 503, "failed"],
      ]);
    } finally {
      rx.respond = () => 200;
      await em.config({ webhookRetry: { attempts: 5, baseDelayMs: 20 } });
    }
  });

  test("an unreachable callback is logged as a network error and retried", async () => {
    await em.config({ webhookRetry: { attempts: 2, baseDelayMs: 10 } });
    try {
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const { hook: h } = await createHook({
        eventTypes: ["routing:wrapupcode:created"],
        callbackUrl: `http://127.0.0.1:${port}/gone`,
      });
      await em.api("POST", CODES, validCode());
      const log = await waitFor(async () => {
        const l = await em.deliveries({ webhookId: h.id });
        return l.length >= 2 ? l : undefined;
      });
      expect(log.map((a) => [a.attempt, a.error, a.outcome])).toEqual([
        [1, "ECONNREFUSED", "retrying"],
        [2, "ECONNREFUSED", "failed"],
      ]);
    } finally {
      await em.config({ webhookRetry: { attempts: 5, baseDelayMs: 20 } });
    }
  });

  test("disabled webhooks get nothing; a webhook without secret gets no signature header", async () => {
    const disabled = await createHook({ enabled: false, eventTypes: ["routing:wrapupcode:created"] });
    const unsigned = await createHook({ secret: undefined, eventTypes: ["routing:wrapupcode:created"] });
    await em.api("POST", CODES, validCode());
    const [d] = await waitFor(() => (rx.for(unsigned.path).length ? rx.for(unsigned.path) : undefined));
    expect(d.headers).not.toHaveProperty("x-genesys-signature");
    expect(d.headers["x-genesys-delivery-id"]).toBe(d.body.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.for(disabled.path)).toHaveLength(0);
    expect(await em.deliveries({ webhookId: disabled.hook.id })).toEqual([]);
  });

  test("PUT without secret keeps it; PUT with secret replaces it; secret:null clears it", async () => {
    const { body, hook: h, path } = await createHook({ eventTypes: ["routing:wrapupcode:created"] });
    const { secret: _old, ...withoutSecret } = body;
    const kept = await em.api("PUT", `${WEBHOOKS}/${h.id}`, withoutSecret);
    expect(kept.body.secretSet).toBe(true);
    await em.api("POST", CODES, validCode());
    const [first] = await waitFor(() => (rx.for(path).length >= 1 ? rx.for(path) : undefined));
    expect(first.headers["x-genesys-signature"]).toBe(sign(body.secret as string, first.raw));

    const replaced = await em.api("PUT", `${WEBHOOKS}/${h.id}`, { ...withoutSecret, secret: "brand-new-secret" });
    expect(replaced.body.secretSet).toBe(true);
    expect(replaced.text).not.toContain("brand-new-secret");
    await em.api("POST", CODES, validCode());
    const second = (await waitFor(() => (rx.for(path).length >= 2 ? rx.for(path) : undefined)))[1];
    expect(second.headers["x-genesys-signature"]).toBe(sign("brand-new-secret", second.raw));

    const cleared = await em.api("PUT", `${WEBHOOKS}/${h.id}`, { ...withoutSecret, secret: null });
    expect(cleared.body.secretSet).toBe(false);
    await em.api("POST", CODES, validCode());
    const third = (await waitFor(() => (rx.for(path).length >= 3 ? rx.for(path) : undefined)))[2];
    expect(third.headers).not.toHaveProperty("x-genesys-signature");
  });
});

describe("delivery filters", () => {
  test("exact routingQueue.id: only codes of that queue", async () => {
    const { path } = await createHook({
      eventTypes: ["routing:wrapupcode:created"],
      filters: { matchType: "exact", filters: [{ field: "routingQueue.id", value: QUEUES.Sales }] },
    });
    const inSupport = await em.api("POST", CODES, validCode());
    const inSales = await em.api("POST", CODES, validCode({ routingQueue: { id: QUEUES.Sales } }));
    expect(inSupport.status).toBe(200);
    await waitFor(() => (rx.for(path).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.for(path).map((r) => r.body.entity.id)).toEqual([inSales.body.id]);
  });

  test("several values of one field are alternatives; different fields must all match", async () => {
    const { path } = await createHook({
      eventTypes: ["routing:wrapupcode:created"],
      filters: {
        matchType: "exact",
        filters: [
          { field: "routingQueue.id", value: QUEUES.Billing },
          { field: "routingQueue.id", value: QUEUES.Retention },
          { field: "codeCategoryName", value: "compliance" },
        ],
      },
    });
    const make = (queue: string, cat: string) =>
      em.api("POST", CODES, validCode({ routingQueue: { id: queue }, codeCategoryName: cat })).then((r) => r.body.id);
    const billingCompliance = await make(QUEUES.Billing, "compliance");
    await make(QUEUES.Billing, "sales");
    await make(QUEUES.Support, "compliance");
    const retentionCompliance = await make(QUEUES.Retention, "compliance");
    await waitFor(() => (rx.for(path).length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(
      rx
        .for(path)
        .map((r) => r.body.entity.id)
        .sort(),
    ).toEqual([billingCompliance, retentionCompliance].sort());
  });

  test("prefix matching on code", async () => {
    const { path } = await createHook({
      eventTypes: ["routing:wrapupcode:created"],
      filters: { matchType: "prefix", filters: [{ field: "code", value: "ESC_" }] },
    });
    const yes = await em.api("POST", CODES, validCode({ code: "ESC_BILLING" }));
    await em.api("POST", CODES, validCode({ code: "XESC_BILLING" }));
    await em.api("POST", CODES, validCode({ code: "esc_lower" }));
    await waitFor(() => (rx.for(path).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.for(path).map((r) => r.body.entity.id)).toEqual([yes.body.id]);
  });

  test("a filter on reportingTags matches any tag", async () => {
    const tag = `team:${Date.now()}`;
    const { path } = await createHook({
      eventTypes: ["routing:wrapupcode:created"],
      filters: { matchType: "exact", filters: [{ field: "reportingTags", value: tag }] },
    });
    const yes = await em.api("POST", CODES, validCode({ reportingTags: ["cat:support", tag] }));
    await em.api("POST", CODES, validCode({ reportingTags: ["cat:support"] }));
    await waitFor(() => (rx.for(path).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.for(path).map((r) => r.body.entity.id)).toEqual([yes.body.id]);
  });
});
