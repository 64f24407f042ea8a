import type { AfterResponseHook, BeforeRequestHook, RetryFunction } from "got";
import { callStateOf, releaseSlot } from "./call-state";
import { GenesysApiError } from "./errors";
import type { RequestGate } from "./limiter";
import { parseRetryAfter } from "./rate-limit-headers";
import { classifyFailure, decideRetry, type RetryTuning } from "./retry-policy";

/** Where the hooks get tokens from. */
export interface TokenSource {
  accessToken(): Promise<string>;
  invalidate(staleValue: string): void;
}

/** What the got hooks need; the token source and gate are absent for the token endpoint itself. */
export interface HookDependencies {
  readonly tokens?: TokenSource;
  readonly gate?: RequestGate;
  readonly tuning: RetryTuning & { readonly deadlineMs: number };
  readonly now: () => number;
  readonly random: () => number;
}

/**
 * `beforeRequest`: count the attempt, wait for a limiter slot, then add the bearer token. The token is taken
 * after the wait on purpose: a request can be held for up to a minute (a spent rate-limit budget), longer than a
 * short-lived token lives, and must not leave with the token it had when it started waiting.
 */
export function authorizeAndThrottle(deps: HookDependencies): BeforeRequestHook {
  return async (options) => {
    const call = callStateOf(options);
    // Normally freed by afterResponse/calculateDelay; never let a new attempt overwrite (and leak) a held slot.
    releaseSlot(call);
    if (deps.gate) call.releaseSlot = await deps.gate.acquire();
    if (deps.tokens) options.headers.authorization = `Bearer ${await deps.tokens.accessToken()}`;
    call.attempts += 1;
  };
}

/**
 * `afterResponse`: free the slot, let the gate learn from rate-limit headers, and on the first 401 of a call
 * drop the rejected token and retry once (the `beforeRequest` hook then fetches a new one).
 */
export function refreshOn401(deps: HookDependencies): AfterResponseHook {
  return (response, retryWithMergedOptions) => {
    const call = callStateOf(response.request.options);
    releaseSlot(call);
    deps.gate?.observe(response.statusCode, response.headers);
    if (response.statusCode === 401 && deps.tokens && !call.refreshedAfter401) {
      call.refreshedAfter401 = true;
      const sent = response.request.options.headers.authorization;
      if (typeof sent === "string") deps.tokens.invalidate(sent.replace(/^Bearer /, ""));
      // preserveHooks: keep this hook for the retried attempt (got drops it otherwise).
      return retryWithMergedOptions({ preserveHooks: true });
    }
    return response;
  };
}

/** got's `retry.calculateDelay`: got runs the retry loop, {@link decideRetry} decides. 0 means give up. */
export function retryDelay(deps: HookDependencies): RetryFunction {
  return ({ error, computedValue }) => {
    // retryWithMergedOptions (the 401 refresh) surfaces as a RetryError: always honour it.
    if (error.name === "RetryError") return computedValue;
    const call = callStateOf(error.options);
    releaseSlot(call);
    // A failure raised by our own hook (the token endpoint refused) is final.
    if (error.cause instanceof GenesysApiError) return 0;
    const status = error.response?.statusCode;
    const errorCode = status === undefined ? error.code : undefined;
    if (classifyFailure(call.idempotent, status, errorCode) === "transient") call.transientFailures += 1;
    const decision = decideRetry(
      {
        idempotent: call.idempotent,
        status,
        errorCode,
        retryAfterMs: error.response ? parseRetryAfter(error.response.headers, deps.now()) : undefined,
        transientFailures: call.transientFailures,
        elapsedMs: deps.now() - call.startedAt,
      },
      deps.tuning,
      deps.random,
    );
    return decision.retry ? decision.delayMs : 0;
  };
}
