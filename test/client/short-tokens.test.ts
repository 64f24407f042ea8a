import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  TOKEN_REFRESH_MARGIN_MS,
  refreshMarginMs,
  resetSharedClientState,
  type GenesysClientOptions,
} from "../../provider/src/client";
import { TutorialApi } from "../../provider/src/profiles/tutorial";
import { FAST_RETRY } from "./fixtures";

// Short-lived tokens and the default pace, against a loopback server that behaves like the platform: tokens with
// the lifetime the test chooses, 401 for an expired token, rate-limit headers and 429 with Retry-After on demand.

interface Issued {
  readonly value: string;
  readonly expiresAt: number;
}

let server: http.Server;
let baseUrl: string;
let lifetimeSeconds: number;
let tokens: Issued[];
/** Every API request: path, token it carried, arrival time, status answered. */
let seen: { path: string; token: string; at: number; status: number }[];
/** Paths to answer 429 (with this Retry-After, seconds) once each. */
let throttleOnce: Map<string, number>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? "";
    res.setHeader("content-type", "application/json");
    if (path === "/oauth/token") {
      const issued = { value: `tok-${tokens.length + 1}`, expiresAt: Date.now() + lifetimeSeconds * 1000 };
      tokens.push(issued);
      res.end(JSON.stringify({ access_token: issued.value, token_type: "bearer", expires_in: lifetimeSeconds }));
      return;
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const valid = tokens.some((t) => t.value === token && t.expiresAt > Date.now());
    let status = valid ? 200 : 401;
    const retryAfter = throttleOnce.get(path);
    if (valid && retryAfter !== undefined) {
      throttleOnce.delete(path);
      status = 429;
      res.setHeader("retry-after", String(retryAfter));
    }
    seen.push({ path, token, at: Date.now(), status });
    res.statusCode = status;
    res.end(status === 200 ? JSON.stringify({ id: path }) : JSON.stringify({ status, code: `http.${status}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  lifetimeSeconds = 86_400;
  tokens = [];
  seen = [];
  throttleOnce = new Map();
  resetSharedClientState();
});

const client = (options: Partial<GenesysClientOptions> = {}) =>
  new TutorialApi({
    apiUrl: baseUrl,
    clientId: "short-token-client",
    clientSecret: "s",
    retry: FAST_RETRY,
    ...options,
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("refresh margin", () => {
  test("is the contract's 5 minutes for day-long tokens and half the life of short ones", () => {
    const day = { value: "t", expiresAt: 0, lifetimeMs: 86_400_000 };
    expect(refreshMarginMs(day)).toBe(TOKEN_REFRESH_MARGIN_MS);
    expect(refreshMarginMs({ ...day, lifetimeMs: 10 * 60_000 })).toBe(5 * 60_000);
    expect(refreshMarginMs({ ...day, lifetimeMs: 200_000 })).toBe(100_000);
    expect(refreshMarginMs({ ...day, lifetimeMs: 5_000 })).toBe(2_500);
    expect(refreshMarginMs({ value: "t", expiresAt: 0 })).toBe(TOKEN_REFRESH_MARGIN_MS);
  });
});

describe("tokens that live 2 seconds", () => {
  beforeEach(() => {
    lifetimeSeconds = 2;
  });

  test("are reused while more than half their life remains, instead of one token per call", async () => {
    const api = client();
    for (let i = 0; i < 10; i++) await api.getQueue(`q${i}`);

    expect(tokens).toHaveLength(1);
    expect(seen.every((s) => s.token === "tok-1" && s.status === 200)).toBe(true);
  });

  test("are replaced ahead of expiry during a run longer than their life: no 401, one token per half-life", async () => {
    const api = client();
    const started = Date.now();
    while (Date.now() - started < 5_000) {
      await api.getQueue("q");
      await sleep(100);
    }

    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    // 5 s of calls with a 1 s refresh margin: a new token about every second, never one per call.
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(tokens.length).toBeLessThanOrEqual(6);
    expect(seen.length).toBeGreaterThan(3 * tokens.length);
  }, 15_000);

  test("a request held by the gate longer than the token lives leaves with a fresh token", async () => {
    const api = client();
    await api.getQueue("warm-up");
    throttleOnce.set("/api/v2/routing/queues/a", 2.5);

    const first = api.getQueue("a"); // answered 429: the shared gate holds every request for 2.5 s
    await sleep(300);
    const held = await api.getQueue("b"); // waits in the gate while tok-1 (2 s) runs out

    expect(held.attempts).toBe(1);
    const sentB = seen.filter((s) => s.path === "/api/v2/routing/queues/b");
    expect(sentB).toEqual([expect.objectContaining({ status: 200, token: "tok-2" })]);
    expect((await first).status).toBe(200);
    expect(seen.some((s) => s.status === 401)).toBe(false);
  });
});

describe("default pace", () => {
  test("without requestsPerSecond, requests are not spaced: 40 calls take far less than 40 / 10 s", async () => {
    const api = client();
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, (_, i) => api.getQueue(`q${i}`)));
    // The former default of 10 requests/s needed at least 3.9 s for this.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen.filter((s) => s.status === 200)).toHaveLength(40);
  });

  test("a configured requestsPerSecond still spaces request starts", async () => {
    const api = client({ requestsPerSecond: 20 });
    await Promise.all(Array.from({ length: 11 }, (_, i) => api.getQueue(`q${i}`)));
    const arrivals = seen.map((s) => s.at).sort((a, b) => a - b);
    // 11 starts 50 ms apart span at least 500 ms (a little less measured at the server, for network jitter).
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThanOrEqual(450);
  });
});
