/**
 * Request counters for `GET /__emulator/stats`, keyed by `METHOD TEMPLATE OUTCOME[ MARKER]`:
 * OUTCOME is the status code, `RESET` (connection reset) or `TIMEOUT` (never answered);
 * MARKER is `fault` for an injected fault that replaced processing, `fault-after:<status>` for an
 * injected reset/timeout after the request was processed with that status.
 */
export interface StatsSnapshot {
  since: string;
  total: number;
  faults: number;
  byRoute: Record<string, number>;
}

export class Stats {
  private since = new Date().toISOString();
  private total = 0;
  private faults = 0;
  private byRoute = new Map<string, number>();

  record(method: string, template: string, outcome: string | number, marker?: string): void {
    const key = `${method} ${template} ${outcome}${marker ? ` ${marker}` : ""}`;
    this.byRoute.set(key, (this.byRoute.get(key) ?? 0) + 1);
    this.total++;
    if (marker) this.faults++;
  }

  snapshot(): StatsSnapshot {
    const byRoute: Record<string, number> = {};
    for (const key of [...this.byRoute.keys()].sort()) byRoute[key] = this.byRoute.get(key)!;
    return { since: this.since, total: this.total, faults: this.faults, byRoute };
  }

  reset(): void {
    this.since = new Date().toISOString();
    this.total = 0;
    this.faults = 0;
    this.byRoute = new Map();
  }
}
