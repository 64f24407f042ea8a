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
