import http from "node:http";
import type { AddressInfo } from "node:net";
import { resetSharedClientState, type GenesysClientOptions } from "../../provider/src/client";
import { TutorialApi } from "../../provider/src/profiles/tutorial";
import { FAST_RETRY } from "./fixtures";

/** A loopback Genesys stand-in that records what the limiter lets through. */
interface Recorder {
  tokenRequests: number;
  inFlight: number;
  maxInFlight: number;
  /** Arrival time of each API request, by path. */
  arrivals: { path: string; at: number }[];
}

let server: http.Server;
let baseUrl: string;
let recorder: Recorder;
/** Per-path behaviour; default: answer `{}` after 30 ms. */
let behaviour: (path: string, res: http.ServerResponse) => boolean;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? "";
    if (path === "/oauth/token") {
      recorder.tokenRequests += 1;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ access_token: "tok", token_type: "bearer", expires_in: 86_400 }));
      return;
    }
    recorder.arrivals.push({ path, at: Date.now() });
    recorder.inFlight += 1;
    recorder.maxInFlight = Math.max(recorder.maxInFlight, recorder.inFlight);
    setTimeout(() => {
      recorder.inFlight -= 1;
      if (!behaviour(path, res)) res.end("{}");
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  recorder = { tokenRequests: 0, inFlight: 0, maxInFlight: 0, arrivals: [] };
  behaviour = () => false;
  resetSharedClientState();
});

const client = (options: Partial<GenesysClientOptions> = {}) =>
  new TutorialApi({
    apiUrl: baseUrl,
    clientId: "limiter-client",
    clientSecret: "limiter-secret",
    requestsPerSecond: 1000,
    retry: FAST_RETRY,
    ...options,
  });

describe("shared request gate", () => {
  test("two client instances share one token and one concurrency limit", async () => {
    const a = client({ maxConcurrency: 2 });
    const b = client({ maxConcurrency: 2 });

    const calls = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).getQueue(`q${i}`));
    const results = await Promise.all(calls);

    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(recorder.tokenRequests).toBe(1);
    expect(recorder.maxInFlight).toBe(2);
  });

  test("without a shared limit the same load runs wider (control for the test above)", async () => {
    const a = client({ maxConcurrency: 12 });

    await Promise.all(Array.from({ length: 12 }, (_, i) => a.getQueue(`q${i}`)));

    expect(recorder.maxInFlight).toBeGreaterThan(2);
  });

  test("requestsPerSecond spaces request starts", async () => {
    const paced = client({ requestsPerSecond: 20, maxConcurrency: 8 });

    await Promise.all(Array.from({ length: 6 }, (_, i) => paced.getQueue(`q${i}`)));

    const times = recorder.arrivals.map((arrival) => arrival.at).sort((x, y) => x - y);
    // Starts are 50 ms apart, so five gaps span ~250 ms (unpaced, all six arrive within a few ms); the margin
    // absorbs scheduling noise on a loaded machine.
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(200);
  });

  test("a nearly spent inin-ratelimit budget holds the next requests until the window resets", async () => {
    behaviour = (path, res) => {
      if (path !== "/api/v2/routing/queues/first") return false;
      res.setHeader("inin-ratelimit-count", "299");
      res.setHeader("inin-ratelimit-allowed", "300");
      res.setHeader("inin-ratelimit-reset", "0.4");
      res.end("{}");
      return true;
    };
    const c = client({ retry: { ...FAST_RETRY, retryAfterJitterMs: 0 } });

    await c.getQueue("first");
    await c.getQueue("second");

    const at = (suffix: string) => recorder.arrivals.find((arrival) => arrival.path.endsWith(suffix))!.at;
    // The server answered `first` 30 ms after it arrived; `second` had to wait the 0.4 s reset on top
    // (without the hold it would arrive ~35 ms after `first`).
    expect(at("/second") - at("/first")).toBeGreaterThanOrEqual(400);
  });

  test("a 429 pauses the other callers of the same client id too", async () => {
    let limited = false;
    behaviour = (path, res) => {
      if (path !== "/api/v2/routing/queues/limited" || limited) return false;
      limited = true;
      res.statusCode = 429;
      res.setHeader("retry-after", "0.4");
      res.end(JSON.stringify({ code: "too.many.requests.retry.after", message: "slow down" }));
      return true;
    };
    const a = client();
    const b = client();

    const first = a.getQueue("limited");
    // b starts while a's 429 is on its way back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = b.getQueue("other");
    await Promise.all([first, second]);

    const arrivals = Object.fromEntries(recorder.arrivals.map((arrival) => [arrival.path, arrival.at]));
    const limitedAt = recorder.arrivals.find((arrival) => arrival.path.endsWith("/limited"))!.at;
    // The 429 was answered ~30 ms after limitedAt; b's request waited for the pause (0.4 s) to end.
    expect(arrivals["/api/v2/routing/queues/other"] - limitedAt).toBeGreaterThanOrEqual(400);
  });
});
