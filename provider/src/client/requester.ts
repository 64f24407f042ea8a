import type { ApiEnvelope } from "./envelope";

/**
 * Query parameters; undefined values are left out, and a list repeats the parameter (`id=a&id=b`), as the
 * platform's listing filters expect.
 */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Per-call options of a request. */
export interface RequestOptions {
  /** Query parameters. */
  readonly query?: Query;
  /** JSON body. */
  readonly body?: unknown;
}

/** Anything that can make an API call and answer with an envelope (the transport; a fake in tests). */
export interface Requester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<ApiEnvelope<T>>;
}

/** The query as URL search parameters: undefined left out, lists repeated. */
export function toSearchParams(query: Query = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  return params;
}
