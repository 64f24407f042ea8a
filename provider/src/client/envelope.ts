/**
 * The result of every successful call: the body plus what an audit trail needs. `attempts` and `latencyMs`
 * cover the whole logical call (retries, paging, a reconcile lookup).
 */
export interface ApiEnvelope<T> {
  /** The parsed answer (or the value a helper derived from it). */
  readonly body: T;
  /** HTTP status of the answer the body came from. */
  readonly status: number;
  /** `ININ-Correlation-Id` of that answer; what platform support asks for. */
  readonly contextId?: string;
  /** HTTP attempts made, retries included. */
  readonly attempts: number;
  /** Wall time of the call in milliseconds. */
  readonly latencyMs: number;
  /** True when a create's outcome was unknown and the object was found by lookup instead of re-created. */
  readonly reconciled?: boolean;
}

/** The envelope of a call made of steps: `last`'s body, status and contextId; attempts and latency summed. */
export function chainEnvelope<T>(
  last: ApiEnvelope<unknown>,
  body: T,
  earlier: { readonly attempts: number; readonly latencyMs: number },
  extra: { readonly reconciled?: boolean } = {},
): ApiEnvelope<T> {
  return {
    body,
    status: last.status,
    contextId: last.contextId,
    attempts: earlier.attempts + last.attempts,
    latencyMs: earlier.latencyMs + last.latencyMs,
    ...extra,
  };
}

/**
 * Several calls taken as one: the last one made (its body, status, contextId, what it reconciled), with the attempts
 * and latency of them all. `undefined` when none was made.
 */
export function combineEnvelopes<T>(calls: readonly (ApiEnvelope<T> | undefined)[]): ApiEnvelope<T> | undefined {
  const made = calls.filter((c): c is ApiEnvelope<T> => c !== undefined);
  if (made.length === 0) return undefined;
  return {
    ...made[made.length - 1],
    attempts: made.reduce((n, c) => n + c.attempts, 0),
    latencyMs: made.reduce((n, c) => n + c.latencyMs, 0),
  };
}
