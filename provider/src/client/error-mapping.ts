import { GenesysApiError, type FieldError, type LimitInfo } from "./errors";
import type { HeaderBag } from "./rate-limit-headers";
import { redactUrl } from "./redact";

/** The request a failure belongs to. */
export interface FailedRequest {
  readonly method: string;
  readonly url: string | URL;
  readonly attempts: number;
}

/** A got error as far as we read it; got's own error objects carry the request options (and its headers), so
 * they are never passed on to callers. */
interface GotLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly cause?: unknown;
  readonly response?: { readonly statusCode: number; readonly headers: HeaderBag; readonly body?: unknown };
}

const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The `ININ-Correlation-Id` response header. */
export function correlationId(headers: HeaderBag): string | undefined {
  const value = headers["inin-correlation-id"];
  return asString(Array.isArray(value) ? value[0] : value);
}

/** Parses a JSON body; undefined when empty or not JSON. */
export function parseJsonBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A {@link GenesysApiError} from an HTTP error answer (contract section 3 body; any other body tolerated). */
export function errorFromResponse(
  request: FailedRequest,
  status: number,
  headers: HeaderBag,
  rawBody: unknown,
): GenesysApiError {
  const parsed = parseJsonBody(rawBody);
  const body = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const details = Array.isArray(body.details)
    ? body.details.filter((item): item is FieldError => typeof item === "object" && item !== null)
    : [];
  const limit = typeof body.limit === "object" && body.limit !== null ? (body.limit as LimitInfo) : undefined;
  const fallbackMessage =
    typeof rawBody === "string" && parsed === undefined && rawBody.trim() !== ""
      ? rawBody.trim().slice(0, 200)
      : undefined;
  return new GenesysApiError({
    status,
    code: asString(body.code) ?? `http.${status}`,
    serverMessage: asString(body.message) ?? fallbackMessage,
    contextId: asString(body.contextId) ?? correlationId(headers),
    entityId: asString(body.entityId),
    details,
    limit,
    method: request.method,
    url: redactUrl(request.url),
    attempts: request.attempts,
  });
}

/** A {@link GenesysApiError} with status 0 for a failure without a response (reset, refused, timeout). */
export function errorFromNetworkFailure(
  request: FailedRequest,
  code: string | undefined,
  message: string | undefined,
): GenesysApiError {
  return new GenesysApiError({
    status: 0,
    code: `network.${code ?? "ERROR"}`,
    serverMessage: message,
    method: request.method,
    url: redactUrl(request.url),
    attempts: request.attempts,
  });
}

/**
 * Converts whatever a got call threw into a {@link GenesysApiError}: our own errors raised inside hooks pass
 * through, HTTP answers and network failures are translated. The got error itself (which holds the request
 * headers, Authorization included) is dropped.
 */
export function toGenesysApiError(thrown: unknown, request: FailedRequest): GenesysApiError {
  if (thrown instanceof GenesysApiError) return thrown;
  const error = (typeof thrown === "object" && thrown !== null ? thrown : {}) as GotLikeError;
  if (error.cause instanceof GenesysApiError) return error.cause;
  if (error.response) {
    return errorFromResponse(request, error.response.statusCode, error.response.headers, error.response.body);
  }
  const code = error.code && error.code !== "ERR_GOT_REQUEST_ERROR" ? error.code : undefined;
  return errorFromNetworkFailure(request, code, error.message ?? String(thrown));
}
