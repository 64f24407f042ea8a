/**
 * Per-token rate limit: a fixed 60 s window that starts with the first request after the
 * previous window ended; every /api/v2 request counts against its token's window.
 */
export const WINDOW_MS = 60_000;

export interface RateState {
  count: number;
  allowed: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
  limited: boolean;
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  hit(key: string, allowed: number, now = Date.now()): RateState {
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size > 10_000) {
        for (const [k, v] of this.windows) if (now - v.start >= WINDOW_MS) this.windows.delete(k);
      }
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    const resetSeconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    return { count: w.count, allowed, resetSeconds, limited: w.count > allowed };
  }

  clear(): void {
    this.windows.clear();
  }
}
