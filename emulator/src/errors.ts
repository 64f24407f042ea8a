/**
 * Error bodies (the platform's `ErrorBody`, which the tutorial's contract section 3 also uses).
 *
 * Every non-2xx API response carries
 * `{message, code, status, contextId, details, errors, entityId?, entityName?, messageWithParams?,
 * messageParams?, limit?}`; the handlers throw `ApiError` and the server turns it into that body
 * (adding the request's `contextId`).
 */

export interface ErrorDetail {
  errorCode: string;
  fieldName: string;
  entityId?: string;
  entityName?: string;
}

export interface LimitInfo {
  namespace: string;
  key: string;
  value: number;
}

export interface ErrorExtra {
  entityId?: string;
  entityName?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details?: ErrorDetail[];
  limit?: LimitInfo;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  entityId?: string;
  entityName?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details: ErrorDetail[];
  errors: unknown[];
  limit?: LimitInfo;
}

/** Error codes used in `details[].errorCode` (documented in docs/emulator.md). */
export const FieldError = {
  required: "required",
  type: "invalid.type",
  length: "invalid.length",
  format: "invalid.format",
  value: "invalid.value",
  duplicate: "duplicate.value",
  tooMany: "too.many.values",
  unknown: "unknown.field",
} as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
  }

  body(contextId: string): ErrorBody {
    const body: ErrorBody = {
      message: this.message,
      code: this.code,
      status: this.status,
      contextId,
      details: this.extra.details ?? [],
      errors: [],
    };
    const { entityId, entityName, messageWithParams, messageParams, limit } = this.extra;
    if (entityId !== undefined) body.entityId = entityId;
    if (entityName !== undefined) body.entityName = entityName;
    if (messageWithParams !== undefined) body.messageWithParams = messageWithParams;
    if (messageParams !== undefined) body.messageParams = messageParams;
    if (limit !== undefined) body.limit = limit;
    return body;
  }
}

export function badRequest(message: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(400, "bad.request", message, { details });
}

export function describeDetails(details: ErrorDetail[]): string {
  return details.map((d) => `${d.fieldName} (${d.errorCode})`).join(", ");
}

export function invalidFields(details: ErrorDetail[]): ApiError {
  return badRequest(`The request is invalid: ${describeDetails(details)}`, details);
}

export function notFound(kind: string, id: string): ApiError {
  return new ApiError(404, "not.found", `${kind} ${id} not found`, { entityId: id });
}

export function conflict(message: string, entityId: string): ApiError {
  return new ApiError(409, "general.conflict", message, { entityId });
}

export function limitExceeded(message: string, limit: LimitInfo): ApiError {
  return new ApiError(400, "limit.exceeded", message, { limit });
}

export function badCredentials(): ApiError {
  return new ApiError(401, "bad.credentials", "Invalid login credentials.", {
    headers: { "WWW-Authenticate": 'Bearer realm="genesys-emulator"' },
  });
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "too.many.requests.retry.after",
    `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`,
    { headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

export function transient(status: number): ApiError {
  if (status === 503 || status === 504) {
    return new ApiError(status, "service.unavailable", "The service is currently unavailable. Try again later.");
  }
  return new ApiError(status, "internal.server.error", "The server encountered an internal error. Try again later.");
}

/** No route at this path (404), or a route without this method (405 with `Allow`). */
export function noRoute(
  match: { kind: "none" } | { kind: "method"; template: string; allowed: string[] },
  method: string,
  path: string,
): ApiError {
  if (match.kind === "none") return new ApiError(404, "not.found", `No resource at ${method} ${path}`);
  return new ApiError(405, "method.not.allowed", `${method} is not allowed on ${match.template}`, {
    headers: { Allow: match.allowed.join(", ") },
  });
}
