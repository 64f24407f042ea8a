import Bottleneck from "bottleneck";
import { LearnedBudget } from "./learned-budget";
import { holdFromRateLimit, parseRateLimitHeaders, parseRetryAfter, type HeaderBag } from "./rate-limit-headers";
import { sharedEntry } from "./shared-state";

/** Pace and parallelism of requests to one API with one OAuth client. */
export interface GateSettings {
  /** Most requests started per second (spacing of `1000 / requestsPerSecond` ms between starts). */
  readonly requestsPerSecond: number;
  /** Most requests in flight at once. */
  readonly maxConcurrency: number;
  /** Longest a rate-limit signal may hold requests back. */
  readonly maxHoldMs: number;
  /** Up to this much random time is added after a hold so waiting requests do not restart in lockstep. */
  readonly holdJitterMs: number;
}

interface SharedGate {
  readonly limiter: Bottleneck;
  /** Epoch ms before which no request of this (api, client) pair starts: a 429 or an exhausted budget. */
  pausedUntil: number;
  /** The budget learned from 429s, for platforms that announce none (see learned-budget.ts). */
  readonly budget: LearnedBudget;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The process-wide request gate for one (apiUrl, clientId): every client instance and every parallel Pulumi
 * operation with that pair passes through the same Bottleneck limiter (spacing + concurrency) and the same
 * pause, so `pulumi up --parallel 32` cannot storm the API. A gate is acquired per HTTP attempt, so a call that
 * sleeps before a retry does not hold a slot others could use.
 */
export class RequestGate {
  readonly #gate: SharedGate;
  readonly #settings: GateSettings;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(apiUrl: string, clientId: string, settings: GateSettings, now = Date.now, random = Math.random) {
    this.#settings = settings;
    this.#now = now;
    this.#random = random;
    const limiterSettings = {
      maxConcurrent: settings.maxConcurrency,
      minTime: Number.isFinite(settings.requestsPerSecond) ? Math.ceil(1000 / settings.requestsPerSecond) : 0,
    };
    this.#gate = sharedEntry<SharedGate>("gates", `${apiUrl}\n${clientId}`, () => ({
      limiter: new Bottleneck(limiterSettings),
      pausedUntil: 0,
      budget: new LearnedBudget(),
    }));
    // The most recently constructed client's settings apply to the shared limiter; in a Pulumi program all
    // resources share one provider configuration, so they agree.
    this.#gate.limiter.updateSettings(limiterSettings);
  }

  /** Waits for a slot (and any pause), then returns the function that frees it; calling that twice is harmless. */
  acquire(): Promise<() => void> {
    return new Promise((resolveAcquired, rejectAcquired) => {
      this.#gate.limiter
        .schedule(async () => {
          await this.#waitWhilePaused();
          await this.#waitForBudget();
          this.#gate.budget.recordStart(this.#now());
          await new Promise<void>((release) => {
            let released = false;
            resolveAcquired(() => {
              if (!released) {
                released = true;
                release();
              }
            });
          });
        })
        .catch(rejectAcquired);
    });
  }

  /**
   * Learns from a response: a 429's `Retry-After` pauses everyone and teaches the budget; a nearly spent
   * `inin-ratelimit-*` budget (where the platform still sends those headers) pauses everyone until its reset.
   */
  observe(status: number, headers: HeaderBag): void {
    const now = this.#now();
    if (status === 429) {
      const retryAfter = parseRetryAfter(headers, now);
      this.#gate.budget.onRateLimited(now, retryAfter);
      if (retryAfter !== undefined) this.pauseUntil(now + Math.min(retryAfter, this.#settings.maxHoldMs));
    }
    const hold = holdFromRateLimit(
      parseRateLimitHeaders(headers),
      this.#settings.maxConcurrency,
      this.#settings.maxHoldMs,
    );
    if (hold !== undefined) this.pauseUntil(now + hold);
  }

  /** Holds every request of this (api, client) pair until `epochMs`. */
  pauseUntil(epochMs: number): void {
    this.#gate.pausedUntil = Math.max(this.#gate.pausedUntil, epochMs);
  }

  /** The budget learned from 429s, if one was learned (for tests and diagnostics). */
  get learnedBudget(): number | undefined {
    return this.#gate.budget.budget;
  }

  async #waitForBudget(): Promise<void> {
    for (;;) {
      const wait = this.#gate.budget.waitMs(this.#now());
      if (wait <= 0) return;
      await sleep(wait + this.#random() * this.#settings.holdJitterMs);
      await this.#waitWhilePaused();
    }
  }

  async #waitWhilePaused(): Promise<void> {
    for (;;) {
      const wait = this.#gate.pausedUntil - this.#now();
      if (wait <= 0) return;
      await sleep(wait + this.#random() * this.#settings.holdJitterMs);
    }
  }
}
