/**
 * The /api/v2 pipeline, the same for both profiles: faults → latency → body size → token → rate limit →
 * route (404/405) → the profile's permission check → the route's handler. Every request is counted once in
 * the stats; `ININ-Correlation-Id` is on every answer.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { lookupToken } from "./auth";
import { ApiError, badCredentials, noRoute, tooManyRequests, transient } from "./errors";
import { FaultKind } from "./faults";
import { Body, resetSocket, sendJson, sleep } from "./http";
import { ServerParts } from "./parts";
import { ApiContext, ApiResult } from "./route";

const BEFORE_FAULTS: ReadonlySet<FaultKind> = new Set(["reset-before", "timeout-before"]);
const AFTER_FAULTS: ReadonlySet<FaultKind> = new Set(["reset-after", "timeout-after"]);
const FAULT_STATUS: Partial<Record<FaultKind, number>> = {
  status500: 500,
  status502: 502,
  status503: 503,
  status504: 504,
  status429: 429,
};

/** Sets the error's headers and returns its answer. */
export function errorResult(e: ApiError, res: http.ServerResponse, contextId: string): ApiResult {
  for (const [k, v] of Object.entries(e.extra.headers ?? {})) res.setHeader(k, v);
  return { status: e.status, body: e.body(contextId) };
}

export async function handleApi(
  parts: ServerParts,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  path: string,
  url: URL,
  body: Body,
): Promise<void> {
  const { profile, stats, config } = parts;
  const contextId = randomUUID();
  res.setHeader("ININ-Correlation-Id", contextId);
  const match = profile.routes.match(method, path);
  const template = match.kind === "none" ? "(unmatched)" : match.template;

  const token = lookupToken(parts.store, req.headers.authorization);
  const rate = parts.rate.hit(token ? token.hash : "anonymous", config.requestsPerMinute);
  if (profile.rateLimitHeaders) {
    res.setHeader("inin-ratelimit-count", String(rate.count));
    res.setHeader("inin-ratelimit-allowed", String(rate.allowed));
    res.setHeader("inin-ratelimit-reset", String(rate.resetSeconds));
  }

  const fault = parts.faults.take("api", method, template, path) ?? parts.faults.roll(config.faults);
  if (config.latencyMs > 0) await sleep(config.latencyMs);

  if (fault && BEFORE_FAULTS.has(fault)) {
    stats.record(method, template, fault === "reset-before" ? "RESET" : "TIMEOUT", "fault");
    if (fault === "reset-before") resetSocket(req);
    else parts.held.hold(req);
    return;
  }
  const faultStatus = fault ? FAULT_STATUS[fault] : undefined;
  let result: ApiResult;
  let marker: string | undefined;
  if (faultStatus !== undefined) {
    const err = faultStatus === 429 ? tooManyRequests(1) : transient(faultStatus);
    result = errorResult(err, res, contextId);
    marker = "fault";
  } else {
    try {
      if (body.tooLarge) {
        res.setHeader("Connection", "close");
        throw profile.bodyTooLarge(body.limit);
      }
      if (!token) throw badCredentials();
      if (rate.limited) throw tooManyRequests(rate.resetSeconds);
      if (match.kind !== "found") throw noRoute(match, method, path);
      const route = match.handler;
      if (route.requires !== undefined) profile.authorize(token, route.requires);
      let parsed: { v: unknown } | undefined;
      const raw = body.raw;
      const ctx: ApiContext = {
        params: match.params,
        query: url.searchParams,
        token,
        json: () => (parsed ??= { v: profile.parseBody(raw, req.headers["content-type"]) }).v,
      };
      result = route.handle(ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      result = errorResult(e, res, contextId);
    }
  }

  if (fault && AFTER_FAULTS.has(fault)) {
    stats.record(method, template, fault === "reset-after" ? "RESET" : "TIMEOUT", `fault-after:${result.status}`);
    if (fault === "reset-after") resetSocket(req);
    else parts.held.hold(req);
    return;
  }
  stats.record(method, template, result.status, marker);
  sendJson(res, result.status, result.body);
}
