/** Response headers as Node exposes them (lower-case names). */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** The platform's view of this token's budget, from the `inin-ratelimit-*` headers. */
export interface RateLimitState {
  /** Requests counted in the current window. */
  readonly count: number;
  /** Requests allowed per window. */
  readonly allowed: number;
  /** Milliseconds until the window resets. */
  readonly resetMs: number;
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function finiteNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `Retry-After` in milliseconds: delta-seconds (fractions accepted) or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(headers: HeaderBag, now: number = Date.now()): number | undefined {
  const value = header(headers, "retry-after");
  if (value === undefined) return undefined;
  const seconds = finiteNumber(value);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `inin-ratelimit-count/allowed/reset` triple; undefined unless all three are present and sensible. */
export function parseRateLimitHeaders(headers: HeaderBag): RateLimitState | undefined {
  const count = finiteNumber(header(headers, "inin-ratelimit-count"));
  const allowed = finiteNumber(header(headers, "inin-ratelimit-allowed"));
  const reset = finiteNumber(header(headers, "inin-ratelimit-reset"));
  if (count === undefined || allowed === undefined || reset === undefined || allowed <= 0 || reset < 0) {
    return undefined;
  }
  return { count, allowed, resetMs: reset * 1000 };
}

/**
 * How long every request of this token should hold off: when the budget left in the window is at most
 * `reserve` requests (those already in flight may still spend it), until the window resets, capped at `capMs`.
 * Undefined when there is no reason to wait.
 */
export function holdFromRateLimit(
  state: RateLimitState | undefined,
  reserve: number,
  capMs: number,
): number | undefined {
  if (state === undefined) return undefined;
  const remaining = state.allowed - state.count;
  if (remaining > reserve || state.resetMs <= 0) return undefined;
  return Math.min(state.resetMs, capMs);
}
