/**
 * The OAuth token endpoint (client credentials), the same on both profiles except for the platform's
 * token-request limit: over `tokenRequestsPerMinute` (or when a `token-rate-limit` fault is queued) the
 * platform answers 400 `invalid_request` "rate limit exceeded; retry in <n> seconds", without Retry-After.
 */
import * as http from "node:http";
import { hashToken, newToken, safeEqual } from "./auth";
import { TOKEN_ROUTE } from "./faults";
import { Body, sendJson } from "./http";
import { ServerParts } from "./parts";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

export function handleToken(
  parts: ServerParts,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  body: Body,
): void {
  let marker: string | undefined;
  const fail = (status: number, error: string, description: string, extra: Record<string, string> = {}) => {
    parts.stats.record(method, TOKEN_ROUTE, status, marker);
    sendJson(res, status, { error, error_description: description }, { ...NO_STORE, ...extra });
  };
  if (body.tooLarge) {
    res.setHeader("Connection", "close");
    return fail(400, "invalid_request", "request body too large");
  }
  if (method !== "POST") return fail(405, "invalid_request", "the token endpoint only accepts POST", { Allow: "POST" });

  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    return fail(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(body.raw.toString("utf8"));
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) return fail(400, "invalid_request", `parameter ${key} is repeated`);
  }

  let clientId: string | undefined;
  let clientSecret: string | undefined;
  let usedBasic = false;
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth);
    const decoded = m ? Buffer.from(m[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (!m || colon < 1) return fail(400, "invalid_request", "malformed Basic authorization header");
    if (form.has("client_secret")) {
      return fail(400, "invalid_request", "use either Basic authentication or client_secret, not both");
    }
    clientId = decoded.slice(0, colon);
    clientSecret = decoded.slice(colon + 1);
    usedBasic = true;
    const formId = form.get("client_id");
    if (formId !== null && formId !== clientId) {
      return fail(400, "invalid_request", "client_id does not match the Basic authorization header");
    }
  } else {
    clientId = form.get("client_id") ?? undefined;
    clientSecret = form.get("client_secret") ?? undefined;
  }

  // The platform limits token requests per client (counted whatever their outcome, like API requests).
  const fault = parts.faults.take("token", method, TOKEN_ROUTE, TOKEN_ROUTE);
  let retryIn: number | undefined;
  if (fault === "token-rate-limit") {
    retryIn = 1;
    marker = "fault";
  }
  const perMinute = parts.config.tokenRequestsPerMinute;
  if (parts.profile.limitsTokenRequests && perMinute > 0) {
    const w = parts.tokenRate.hit(clientId ?? "anonymous", perMinute);
    if (w.limited) retryIn ??= w.resetSeconds;
  }
  if (retryIn !== undefined) {
    return fail(400, "invalid_request", `rate limit exceeded; retry in ${retryIn} seconds`);
  }

  const grant = form.get("grant_type");
  if (grant === null || grant === "") return fail(400, "invalid_request", "missing grant_type");
  if (grant !== "client_credentials") {
    return fail(400, "unsupported_grant_type", `grant_type ${grant.slice(0, 64)} is not supported`);
  }

  const challenge: Record<string, string> = usedBasic ? { "WWW-Authenticate": 'Basic realm="genesys-emulator"' } : {};
  if (!clientId || clientSecret === undefined) {
    return fail(401, "invalid_client", "client authentication required", challenge);
  }
  const client = parts.store.clients.get(clientId);
  if (!client || !safeEqual(client.clientSecret, clientSecret)) {
    return fail(401, "invalid_client", "client authentication failed", challenge);
  }

  const token = newToken();
  const lifetime = parts.config.tokenLifetimeSeconds;
  parts.store.putToken({
    hash: hashToken(token),
    clientId: client.clientId,
    scopes: [...client.scopes],
    permissions: [...(client.permissions ?? [])],
    expiresAt: Date.now() + lifetime * 1000,
  });
  parts.stats.record(method, TOKEN_ROUTE, 200);
  sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: lifetime }, NO_STORE);
}
