/** A field-level validation failure as the platform reports it in `details`. */
export interface FieldError {
  /** Machine-readable reason, e.g. `field.invalid`. */
  readonly errorCode?: string;
  /** The wire field that failed, e.g. `codeName`. */
  readonly fieldName?: string;
  /** Human-readable explanation, when the server gives one. */
  readonly message?: string;
  /** The entity the failure concerns, when one is meant. */
  readonly entityId?: string;
}

/** The quota a `limit.exceeded` answer refers to. */
export interface LimitInfo {
  readonly namespace?: string;
  readonly key?: string;
  readonly value?: number;
}

/** Everything a {@link GenesysApiError} carries; the message is derived from it. */
export interface GenesysApiErrorInit {
  /** HTTP status, or 0 when no response arrived (network failure). */
  readonly status: number;
  /** The server's error code (`general.conflict`), or `network.<CODE>` for network failures. */
  readonly code: string;
  /** The server's `message`, or the network error's description. */
  readonly serverMessage?: string;
  /** Correlation id from the body or the `ININ-Correlation-Id` header; platform support asks for it. */
  readonly contextId?: string;
  /** The entity the error is about, e.g. the existing code on a 409. */
  readonly entityId?: string;
  /** Field errors from `details`. */
  readonly details?: readonly FieldError[];
  /** The quota that was hit, for `limit.exceeded`. */
  readonly limit?: LimitInfo;
  /** HTTP method of the failed call. */
  readonly method: string;
  /** URL of the failed call, with secret-looking query values redacted. */
  readonly url: string;
  /** HTTP attempts made, including retries. */
  readonly attempts: number;
}

/** A configuration mistake detected before any request (unknown region, insecure URL, missing credentials). */
export class GenesysConfigError extends Error {
  override readonly name = "GenesysConfigError";
}

/**
 * The one error a Genesys API call fails with: an HTTP error answer, or a network failure after the retries
 * ran out (status 0, code `network.<CODE>`). It never holds the Authorization header, a token or a secret.
 */
export class GenesysApiError extends Error {
  override readonly name: string = "GenesysApiError";
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The server's error code, or `network.<CODE>`. */
  readonly code: string;
  /** The server's own message. */
  readonly serverMessage?: string;
  /** Correlation id for platform support. */
  readonly contextId?: string;
  /** The entity the error is about (on 409: the existing object's id). */
  readonly entityId?: string;
  /** Field errors. */
  readonly details: readonly FieldError[];
  /** The quota that was hit, for `limit.exceeded`. */
  readonly limit?: LimitInfo;
  /** HTTP method of the failed call. */
  readonly method: string;
  /** URL of the failed call, secrets redacted. */
  readonly url: string;
  /** HTTP attempts made, including retries. */
  readonly attempts: number;

  constructor(init: GenesysApiErrorInit, message: string = formatApiErrorMessage(init)) {
    super(message);
    this.status = init.status;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
    this.contextId = init.contextId;
    this.entityId = init.entityId;
    this.details = init.details ?? [];
    this.limit = init.limit;
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
  }
}

/**
 * The token endpoint refused or could not be reached. `error` and `errorDescription` are the OAuth fields
 * (`invalid_client`, …); it is a {@link GenesysApiError} so callers catch one class.
 */
export class GenesysAuthError extends GenesysApiError {
  override readonly name: string = "GenesysAuthError";
  /** OAuth `error` (`invalid_client`, `invalid_request`, …) or `network.<CODE>`. */
  readonly error: string;
  /** OAuth `error_description`, with the client secret scrubbed should a server ever echo it. */
  readonly errorDescription?: string;
  /** The OAuth client id the token was requested for (not a secret). */
  readonly clientId: string;

  constructor(init: Omit<GenesysApiErrorInit, "method"> & { readonly clientId: string }) {
    super({ ...init, method: "POST" }, formatAuthErrorMessage({ ...init, method: "POST" }));
    this.error = init.code;
    this.errorDescription = init.serverMessage;
    this.clientId = init.clientId;
  }
}

/** `POST /api/v2/routing/wrapupcodes failed: 409 general.conflict: <message> (entityId 1, contextId c) — hint`. */
export function formatApiErrorMessage(init: GenesysApiErrorInit): string {
  const status = init.status > 0 ? `${init.status} ` : "";
  const what = init.serverMessage ? `${status}${init.code}: ${init.serverMessage}` : `${status}${init.code}`;
  // Field errors the server's message does not already name.
  const fields = (init.details ?? [])
    .filter((detail) => detail.fieldName || detail.errorCode)
    .filter((detail) => !(detail.fieldName && init.serverMessage?.includes(detail.fieldName)))
    .map((detail) => [detail.fieldName, detail.errorCode && `(${detail.errorCode})`].filter(Boolean).join(" "));
  const facts = [
    init.entityId && `entityId ${init.entityId}`,
    init.contextId && `contextId ${init.contextId}`,
    init.attempts > 1 && `after ${init.attempts} attempts`,
  ].filter(Boolean);
  const hint = hintFor(init.status, init.code, init.limit);
  return (
    `${init.method} ${pathOf(init.url)} failed: ${what}` +
    (fields.length > 0 ? `; fields: ${fields.join(", ")}` : "") +
    (facts.length > 0 ? ` (${facts.join(", ")})` : "") +
    (hint ? ` — ${hint}` : "")
  );
}

function formatAuthErrorMessage(init: GenesysApiErrorInit & { readonly clientId: string }): string {
  const status = init.status > 0 ? `${init.status} ` : "";
  const description = init.serverMessage ? `: ${init.serverMessage}` : "";
  const facts = [`clientId ${init.clientId}`, init.contextId && `contextId ${init.contextId}`].filter(Boolean);
  const hint =
    init.status === 401 || init.code === "invalid_client"
      ? " — check the OAuth client id and secret, and that the client uses the Client Credentials grant in this region"
      : "";
  return `OAuth token request to ${init.url} failed: ${status}${init.code}${description} (${facts.join(", ")})${hint}`;
}

/** What the user can do about an error, in a few words; undefined when there is nothing specific to say. */
export function hintFor(status: number, code: string, limit?: LimitInfo): string | undefined {
  if (status === 401) return "the token was rejected twice; check the OAuth client and its region";
  if (status === 403) {
    return "grant the OAuth client's role the permission named above (Admin > Roles/Permissions), then run again";
  }
  if (status === 409 || code === "duplicate.name") {
    return 'an object with that name already exists; set onConflict: "adopt" to manage it, or choose another name';
  }
  if (status === 429) return "rate limited until the deadline; lower requestsPerSecond or raise deadlineMs";
  if (limit?.key !== undefined || code === "limit.exceeded") {
    const which = limit?.key ? ` (${limit.namespace ? `${limit.namespace}/` : ""}${limit.key}` : "";
    const value = limit?.value !== undefined ? ` = ${limit.value})` : which ? ")" : "";
    return `a platform limit${which}${value} was reached; remove codes or ask Genesys to raise the limit`;
  }
  if (status === 0) return "the API could not be reached; check apiUrl/region and the network";
  return undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
