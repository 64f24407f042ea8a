import { UsageError } from "../command";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The instant an ISO 8601 flag value names, in ms. A date-time must carry its offset (`Z` or `+02:00`): a time without
 * one would mean whatever zone the machine is in. A date alone is that day in UTC: its start, or with `endOfDay` the
 * start of the next day (so that `--until 2026-11-30` includes the 30th).
 */
export function parseInstant(flag: string, value: string, endOfDay: boolean): number {
  const ms =
    DATE.test(value) || DATE_TIME.test(value) ? Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value) : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--${flag} ${JSON.stringify(value)} is not an ISO 8601 date (2026-11-30, UTC) or date-time with an offset ` +
        "(2026-11-30T09:00:00Z, 2026-11-30T10:00:00+01:00)",
    );
  }
  return DATE.test(value) && endOfDay ? ms + DAY_MS : ms;
}
