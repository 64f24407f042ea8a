/** Sends one batch; answers each key with its result, or an Error for that key alone. */
type RunBatch<K, R> = (keys: K[]) => Promise<Map<K, R | Error>>;

type Waiters<R> = { resolve: (r: R) => void; reject: (e: unknown) => void }[];

/** Adds a caller of `key` to `pending`; answers it with a promise settled by {@link settle}. */
function join<K, R>(pending: Map<K, Waiters<R>>, key: K): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const waiting = pending.get(key);
    if (waiting) waiting.push({ resolve, reject });
    else pending.set(key, [{ resolve, reject }]);
  });
}

/** Runs one batch and answers each of its callers with its own key's result, or every caller with `run`'s failure. */
async function settle<K, R>(batch: Map<K, Waiters<R>>, run: RunBatch<K, R>): Promise<void> {
  try {
    const results = await run([...batch.keys()]);
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

/**
 * Collects items that arrive within a short window (parallel Pulumi operations) into batches of at most `max`,
 * hands each batch to `run` once, and answers each caller with its own item's result. A failed batch fails every
 * caller in it, unless `run` settles items one by one.
 */
export class Batcher<K, R> {
  #pending = new Map<K, Waiters<R>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly run: RunBatch<K, R>,
  ) {}

  /** The result for `key`, from the batch it joins. */
  get(key: K): Promise<R> {
    const result = join(this.#pending, key);
    if (this.#pending.size >= this.max) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.windowMs);
    return result;
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = new Map();
    if (batch.size > 0) void settle(batch, this.run);
  }
}

/**
 * Batches by flight: the first item waits `windowMs` for company and goes out; while a batch is in flight (waiting
 * for the rate limiter, or for the platform), every further item waits for the next batch, which takes up to `max`
 * of them as soon as the previous one landed. Unhurried, each item goes at once; under a binding rate limit, when
 * every request waits anyway, the items of that wait travel together, at no extra delay.
 */
export class FlightBatcher<K, R> {
  #pending = new Map<K, Waiters<R>>();
  #flying = false;

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly run: RunBatch<K, R>,
  ) {}

  /** The result for `key`, from the batch it joins. */
  get(key: K): Promise<R> {
    const result = join(this.#pending, key);
    if (!this.#flying) {
      this.#flying = true;
      setTimeout(() => void this.#fly(), this.windowMs);
    }
    return result;
  }

  async #fly(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = new Map([...this.#pending].slice(0, this.max));
      for (const key of batch.keys()) this.#pending.delete(key);
      await settle(batch, this.run);
    }
    this.#flying = false;
  }
}
