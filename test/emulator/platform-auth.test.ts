/** Platform profile: OAuth (token-request limit), permissions, rate limits without inin-* headers (sections 1, 4). */
import { EmulatorProcess, NOSCOPE_CLIENT, QUEUES, READONLY_CLIENT, startEmulator } from "../support/emulator";
import { CODES, DIVISIONS, expectErrorBody, platformName, QUEUES_PATH } from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({ profile: "platform", config: { requestsPerMinute: 100_000 } });
});
afterAll(async () => {
  await em?.stop();
});

const basic = (id: string, secret: string) => "Basic " + Buffer.from(`${id}:${secret}`).toString("base64");

async function tokenRequest(clientId = em.clientId, clientSecret = em.clientSecret) {
  const res = await fetch(`${em.url}/oauth/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: basic(clientId, clientSecret),
    },
    body: "grant_type=client_credentials",
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("the platform profile at start", () => {
  test("the ready line and /__emulator/health name the profile; the admin client is the same as the tutorial's", async () => {
    expect(em.profile).toBe("platform");
    expect(JSON.parse(em.stdoutLines()[0])).toMatchObject({ event: "listening", profile: "platform" });
    expect(em.clientId).toBe("emulator-admin");
    const health = (await (await fetch(`${em.url}/__emulator/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "ok", profile: "platform", url: em.url });
  });
});

describe("OAuth", () => {
  test("Basic + form issues a bearer token that lives 86400 s by default", async () => {
    const res = await tokenRequest();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "bearer", expires_in: 86400 });
  });

  test("tokenRequestsPerMinute: over it, 400 invalid_request 'rate limit exceeded; retry in <n> seconds', no Retry-After", async () => {
    await em.config({ tokenRequestsPerMinute: 2 });
    try {
      expect((await tokenRequest()).status).toBe(200);
      expect((await tokenRequest()).status).toBe(200);
      const over = await tokenRequest();
      expect(over.status).toBe(400);
      expect(over.body.error).toBe("invalid_request");
      expect(over.body.error_description).toMatch(/^rate limit exceeded; retry in [1-9]\d* seconds$/);
      expect(over.headers.get("retry-after")).toBeNull();
      // the budget is per client
      expect((await tokenRequest(READONLY_CLIENT.clientId, READONLY_CLIENT.clientSecret)).status).toBe(200);
      await fetch(`${em.url}/__emulator/ratelimit/reset`, { method: "POST" });
      expect((await tokenRequest()).status).toBe(200);
    } finally {
      await em.config({ tokenRequestsPerMinute: 0 });
    }
    for (let i = 0; i < 5; i++) expect((await tokenRequest()).status).toBe(200);
  });

  test("a queued token-rate-limit fault forces that answer once", async () => {
    await em.faultNext({ route: "/oauth/token", kind: "token-rate-limit" });
    await em.resetStats();
    const over = await tokenRequest();
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      error: "invalid_request",
      error_description: "rate limit exceeded; retry in 1 seconds",
    });
    expect((await tokenRequest()).status).toBe(200);
    expect((await em.stats()).byRoute).toEqual({ "POST /oauth/token 400 fault": 1, "POST /oauth/token 200": 1 });
  });

  test.each([
    [{ route: "/oauth/token", kind: "status500" }, "route"],
    [{ route: "/api/v2/routing/wrapupcodes", kind: "token-rate-limit" }, "route"],
  ])("faults/next rejects %j", async (body, fieldName) => {
    const res = await fetch(`${em.url}/__emulator/faults/next`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { fieldName: string }[] }).details.map((d) => d.fieldName)).toContain(
      fieldName,
    );
  });

  test("an API call without a valid token is 401 bad.credentials", async () => {
    expectErrorBody(await em.api("GET", CODES, undefined, { token: null }), 401, "bad.credentials");
    expectErrorBody(await em.api("GET", CODES, undefined, { token: "nope" }), 401, "bad.credentials");
  });
});

