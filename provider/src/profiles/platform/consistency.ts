import { GenesysApiError } from "../../client/errors";
import { sleep } from "../../util";

/**
 * The platform is eventually consistent: a code created a moment ago may answer 404 to a GET and be missing from
 * listings, and a deleted code may still be listed for a while. Terraform's provider waits up to 30 s for both.
 * Within this window after a code's creation (by the platform's clock, or by this process's record of its own
 * writes) an absence is asked again before it is believed.
 */
export const CONSISTENCY_WINDOW_MS = 30_000;

/** Steps between two looks: short first (the usual lag is a second or two), then up to 4 s. */
export function consistencyDelays(windowMs: number = CONSISTENCY_WINDOW_MS): number[] {
  const delays: number[] = [];
  let total = 0;
  for (let step = 250; total + step <= windowMs; step = Math.min(step * 2, 4_000)) {
    delays.push(step);
    total += step;
  }
  return delays;
}

/** Codes this process wrote, with when: their absence shortly after is lag, not a deletion. */
export class RecentWrites {
  readonly #at = new Map<string, number>();

  note(id: string, now: number = Date.now()): void {
    this.#at.set(id.toLowerCase(), now);
  }

  /** True when the code was written by this process, or created (platform time) within the window. */
  isYoung(id: string, dateCreated?: string, now: number = Date.now()): boolean {
    const own = this.#at.get(id.toLowerCase());
    if (own !== undefined && now - own < CONSISTENCY_WINDOW_MS) return true;
    const created = dateCreated === undefined ? Number.NaN : Date.parse(dateCreated);
    return Number.isFinite(created) && now - created < CONSISTENCY_WINDOW_MS;
  }
}

/**
 * Asks `look` again (after each of the delays) until it finds something or the window has passed; the first
 * answer is `first`. Returns the last answer.
 */
export async function lookAgainWhileAbsent<T>(
  first: T | null,
  look: () => Promise<T | null>,
  delays: readonly number[] = consistencyDelays(),
): Promise<T | null> {
  let found = first;
  for (const delay of delays) {
    if (found !== null) return found;
    await sleep(delay);
    found = await look();
  }
  return found;
}

/** A 404: on a code created a moment ago, the platform's lag rather than a deletion. */
export function isNotFound(error: unknown): error is GenesysApiError {
  return error instanceof GenesysApiError && error.status === 404;
}

/** Sends again after each consistency delay while the platform answers 404; the last error is thrown. */
export async function retryWhileNotFound<T>(send: () => Promise<T>, first: GenesysApiError): Promise<T> {
  let last = first;
  for (const delay of consistencyDelays()) {
    await sleep(delay);
    try {
      return await send();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      last = error;
    }
  }
  throw last;
}
