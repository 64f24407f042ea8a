// Test constants that need no HTTP mocking. Kept apart from helpers.ts, which imports nock: importing nock
// patches http/https, which the real-socket tests (limiter.test.ts) must not inherit.

/** Retry timings shrunk so the suite stays fast; the policy is the production one. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, retryAfterJitterMs: 0 };
