import { chainEnvelope, type ApiEnvelope } from "./envelope";
import { GenesysApiError } from "./errors";
import { isOutcomeUnknown } from "./retry-policy";

/** How to create one object safely. */
export interface ReconcilingCreate<T> {
  /** Sends the POST once (got may repeat it only where the server said it did nothing: 429, 503, refused). */
  readonly post: () => Promise<ApiEnvelope<T>>;
  /** Looks the object up by its natural key (code: name in queue; webhook: name); body null when absent. */
  readonly lookup: () => Promise<ApiEnvelope<T | null>>;
  /** True when a found object is the one we sent (not someone else's with the same name). */
  readonly matches: (found: T) => boolean;
  /** Most POSTs to send in total. */
  readonly maxPosts: number;
  /** True when an answer means "that name is taken" (default: 409; the platform also answers 400 duplicate.name). */
  readonly isConflict?: (error: GenesysApiError) => boolean;
}

/**
 * Creates without ever creating a duplicate. A POST whose outcome is unknown (connection reset or timeout after
 * sending, 500/502/504) is followed by a lookup BEFORE any new POST: if the object is there and matches what
 * we sent, that is the create's result (`reconciled: true`); otherwise the POST is sent again, at most
 * `maxPosts` times in all. A 409 to a re-sent POST after an unknown outcome is likewise answered by a lookup:
 * our first POST did land. Every other failure is thrown as is.
 */
export async function createWithReconcile<T>(create: ReconcilingCreate<T>): Promise<ApiEnvelope<T>> {
  let spent = { attempts: 0, latencyMs: 0 };
  let outcomeUnknown = false;
  let lastError: GenesysApiError | undefined;

  const reconcile = async (): Promise<ApiEnvelope<T> | undefined> => {
    const found = await create.lookup();
    if (found.body !== null && create.matches(found.body)) {
      return chainEnvelope(found, found.body, spent, { reconciled: true });
    }
    spent = { attempts: spent.attempts + found.attempts, latencyMs: spent.latencyMs + found.latencyMs };
    return undefined;
  };

  for (let post = 1; post <= create.maxPosts; post++) {
    const started = Date.now();
    try {
      const created = await create.post();
      return chainEnvelope(created, created.body, spent);
    } catch (error) {
      if (!(error instanceof GenesysApiError)) throw error;
      spent = { attempts: spent.attempts + error.attempts, latencyMs: spent.latencyMs + (Date.now() - started) };
      const unknownNow = isOutcomeUnknown(error);
      const conflictAfterUnknown = (create.isConflict?.(error) ?? error.status === 409) && outcomeUnknown;
      if (!unknownNow && !conflictAfterUnknown) throw error;
      outcomeUnknown = true;
      lastError = error;
      const reconciled = await reconcile();
      if (reconciled) return reconciled;
      // A 409 whose holder is not ours is a real conflict: report it rather than post again.
      if (conflictAfterUnknown) throw error;
    }
  }
  throw lastError!;
}
