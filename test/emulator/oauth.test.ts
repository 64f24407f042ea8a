/** OAuth client credentials (contract section 2), bearer checks and scopes (section 3: 401, 403). */
import { EmulatorProcess, NOSCOPE_CLIENT, QUEUES, READONLY_CLIENT, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, QUEUES_PATH, validCode, WEBHOOKS } from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({ profile: "tutorial" });
});
afterAll(async () => {
  await em?.stop();
});

const basic = (id: string, secret: string) => "Basic " + Buffer.from(`${id}:${secret}`).toString("base64");

async function tokenRequest(body: string, headers: Record<string, string> = {}, method = "POST") {
  const res = await fetch(`${em.url}/oauth/token`, {
    method,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: method === "GET" ? undefined : body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("POST /oauth/token", () => {
  test("the ready line names the seed's full-scope client", () => {
    expect(em.clientId).toBe("emulator-admin");
    expect(em.clientSecret.length).toBeGreaterThanOrEqual(16);
    expect(em.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(em.stdoutLines()).toHaveLength(1);
  });

  test("Basic authentication issues a bearer token", async () => {
    const res = await tokenRequest("grant_type=client_credentials", {
      Authorization: basic(em.clientId, em.clientSecret),
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe("bearer");
    expect(res.body.expires_in).toBe(86400);
    expect(typeof res.body.access_token).toBe("string");
    expect((res.body.access_token as string).length).toBeGreaterThan(20);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  test("form client_id / client_secret are accepted too", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: em.clientId,
      client_secret: em.clientSecret,
    });
    const res = await tokenRequest(form.toString());
    expect(res.status).toBe(200);
    const api = await em.api("GET", QUEUES_PATH, undefined, { token: res.body.access_token as string });
    expect(api.status).toBe(200);
  });

  test("every token is different", async () => {
    const [a, b] = await Promise.all([em.token(), em.token()]);
    expect(a).not.toBe(b);
  });

  test.each([
    ["missing grant_type", "", "invalid_request"],
    ["empty grant_type", "grant_type=", "invalid_request"],
    ["repeated parameter", "grant_type=client_credentials&grant_type=client_credentials", "invalid_request"],
    ["password grant", "grant_type=password&username=a&password=b", "unsupported_grant_type"],
    ["authorization_code grant", "grant_type=authorization_code&code=x", "unsupported_grant_type"],
  ])("400 for %s", async (_what, body, error) => {
    const res = await tokenRequest(body, { Authorization: basic(em.clientId, em.clientSecret) });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe("string");
  });

  test("400 invalid_request for a JSON body", async () => {
    const res = await tokenRequest(JSON.stringify({ grant_type: "client_credentials" }), {
      "Content-Type": "application/json",
      Authorization: basic(em.clientId, em.clientSecret),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
  });

  test("400 invalid_request for a malformed Basic header or two authentication methods", async () => {
    const malformed = await tokenRequest("grant_type=client_credentials", {
      Authorization: "Basic " + Buffer.from("no-colon-here").toString("base64"),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe("invalid_request");
    const both = await tokenRequest(
      `grant_type=client_credentials&client_secret=${encodeURIComponent(em.clientSecret)}`,
      {
        Authorization: basic(em.clientId, em.clientSecret),
      },
    );
    expect(both.status).toBe(400);
    expect(both.body.error).toBe("invalid_request");
  });

  test.each([
    ["a wrong secret (Basic)", { Authorization: basic("emulator-admin", "wrong") }, "grant_type=client_credentials"],
    ["an unknown client (Basic)", { Authorization: basic("nobody", "x") }, "grant_type=client_credentials"],
    ["a wrong secret (form)", {}, "grant_type=client_credentials&client_id=emulator-admin&client_secret=wrong"],
    ["no credentials", {}, "grant_type=client_credentials"],
    ["a client id without secret", {}, "grant_type=client_credentials&client_id=emulator-admin"],
  ])("401 invalid_client for %s", async (_what, headers: Record<string, string>, body) => {
    const res = await tokenRequest(body, headers);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
    expect(typeof res.body.error_description).toBe("string");
  });

  test("only POST is allowed", async () => {
    const res = await tokenRequest("", {}, "GET");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  test("token requests are counted in the stats, by status", async () => {
    await em.resetStats();
    await em.token();
    await tokenRequest("grant_type=client_credentials", { Authorization: basic("emulator-admin", "wrong") });
    await tokenRequest("grant_type=password", { Authorization: basic(em.clientId, em.clientSecret) });
    const stats = await em.stats();
    expect(stats.byRoute).toEqual({
      "POST /oauth/token 200": 1,
      "POST /oauth/token 401": 1,
      "POST /oauth/token 400": 1,
    });
    expect(stats.total).toBe(3);
  });
});

describe("bearer tokens on /api/v2", () => {
  test.each([
    ["no Authorization header", null],
    ["an unknown token", "not-a-real-token"],
  ])("401 bad.credentials for %s", async (_what, token) => {
    const res = await em.api("GET", CODES, undefined, { token });
    expectErrorBody(res, 401, "bad.credentials");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  test("401 for a Basic header on the API", async () => {
    const res = await em.api("GET", CODES, undefined, {
      token: null,
      headers: { Authorization: basic(em.clientId, em.clientSecret) },
    });
    expectErrorBody(res, 401, "bad.credentials");
  });

  test("an expired token answers 401 bad.credentials", async () => {
    await em.config({ tokenLifetimeSeconds: 1 });
    try {
      const res = await tokenRequest("grant_type=client_credentials", {
        Authorization: basic(em.clientId, em.clientSecret),
      });
      expect(res.body.expires_in).toBe(1);
      const token = res.body.access_token as string;
      expect((await em.api("GET", QUEUES_PATH, undefined, { token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expectErrorBody(await em.api("GET", QUEUES_PATH, undefined, { token }), 401, "bad.credentials");
      // a new token works again
      const fresh = await em.token();
      expect((await em.api("GET", QUEUES_PATH, undefined, { token: fresh })).status).toBe(200);
    } finally {
      await em.config({ tokenLifetimeSeconds: 86400 });
    }
  });
});

describe("scopes: 403 missing.permissions names the scope", () => {
  let readonly: string;
  let noscope: string;
  beforeAll(async () => {
    readonly = await em.token(READONLY_CLIENT.clientId, READONLY_CLIENT.clientSecret);
    noscope = await em.token(NOSCOPE_CLIENT.clientId, NOSCOPE_CLIENT.clientSecret);
  });

  test("the read-only client reads codes and queues", async () => {
    expect((await em.api("GET", CODES, undefined, { token: readonly })).status).toBe(200);
    expect((await em.api("GET", QUEUES_PATH, undefined, { token: readonly })).status).toBe(200);
    expect(
      (await em.api("GET", `${QUEUES_PATH}/${QUEUES.Sales}/wrapupcodes`, undefined, { token: readonly })).status,
    ).toBe(200);
  });

  test.each([
    ["POST", CODES, "routing:wrapupcode:write"],
    ["PUT", `${CODES}/00000000-0000-4000-8000-000000000000`, "routing:wrapupcode:write"],
    ["DELETE", `${CODES}/00000000-0000-4000-8000-000000000000`, "routing:wrapupcode:write"],
    ["GET", WEBHOOKS, "analytics:events:write"],
    ["POST", WEBHOOKS, "analytics:events:write"],
  ])("read-only client: %s %s needs %s", async (method, path, scope) => {
    const res = await em.api(method, path, method === "GET" || method === "DELETE" ? undefined : validCode(), {
      token: readonly,
    });
    expectErrorBody(res, 403, "missing.permissions");
    expect(res.body.message).toContain(scope);
  });

  test.each([
    ["GET", CODES, "routing:wrapupcode"],
    ["GET", QUEUES_PATH, "routing:queue"],
    ["GET", `${QUEUES_PATH}/${QUEUES.Support}`, "routing:queue"],
  ])("client without scopes: %s %s needs %s", async (method, path, scope) => {
    const res = await em.api(method, path, undefined, { token: noscope });
    expectErrorBody(res, 403, "missing.permissions");
    expect(res.body.message).toMatch(new RegExp(`${scope.replace(/[.:]/g, "\\$&")}$`));
  });

  test("a 403 creates nothing", async () => {
    const body = validCode();
    await em.api("POST", CODES, body, { token: readonly });
    const list = await em.api("GET", `${CODES}?name=${encodeURIComponent(body.codeName as string)}`);
    expect(list.body.total).toBe(0);
  });
});
