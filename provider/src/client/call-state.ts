import { isIdempotentMethod } from "./retry-policy";

/**
 * Book-keeping for one logical call across its HTTP attempts. It travels in got's `options.context`, which got
 * keeps (shallow-copied, so this object is shared) across retries of the same call.
 */
export interface CallState {
  /** Whether the call may be repeated blindly; decides how resets and 5xx are treated. */
  readonly idempotent: boolean;
  /** Epoch ms the call started; the deadline counts from here. */
  readonly startedAt: number;
  /** HTTP attempts sent so far, retries and the post-401 retry included. */
  attempts: number;
  /** Transient failures so far (5xx, resets, timeouts); 429s are not counted. */
  transientFailures: number;
  /** Set once the token was refreshed after a 401, so a second 401 is final. */
  refreshedAfter401: boolean;
  /** Frees the limiter slot of the attempt in flight. */
  releaseSlot?: () => void;
}

const CONTEXT_KEY = "genesysCall";

/** A fresh state for a call with `method` starting now. */
export function newCallState(method: string, startedAt: number, idempotent = isIdempotentMethod(method)): CallState {
  return { idempotent, startedAt, attempts: 0, transientFailures: 0, refreshedAfter401: false };
}

/** The `context` option that carries `state` through got. */
export function callContext(state: CallState): Record<string, unknown> {
  return { [CONTEXT_KEY]: state };
}

/** The state of the call these got options belong to; throws if the call was not started by this client. */
export function callStateOf(options: { readonly context: Record<string, unknown> }): CallState {
  const state = options.context[CONTEXT_KEY] as CallState | undefined;
  if (state === undefined) throw new Error("internal: got call without Genesys call state");
  return state;
}

/** Frees the attempt's limiter slot, if it holds one. */
export function releaseSlot(state: CallState): void {
  const release = state.releaseSlot;
  state.releaseSlot = undefined;
  release?.();
}
