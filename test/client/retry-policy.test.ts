import {
  DEFAULT_RETRY_TUNING,
  classifyFailure,
  decideRetry,
  isOutcomeUnknown,
  type FailedAttempt,
} from "../../provider/src/client";
import { backoffDelay } from "../../provider/src/client/retry-policy";
import {
  holdFromRateLimit,
  parseRateLimitHeaders,
  parseRetryAfter,
} from "../../provider/src/client/rate-limit-headers";

const tuning = { ...DEFAULT_RETRY_TUNING, deadlineMs: 300_000 };
const attempt = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
  idempotent: true,
  transientFailures: 0,
  elapsedMs: 0,
  ...overrides,
});
const half = () => 0.5;

describe("classifyFailure", () => {
  test.each([
    [true, 429, undefined, "rate-limited"],
    [false, 429, undefined, "rate-limited"],
    [false, 503, undefined, "transient"],
    [true, 500, undefined, "transient"],
    [false, 500, undefined, "outcome-unknown"],
    [false, 502, undefined, "outcome-unknown"],
    [false, 504, undefined, "outcome-unknown"],
    [true, 404, undefined, "fatal"],
    [true, 409, undefined, "fatal"],
    [true, undefined, "ECONNRESET", "transient"],
    [false, undefined, "ECONNRESET", "outcome-unknown"],
    [false, undefined, "ETIMEDOUT", "outcome-unknown"],
    [false, undefined, "EPIPE", "outcome-unknown"],
    [false, undefined, "ECONNREFUSED", "transient"],
    [true, undefined, "ERR_SOMETHING_ELSE", "fatal"],
  ] as const)("idempotent=%s status=%s code=%s → %s", (idempotent, status, code, kind) => {
    expect(classifyFailure(idempotent, status, code)).toBe(kind);
  });
});

describe("decideRetry", () => {
  test("429 waits Retry-After plus jitter, capped, with no attempt bound", () => {
    expect(decideRetry(attempt({ status: 429, retryAfterMs: 3000, transientFailures: 50 }), tuning, half)).toEqual({
      retry: true,
      delayMs: 3250,
      kind: "rate-limited",
    });
    expect(decideRetry(attempt({ status: 429, retryAfterMs: 3_600_000 }), tuning, () => 0)).toMatchObject({
      delayMs: 60_000,
    });
  });

  test("nothing is retried past the deadline", () => {
    expect(decideRetry(attempt({ status: 429, retryAfterMs: 10_000, elapsedMs: 295_000 }), tuning, half)).toEqual({
      retry: false,
      kind: "rate-limited",
      reason: "deadline",
    });
    expect(decideRetry(attempt({ status: 503, transientFailures: 1, elapsedMs: 299_999 }), tuning, half)).toMatchObject(
      {
        retry: false,
        reason: "deadline",
      },
    );
  });

  test("transient failures back off exponentially and stop after maxAttempts", () => {
    const delays = [1, 2, 3, 4, 5].map((n) => {
      const decision = decideRetry(attempt({ status: 502, transientFailures: n }), tuning, () => 1);
      return decision.retry ? decision.delayMs : -1;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(decideRetry(attempt({ status: 502, transientFailures: 6 }), tuning, half)).toMatchObject({
      retry: false,
      reason: "attempts",
    });
  });

  test("a 503's Retry-After is honoured when longer than the backoff", () => {
    expect(decideRetry(attempt({ status: 503, transientFailures: 1, retryAfterMs: 5000 }), tuning, half)).toMatchObject(
      {
        delayMs: 5000,
      },
    );
  });

  test("non-idempotent unknown outcomes and fatal answers are never retried", () => {
    expect(decideRetry(attempt({ idempotent: false, errorCode: "ECONNRESET", transientFailures: 1 }), tuning)).toEqual({
      retry: false,
      kind: "outcome-unknown",
      reason: "outcome-unknown",
    });
    expect(decideRetry(attempt({ status: 400 }), tuning)).toMatchObject({ retry: false, reason: "fatal" });
  });

  test("backoff has equal jitter: between half and all of the step, never above the ceiling", () => {
    expect(backoffDelay(3, tuning, () => 0)).toBe(1000);
    expect(backoffDelay(3, tuning, () => 1)).toBe(2000);
    expect(backoffDelay(30, tuning, () => 1)).toBe(DEFAULT_RETRY_TUNING.maxDelayMs);
  });
});

describe("isOutcomeUnknown", () => {
  const error = (method: string, status: number, code: string) => ({ method, status, code });
  test("only non-idempotent calls that may have taken effect", () => {
    expect(isOutcomeUnknown(error("POST", 0, "network.ECONNRESET"))).toBe(true);
    expect(isOutcomeUnknown(error("POST", 0, "network.ETIMEDOUT"))).toBe(true);
    expect(isOutcomeUnknown(error("POST", 504, "service.unavailable"))).toBe(true);
    expect(isOutcomeUnknown(error("POST", 0, "network.ECONNREFUSED"))).toBe(false);
    expect(isOutcomeUnknown(error("POST", 503, "service.unavailable"))).toBe(false);
    expect(isOutcomeUnknown(error("POST", 409, "general.conflict"))).toBe(false);
    expect(isOutcomeUnknown(error("PUT", 0, "network.ECONNRESET"))).toBe(false);
  });
});

describe("rate-limit headers", () => {
  test("Retry-After in seconds (fractions too) or as an HTTP date", () => {
    expect(parseRetryAfter({ "retry-after": "7" })).toBe(7000);
    expect(parseRetryAfter({ "retry-after": "0.25" })).toBe(250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });

  test("the budget triple is parsed only when complete", () => {
    expect(
      parseRateLimitHeaders({
        "inin-ratelimit-count": "12",
        "inin-ratelimit-allowed": "300",
        "inin-ratelimit-reset": "41",
      }),
    ).toEqual({ count: 12, allowed: 300, resetMs: 41_000 });
    expect(parseRateLimitHeaders({ "inin-ratelimit-count": "12", "inin-ratelimit-allowed": "300" })).toBeUndefined();
  });

  test("requests are held only when the budget left is within the reserve", () => {
    expect(holdFromRateLimit({ count: 100, allowed: 300, resetMs: 40_000 }, 8, 60_000)).toBeUndefined();
    expect(holdFromRateLimit({ count: 292, allowed: 300, resetMs: 40_000 }, 8, 60_000)).toBe(40_000);
    expect(holdFromRateLimit({ count: 300, allowed: 300, resetMs: 120_000 }, 8, 60_000)).toBe(60_000);
    expect(holdFromRateLimit(undefined, 8, 60_000)).toBeUndefined();
  });
});
