import got, { type Got } from "got";
import { callContext, newCallState, releaseSlot } from "./call-state";
import type { ApiEnvelope } from "./envelope";
import { correlationId, parseJsonBody, toGenesysApiError } from "./error-mapping";
import { GenesysApiError } from "./errors";
import { authorizeAndThrottle, refreshOn401, retryDelay, type HookDependencies } from "./hooks";
import { RequestGate } from "./limiter";
import { createTokenHttp, requestClientCredentialsToken } from "./oauth";
import { resolveClientOptions, type GenesysClientOptions, type ResolvedClientOptions } from "./options";
import { countTotal, listAll, paginate } from "./paging";
import { redactUrl } from "./redact";
import { SharedTokenCache } from "./token-cache";
import { toSearchParams, type Query, type RequestOptions, type Requester } from "./requester";
import type { DeleteOutcome, PagedEntities } from "./types";

export type { Query, RequestOptions, Requester } from "./requester";

/**
 * The HTTP layer: got with our hooks (bearer token, 401 refresh, shared limiter, retry policy), and every
 * answer turned into an {@link ApiEnvelope} or a {@link GenesysApiError}.
 */
export class GenesysTransport implements Requester {
  /** API origin the client talks to (without `/api/v2`). */
  readonly apiUrl: string;
  /** Login origin that serves `/oauth/token`. */
  readonly authUrl: string;
  /** OAuth client id (not a secret). */
  readonly clientId: string;
  readonly #settings: ResolvedClientOptions;
  readonly #http: Got;

  constructor(options: GenesysClientOptions) {
    const settings = resolveClientOptions(options);
    this.#settings = settings;
    this.apiUrl = settings.apiUrl;
    this.authUrl = settings.authUrl;
    this.clientId = settings.clientId;
    // The secret lives only in this closure: not a property, so JSON.stringify/inspect of the client never see it.
    const clientSecret = options.clientSecret;
    const base = {
      tuning: { ...settings.retry, deadlineMs: settings.deadlineMs },
      now: Date.now,
      random: Math.random,
    };
    const tokenHttp = createTokenHttp(base, settings.userAgent, settings.timeoutMs);
    const credentials = { authUrl: settings.authUrl, clientId: settings.clientId };
    const tokens = new SharedTokenCache(settings.authUrl, settings.clientId, () =>
      requestClientCredentialsToken(tokenHttp, { ...credentials, clientSecret }, base.now),
    );
    const gate = new RequestGate(settings.apiUrl, settings.clientId, {
      requestsPerSecond: settings.requestsPerSecond,
      maxConcurrency: settings.maxConcurrency,
      maxHoldMs: settings.retry.maxRetryAfterMs,
      holdJitterMs: settings.retry.retryAfterJitterMs,
    });
    const deps: HookDependencies = { ...base, tokens, gate };
    this.#http = got.extend({
      headers: { "user-agent": settings.userAgent, accept: "application/json" },
      responseType: "text",
      timeout: { request: settings.timeoutMs },
      retry: { limit: Number.MAX_SAFE_INTEGER, calculateDelay: retryDelay(deps) },
      hooks: { beforeRequest: [authorizeAndThrottle(deps)], afterResponse: [refreshOn401(deps)] },
    });
  }

  /** Most POSTs one create may send while reconciling unknown outcomes. */
  protected get maxCreateAttempts(): number {
    return this.#settings.maxCreateAttempts;
  }

  /** The absolute URL of an API path: `/routing/queues` and `/api/v2/routing/queues` both work. */
  urlFor(path: string): string {
    const relative = path.startsWith("/api/") ? path : `/api/v2${path.startsWith("/") ? "" : "/"}${path}`;
    return `${this.apiUrl}${relative}`;
  }

  /** One API call with retries; resolves with the envelope, rejects with a {@link GenesysApiError}. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiEnvelope<T>> {
    const verb = method.toUpperCase();
    const url = this.urlFor(path);
    const started = Date.now();
    const call = newCallState(verb, started);
    const searchParams = toSearchParams(options.query);
    const fullUrl = searchParams.size > 0 ? `${url}?${searchParams}` : url;
    try {
      const response = await this.#http(url, {
        method: verb as "GET",
        searchParams,
        ...(options.body === undefined ? {} : { json: options.body }),
        context: callContext(call),
      });
      const body = parseJsonBody(response.body);
      if (body === undefined && response.body.trim() !== "") {
        throw new GenesysApiError({
          status: response.statusCode,
          code: "invalid.response",
          serverMessage: "the answer is not JSON",
          contextId: correlationId(response.headers),
          method: verb,
          url: redactUrl(fullUrl),
          attempts: call.attempts,
        });
      }
      return {
        body: body as T,
        status: response.statusCode,
        contextId: correlationId(response.headers),
        attempts: call.attempts,
        latencyMs: Date.now() - started,
      };
    } catch (thrown) {
      throw toGenesysApiError(thrown, { method: verb, url: fullUrl, attempts: call.attempts });
    } finally {
      releaseSlot(call);
    }
  }

  /** Like {@link request}, but a 404 answers an envelope with body `null` (status 404) instead of failing. */
  async requestOrNull<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiEnvelope<T | null>> {
    const started = Date.now();
    try {
      return await this.request<T>(method, path, options);
    } catch (error) {
      if (error instanceof GenesysApiError && error.status === 404) {
        const { contextId, attempts } = error;
        return { body: null, status: 404, contextId, attempts, latencyMs: Date.now() - started };
      }
      throw error;
    }
  }

  /** DELETE; an object already gone (404) counts as done with `deleted: false`. */
  async deleteIfExists(path: string): Promise<ApiEnvelope<DeleteOutcome>> {
    const started = Date.now();
    try {
      const done = await this.request<unknown>("DELETE", path);
      return { ...done, body: { deleted: true } };
    } catch (error) {
      if (error instanceof GenesysApiError && error.status === 404) {
        const { contextId, attempts } = error;
        return { body: { deleted: false }, status: 404, contextId, attempts, latencyMs: Date.now() - started };
      }
      throw error;
    }
  }

  /** Yields every page of a list endpoint. */
  paginate<T>(path: string, query?: Query, pageSize?: number): AsyncGenerator<ApiEnvelope<PagedEntities<T>>> {
    return paginate<T>(this, path, query, pageSize);
  }

  /** Every entity of a list endpoint across all pages (pages of `pageSize`, default the largest). */
  listAll<T>(path: string, query?: Query, pageSize?: number): Promise<ApiEnvelope<T[]>> {
    return listAll<T>(this, path, query, pageSize);
  }

  /** The `total` of a list endpoint (one request, `pageSize=1`) as the envelope's body. */
  count(path: string, query?: Query): Promise<ApiEnvelope<number>> {
    return countTotal(this, path, query);
  }
}
