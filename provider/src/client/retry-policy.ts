/** Knobs of the retry policy. Defaults in {@link DEFAULT_RETRY_TUNING}. */
export interface RetryTuning {
  /** Most attempts a call makes while it meets transient failures (5xx, resets, timeouts); 429s do not count. */
  readonly maxAttempts: number;
  /** First backoff step; doubles per transient failure. */
  readonly baseDelayMs: number;
  /** Ceiling of one backoff step. */
  readonly maxDelayMs: number;
  /** Longest single wait a `Retry-After` may impose; longer values are capped to this. */
  readonly maxRetryAfterMs: number;
  /** Up to this much random time is added to a `Retry-After` wait so waiting callers do not return in lockstep. */
  readonly retryAfterJitterMs: number;
}

/** Defaults: 6 attempts, 500 ms doubling to at most 15 s, `Retry-After` capped at 60 s plus up to 500 ms jitter. */
export const DEFAULT_RETRY_TUNING: RetryTuning = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
  retryAfterJitterMs: 500,
};

/**
 * How a failed attempt is treated:
 * - `rate-limited`: 429; wait `Retry-After` and retry until the call's deadline, whatever the method.
 * - `transient`: retry with backoff, a bounded number of times.
 * - `outcome-unknown`: the request may have been processed (reset/timeout after sending, 500/502/504) and the
 *   method is not idempotent; never repeated blindly — the caller reconciles by looking the object up.
 * - `fatal`: an answer that a retry would not change (400, 403, 404, 409, …).
 */
export type FailureKind = "rate-limited" | "transient" | "outcome-unknown" | "fatal";

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
/** The server answered that it did not process the request; safe to repeat for any method. */
const NOT_PROCESSED_STATUSES = new Set([503]);
/** Transient for idempotent methods, but the server may have done the work. */
const MAYBE_PROCESSED_STATUSES = new Set([408, 500, 502, 504]);
/** The connection never carried the request, so repeating it is safe for any method. */
const NOT_SENT_ERROR_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);
/** The request may have reached the server before the connection failed. */
const MAYBE_SENT_ERROR_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "ESOCKETTIMEDOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/** True for methods whose repetition has the same effect as one call. POST and PATCH are not. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Classifies a failed attempt by HTTP status (undefined when no response came) or network error code. */
export function classifyFailure(
  idempotent: boolean,
  status: number | undefined,
  errorCode: string | undefined,
): FailureKind {
  if (status !== undefined && status > 0) {
    if (status === 429) return "rate-limited";
    if (NOT_PROCESSED_STATUSES.has(status)) return "transient";
    if (MAYBE_PROCESSED_STATUSES.has(status)) return idempotent ? "transient" : "outcome-unknown";
    return "fatal";
  }
  if (errorCode === undefined) return "fatal";
  if (NOT_SENT_ERROR_CODES.has(errorCode)) return "transient";
  if (MAYBE_SENT_ERROR_CODES.has(errorCode)) return idempotent ? "transient" : "outcome-unknown";
  return "fatal";
}

/** One failed attempt, as the policy needs to see it. */
export interface FailedAttempt {
  /** Whether the call may be repeated blindly (see {@link isIdempotentMethod}). */
  readonly idempotent: boolean;
  /** HTTP status of the answer; undefined when no response arrived. */
  readonly status?: number;
  /** Network error code (`ECONNRESET`, `ETIMEDOUT`, …) when no response arrived. */
  readonly errorCode?: string;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;
  /** Transient failures of this call so far, this one included. */
  readonly transientFailures: number;
  /** Time since the call started. */
  readonly elapsedMs: number;
}

/** The policy's answer: wait and retry, or give up and why. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly kind: FailureKind }
  | {
      readonly retry: false;
      readonly kind: FailureKind;
      readonly reason: "fatal" | "outcome-unknown" | "attempts" | "deadline";
    };

/**
 * Decides whether to retry a failed attempt. 429s are retried after `Retry-After` (capped, plus jitter) for as
 * long as the wait still ends before the deadline — never a fixed number of times. Transient failures are
 * retried with exponential backoff up to `maxAttempts`. Nothing is retried past `deadlineMs`.
 */
export function decideRetry(
  attempt: FailedAttempt,
  tuning: RetryTuning & { readonly deadlineMs: number },
  random: () => number = Math.random,
): RetryDecision {
  const kind = classifyFailure(attempt.idempotent, attempt.status, attempt.errorCode);
  if (kind === "fatal" || kind === "outcome-unknown") return { retry: false, kind, reason: kind };
  let delayMs: number;
  if (kind === "rate-limited") {
    delayMs =
      attempt.retryAfterMs === undefined
        ? backoffDelay(1, tuning, random)
        : Math.min(Math.max(attempt.retryAfterMs, 0), tuning.maxRetryAfterMs) + random() * tuning.retryAfterJitterMs;
  } else {
    if (attempt.transientFailures >= tuning.maxAttempts) return { retry: false, kind, reason: "attempts" };
    const backoff = backoffDelay(attempt.transientFailures, tuning, random);
    // A 503 may say how long to wait; honour it when it asks for more than our backoff.
    const asked = attempt.retryAfterMs === undefined ? 0 : Math.min(attempt.retryAfterMs, tuning.maxRetryAfterMs);
    delayMs = Math.max(backoff, asked);
  }
  delayMs = Math.max(1, Math.round(delayMs));
  if (attempt.elapsedMs + delayMs > tuning.deadlineMs) return { retry: false, kind, reason: "deadline" };
  return { retry: true, delayMs, kind };
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread but still grow. */
export function backoffDelay(
  failures: number,
  tuning: Pick<RetryTuning, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const step = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return step / 2 + random() * (step / 2);
}

/**
 * True when a failed non-idempotent call (a POST) may nevertheless have taken effect, so it must be reconciled
 * by looking the object up before it is sent again.
 */
export function isOutcomeUnknown(error: {
  readonly method: string;
  readonly status: number;
  readonly code: string;
}): boolean {
  const networkCode = error.code.startsWith("network.") ? error.code.slice("network.".length) : undefined;
  const status = error.status > 0 ? error.status : undefined;
  return classifyFailure(isIdempotentMethod(error.method), status, networkCode) === "outcome-unknown";
}