describe("permissions: 403 missing.permissions names the permission", () => {
  let readonly: string;
  let noscope: string;
  let codeId: string;
  beforeAll(async () => {
    readonly = await em.token(READONLY_CLIENT.clientId, READONLY_CLIENT.clientSecret);
    noscope = await em.token(NOSCOPE_CLIENT.clientId, NOSCOPE_CLIENT.clientSecret);
    codeId = (await em.api("POST", CODES, { name: platformName() })).body.id;
  });

  test("the read-only client reads codes, queues, membership and divisions", async () => {
    for (const path of [
      CODES,
      `${CODES}/${codeId}`,
      QUEUES_PATH,
      `${QUEUES_PATH}/${QUEUES.Support}/wrapupcodes`,
      DIVISIONS,
    ]) {
      expect((await em.api("GET", path, undefined, { token: readonly })).status).toBe(200);
    }
  });

  const code = { name: "Renamed" };
  const membership = () => [{ id: codeId }];
  test.each([
    ["POST", CODES, code, "routing:wrapupCode:add"],
    ["PUT", `${CODES}/{id}`, code, "routing:wrapupCode:edit"],
    ["DELETE", `${CODES}/{id}`, undefined, "routing:wrapupCode:delete"],
    ["POST", `${QUEUES_PATH}/${QUEUES.Support}/wrapupcodes`, membership, "routing:queue:edit"],
    ["DELETE", `${QUEUES_PATH}/${QUEUES.Support}/wrapupcodes/{id}`, undefined, "routing:queue:edit"],
  ])("read-only client: %s %s %j needs %s", async (method, path, body, permission) => {
    const sent = typeof body === "function" ? body() : body;
    const res = await em.api(method, path.replace("{id}", codeId), sent, { token: readonly });
    expectErrorBody(res, 403, "missing.permissions");
    expect(res.body.message).toContain(permission);
  });

  test.each([
    [CODES, "routing:wrapupCode:view"],
    [`${CODES}/divisionviews`, "routing:wrapupCode:view"],
    [QUEUES_PATH, "routing:queue:view"],
    [`${QUEUES_PATH}/${QUEUES.Support}/wrapupcodes`, "routing:queue:view"],
    [`${DIVISIONS}/home`, "authorization:division:view"],
  ])("client without permissions: GET %s needs %s", async (path, permission) => {
    const res = await em.api("GET", path, undefined, { token: noscope });
    expectErrorBody(res, 403, "missing.permissions");
    expect(res.body.message).toContain(permission);
  });

  test("limits need only a valid token", async () => {
    const res = await em.api("GET", "/api/v2/organizations/limits/namespaces/routing", undefined, { token: noscope });
    expect(res.status).toBe(200);
  });

  test("a 403 changes nothing", async () => {
    const name = platformName();
    await em.api("POST", CODES, { name }, { token: readonly });
    await em.api("DELETE", `${CODES}/${codeId}`, undefined, { token: readonly });
    expect((await em.api("GET", `${CODES}?name=${encodeURIComponent(name)}`)).body.total).toBe(0);
    expect((await em.api("GET", `${CODES}/${codeId}`)).status).toBe(200);
  });
});

describe("rate limit: 429 with Retry-After, and no inin-ratelimit-* headers", () => {
  beforeAll(async () => {
    await em.config({ requestsPerMinute: 5 });
  });
  afterAll(async () => {
    await em.config({ requestsPerMinute: 100_000 });
  });

  test("the request over budget is 429 too.many.requests.retry.after; no answer carries inin-ratelimit-*", async () => {
    const token = await em.token();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await em.api("GET", CODES, undefined, { token }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    for (const r of answers) {
      for (const h of ["inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"]) {
        expect(r.headers.get(h)).toBeNull();
      }
    }
    const over = answers[5];
    expectErrorBody(over, 429, "too.many.requests.retry.after");
    const retryAfter = over.headers.get("retry-after")!;
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    expect(over.body.message).toBe(`Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`);
  });

  test("an injected 429 looks the same", async () => {
    await fetch(`${em.url}/__emulator/ratelimit/reset`, { method: "POST" });
    await em.faultNext({ kind: "status429" });
    const res = await em.api("GET", CODES);
    expectErrorBody(res, 429, "too.many.requests.retry.after");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("inin-ratelimit-count")).toBeNull();
  });
});

describe("faults, latency and stats work on the platform profile too", () => {
  test("reset-after: the code exists although the client saw a reset; the retry is 400 duplicate.name", async () => {
    await em.faultNext({ method: "POST", route: CODES, kind: "reset-after" });
    await em.resetStats();
    const name = platformName("Reset");
    const token = await em.token();
    const sent = await fetch(em.url + CODES, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    }).then(
      () => "answered",
      () => "reset",
    );
    expect(sent).toBe("reset");
    expect((await em.api("GET", `${CODES}?name=${encodeURIComponent(name)}`)).body.total).toBe(1);
    expectErrorBody(await em.api("POST", CODES, { name }), 400, "duplicate.name");
    const stats = await em.stats();
    expect(stats.byRoute[`POST ${CODES} RESET fault-after:200`]).toBe(1);
    expect(stats.byRoute[`POST ${CODES} 400`]).toBe(1);
  });

  test("latencyMs delays answers; the deliveries log is empty (no webhooks)", async () => {
    await em.config({ latencyMs: 200 });
    try {
      const started = Date.now();
      expect((await em.api("GET", `${DIVISIONS}/home`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      await em.config({ latencyMs: 0 });
    }
    expect(await em.deliveries()).toEqual([]);
  });
});
