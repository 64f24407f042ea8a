/**
 * Collects items that arrive within a short window (parallel Pulumi operations) into batches of at most `max`,
 * hands each batch to `run` once, and answers each caller with its own item's result. A failed batch fails every
 * caller in it, unless `run` settles items one by one.
 */
export class Batcher<K, R> {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #run: (keys: K[]) => Promise<Map<K, R | Error>>;
  #pending = new Map<K, { resolve: (r: R) => void; reject: (e: unknown) => void }[]>();
  #timer: NodeJS.Timeout | undefined;

  constructor(windowMs: number, max: number, run: (keys: K[]) => Promise<Map<K, R | Error>>) {
    this.#windowMs = windowMs;
    this.#max = max;
    this.#run = run;
  }

  /** The result for `key`, from the batch it joins. */
  get(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const waiting = this.#pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
      if (this.#pending.size >= this.#max) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = new Map();
    if (batch.size === 0) return;
    this.#run([...batch.keys()]).then(
      (results) => {
        for (const [key, waiters] of batch) {
          const result = results.get(key);
          for (const w of waiters) {
            if (result instanceof Error) w.reject(result);
            else w.resolve(result as R);
          }
        }
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      },
    );
  }
}

/**
 * Batches by flight: the first item waits `windowMs` for company and goes out; while a batch is in flight (waiting
 * for the rate limiter, or for the platform), every further item waits for the next batch, which takes up to `max`
 * of them as soon as the previous one landed. Unhurried, each item goes at once; under a binding rate limit, when
 * every request waits anyway, the items of that wait travel together, at no extra delay.
 */
export class FlightBatcher<K, R> {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #run: (keys: K[]) => Promise<Map<K, R | Error>>;
  #pending = new Map<K, { resolve: (r: R) => void; reject: (e: unknown) => void }[]>();
  #flying = false;

  constructor(windowMs: number, max: number, run: (keys: K[]) => Promise<Map<K, R | Error>>) {
    this.#windowMs = windowMs;
    this.#max = max;
    this.#run = run;
  }

  /** The result for `key`, from the batch it joins. */
  get(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const waiting = this.#pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
      if (!this.#flying) {
        this.#flying = true;
        setTimeout(() => void this.#fly(), this.#windowMs);
      }
    });
  }

  async #fly(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = new Map([...this.#pending].slice(0, this.#max));
      for (const key of batch.keys()) this.#pending.delete(key);
      try {
        const results = await this.#run([...batch.keys()]);
        for (const [key, waiters] of batch) {
          const result = results.get(key);
          for (const w of waiters) {
            if (result instanceof Error) w.reject(result);
            else w.resolve(result as R);
          }
        }
      } catch (error) {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      }
    }
    this.#flying = false;
  }
}
