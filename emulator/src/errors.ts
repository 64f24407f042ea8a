/**
 * Error bodies as in section 3 of the API contract.
 *
 * Every non-2xx API response carries
 * `{message, code, status, contextId, entityId?, details, errors, limit?}`; the handlers throw
 * `ApiError` and the server turns it into that body (adding the request's `contextId`).
 */

export interface ErrorDetail {
  errorCode: string;
  fieldName: string;
}

export interface LimitInfo {
  namespace: string;
  key: string;
  value: number;
}

export interface ErrorExtra {
  entityId?: string;
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
    if (this.extra.entityId !== undefined) body.entityId = this.extra.entityId;
    if (this.extra.limit !== undefined) body.limit = this.extra.limit;
    return body;
  }
}

export function badRequest(message: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(400, "bad.request", message, { details });
}

export function invalidFields(details: ErrorDetail[]): ApiError {
  const names = details.map((d) => `${d.fieldName} (${d.errorCode})`).join(", ");
  return badRequest(`The request is invalid: ${names}`, details);
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

export function missingPermissions(scope: string): ApiError {
  return new ApiError(403, "missing.permissions", `Missing required permission: the token lacks the scope ${scope}`);
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
