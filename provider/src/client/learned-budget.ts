/**
 * The request budget of one token, learned from the platform's 429s.
 *
 * The public platform announces nothing before it refuses: the `inin-ratelimit-*` headers were removed in 2021, and
 * a 429 with `Retry-After` is all a client learns. Waiting out the `Retry-After` keeps a run correct, but a client
 * that then sends at full speed again meets the next 429 as soon as it has spent the same budget, window after
 * window, each time with every request in flight refused at once. So the first 429 teaches the budget: as many
 * requests as were started in the window before it. From then on no more than that many start in any window
 * (a sliding window is at least as strict as the platform's, whichever kind it keeps), and the budget grows back
 * slowly while no 429 comes, in case the platform raised it or another client stopped sharing the token.
 */
export interface BudgetSettings {
  /** The platform's window, in milliseconds (the platform counts per minute). */
  readonly windowMs: number;
  /** Share of the learned budget used (a margin for requests of the same token from other processes). */
  readonly share: number;
  /** Growth of the budget after each whole window without a 429 (0.05 = 5 %). */
  readonly growth: number;
  /**
   * Fewest requests of this process in the window for a 429 to teach a budget. A 429 after a handful of requests
   * says the token is spent by someone else (another process, a queued retry), not what this process may send:
   * then only its Retry-After is honoured.
   */
  readonly minSample: number;
  /**
   * Shortest `Retry-After` that teaches a budget. A spent budget is refused until its window resets, usually for many
   * seconds; a 429 that asks for a second or two is a passing refusal (a burst, a fault), and learning from it would
   * slow every later request for nothing.
   */
  readonly minRetryAfterMs: number;
}

export const DEFAULT_BUDGET_SETTINGS: BudgetSettings = {
  windowMs: 60_000,
  share: 0.95,
  growth: 0.05,
  minSample: 20,
  minRetryAfterMs: 5_000,
};

export class LearnedBudget {
  readonly #settings: BudgetSettings;
  /** Start times of recent requests, oldest first (at most one window's worth is kept). */
  readonly #starts: number[] = [];
  #budget: number | undefined;
  #lastLimited = 0;
  #lastGrowth = 0;

  constructor(settings: BudgetSettings = DEFAULT_BUDGET_SETTINGS) {
    this.#settings = settings;
  }

  /** The learned budget per window; undefined until the first 429. */
  get budget(): number | undefined {
    return this.#budget;
  }

  /** A request starts now. */
  recordStart(now: number): void {
    this.#forget(now);
    this.#starts.push(now);
  }

  /** The platform answered 429: the requests started in the last window are what it allows. */
  onRateLimited(now: number, retryAfterMs: number | undefined): void {
    this.#forget(now);
    if (retryAfterMs === undefined || retryAfterMs < this.#settings.minRetryAfterMs) return;
    // The refused request itself was counted as a start; the platform allowed the ones before it.
    const allowed = this.#starts.length - 1;
    if (allowed < this.#settings.minSample) return;
    const learned = Math.max(1, Math.floor(allowed * this.#settings.share));
    // Requests in flight when the first 429 arrived are refused too; they must not shrink what was just learned.
    if (this.#budget === undefined || now - this.#lastLimited > this.#settings.windowMs / 4) {
      this.#budget = this.#budget === undefined ? learned : Math.min(this.#budget, learned);
    }
    this.#lastLimited = now;
    this.#lastGrowth = now;
  }

  /** How long the next request must wait for room in the window (0: it may start now). */
  waitMs(now: number): number {
    this.#forget(now);
    if (this.#budget === undefined) return 0;
    this.#grow(now);
    if (this.#starts.length < this.#budget) return 0;
    // The oldest start still in the window must leave it before another fits.
    const index = this.#starts.length - this.#budget;
    return Math.max(1, this.#starts[index] + this.#settings.windowMs - now);
  }

  #grow(now: number): void {
    const windows = Math.floor((now - this.#lastGrowth) / this.#settings.windowMs);
    if (windows <= 0 || this.#budget === undefined) return;
    this.#budget = Math.ceil(this.#budget * (1 + this.#settings.growth) ** windows);
    this.#lastGrowth += windows * this.#settings.windowMs;
  }

  #forget(now: number): void {
    const edge = now - this.#settings.windowMs;
    let drop = 0;
    while (drop < this.#starts.length && this.#starts[drop] <= edge) drop++;
    if (drop > 0) this.#starts.splice(0, drop);
  }
}
