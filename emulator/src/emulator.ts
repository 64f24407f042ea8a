/**
 * The emulator's HTTP server: the /api/v2 pipeline (faults, latency, auth, rate limit, routing,
 * scopes, handlers), the OAuth token endpoint and the /__emulator admin endpoints.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import * as http from "node:http";
import { AddressInfo, Socket } from "node:net";
import { ApiContext, ApiResult, ApiRoute, apiRouter } from "./api";
import { ConfigPatch, defaultConfig, EmulatorConfig, patchConfig } from "./config";
import { Dispatcher } from "./deliveries";
import {
  ApiError,
  badCredentials,
  badRequest,
  ErrorDetail,
  invalidFields,
  missingPermissions,
  tooManyRequests,
  transient,
} from "./errors";
import { FaultKind, Faults, parseFaultRequest } from "./faults";
import { RateLimiter } from "./ratelimit";
import { Router } from "./router";
import {
  applySeed,
  checkedSeed,
  primaryClient,
  readSeedFile,
  Seed,
  SeedQueue,
  upsertQueues,
  validateSeedQueues,
} from "./seed";
import { Stats } from "./stats";
import { Logger, Store } from "./store";
import { queueView } from "./views";

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Directory of the persistent data (created when missing). */
  dataDir: string;
  /** A seed object or the path of a seed JSON file. */
  seed?: Seed | string;
  /** Initial runtime config (merged into the defaults). */
  config?: ConfigPatch;
  /** Log sink (default: none). Lines never contain secrets or tokens. */
  log?: Logger;
  /** Log one line per request. */
  verbose?: boolean;
}

export interface EmulatorHandle {
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const TIMEOUT_HOLD_MS = 120_000;
const BEFORE_FAULTS: ReadonlySet<FaultKind> = new Set(["reset-before", "timeout-before"]);
const AFTER_FAULTS: ReadonlySet<FaultKind> = new Set(["reset-after", "timeout-after"]);
const FAULT_STATUS: Partial<Record<FaultKind, number>> = {
  status500: 500,
  status502: 502,
  status503: 503,
  status504: 504,
  status429: 429,
};

class BodyTooLarge extends Error {}
/** The client went away while its request body was being read: nothing to answer. */
class ClientGone extends Error {}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => reject(new ClientGone()));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined || status === 204) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  if (text.trim() === "") throw badRequest("The request body is empty; a JSON object is expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}

type AdminHandler = (ctx: { query: URLSearchParams; json(): unknown }) => ApiResult;

export class Emulator {
  config: EmulatorConfig;
  readonly stats = new Stats();
  readonly faults = new Faults();
  readonly rate = new RateLimiter();
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  private readonly api: Router<ApiRoute>;
  private readonly admin: Router<AdminHandler>;
  private readonly server: http.Server;
  private readonly held = new Set<Socket>();
  private readonly log: Logger;
  private readonly verbose: boolean;
  private readonly startedAt = new Date().toISOString();
  private closing: Promise<void> | null = null;
  url = "";

  constructor(opts: EmulatorOptions) {
    this.log = opts.log ?? (() => {});
    this.verbose = opts.verbose ?? false;
    const cfg = patchConfig(defaultConfig(), opts.config ?? {});
    if (Array.isArray(cfg)) throw new Error(`invalid config: ${describe(cfg)}`);
    this.config = cfg;
    const seed = typeof opts.seed === "string" ? readSeedFile(opts.seed) : opts.seed && checkedSeed(opts.seed);
    this.store = Store.open(opts.dataDir, this.log);
    try {
      applySeed(this.store, seed);
    } catch (e) {
      this.store.close();
      throw e;
    }
    this.dispatcher = new Dispatcher(
      () => this.config.webhookRetry,
      (id) => this.store.webhooks.has(id),
    );
    this.api = apiRouter(this.store, this.dispatcher);
    this.admin = this.adminRouter();
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => {
        if (e instanceof ClientGone) {
          req.socket.destroy();
          return;
        }
        this.log(`internal error: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) sendJson(res, 500, transient(500).body(randomUUID()));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  listen(port = 0): Promise<EmulatorHandle> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.dispatcher.close();
        this.store.close();
        reject(e);
      };
      let client: ReturnType<typeof primaryClient>;
      try {
        client = primaryClient(this.store);
      } catch (e) {
        return onError(e as Error);
      }
      this.server.once("error", onError);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", onError);
        const addr = this.server.address() as AddressInfo;
        this.url = `http://127.0.0.1:${addr.port}`;
        resolve({
          url: this.url,
          port: addr.port,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          close: () => this.close(),
        });
      });
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.dispatcher.close();
      for (const s of this.held) s.destroy();
      this.held.clear();
      this.server.close(() => {
        this.store.close();
        resolve();
      });
      this.server.closeIdleConnections();
      // Requests in progress are synchronous after their body is read; give them a moment.
      setTimeout(() => this.server.closeAllConnections(), 200).unref();
    });
    return this.closing;
  }

  // ---- dispatch ---------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (this.verbose) {
      res.on("finish", () => this.log(`${method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`));
    }
    if (path === "/__emulator" || path.startsWith("/__emulator/")) return this.onAdmin(req, res, method, path, url);
    if (path === "/oauth/token") return this.onToken(req, res, method);
    if (path === "/api/v2" || path.startsWith("/api/v2/")) return this.onApi(req, res, method, path, url);
    await readBody(req).catch(() => undefined);
    this.stats.record(method, "(unmatched)", 404);
    const contextId = randomUUID();
    sendJson(res, 404, new ApiError(404, "not.found", `No resource at ${method} ${path}`).body(contextId), {
      "ININ-Correlation-Id": contextId,
    });
  }

  // ---- /api/v2 ----------------------------------------------------------------------------

  private lookupToken(header: string | undefined) {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    const rec = this.store.tokens.get(hashToken(m[1]));
    if (!rec || rec.expiresAt <= Date.now()) return undefined;
    if (!this.store.clients.has(rec.clientId)) return undefined;
    return rec;
  }

  private async onApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, url: URL) {
    const contextId = randomUUID();
    res.setHeader("ININ-Correlation-Id", contextId);
    const match = this.api.match(method, path);
    const template = match.kind === "none" ? "(unmatched)" : match.template;

    let raw: Buffer | undefined;
    let bodyError: ApiError | undefined;
    try {
      raw = await readBody(req);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      bodyError = badRequest(`The request body exceeds ${MAX_BODY} bytes.`);
      res.setHeader("Connection", "close");
    }

    const token = this.lookupToken(req.headers.authorization);
    const rate = this.rate.hit(token ? token.hash : "anonymous", this.config.requestsPerMinute);
    res.setHeader("inin-ratelimit-count", String(rate.count));
    res.setHeader("inin-ratelimit-allowed", String(rate.allowed));
    res.setHeader("inin-ratelimit-reset", String(rate.resetSeconds));

    const fault = this.faults.take(method, template, path) ?? this.faults.roll(this.config.faults);
    if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);

    if (fault && BEFORE_FAULTS.has(fault)) {
      this.stats.record(method, template, fault === "reset-before" ? "RESET" : "TIMEOUT", "fault");
      return fault === "reset-before" ? this.reset(req) : this.hold(req);
    }
    const faultStatus = fault ? FAULT_STATUS[fault] : undefined;
    let result: ApiResult;
    let marker: string | undefined;
    if (faultStatus !== undefined) {
      const err = faultStatus === 429 ? tooManyRequests(1) : transient(faultStatus);
      result = this.errorResult(err, res, contextId);
      marker = "fault";
    } else {
      try {
        if (bodyError) throw bodyError;
        if (!token) throw badCredentials();
        if (rate.limited) throw tooManyRequests(rate.resetSeconds);
        if (match.kind === "none") throw new ApiError(404, "not.found", `No resource at ${method} ${path}`);
        if (match.kind === "method") {
          throw new ApiError(405, "method.not.allowed", `${method} is not allowed on ${match.template}`, {
            headers: { Allow: match.allowed.join(", ") },
          });
        }
        const route = match.handler;
        if (!token.scopes.includes(route.scope)) throw missingPermissions(route.scope);
        let parsed: { v: unknown } | undefined;
        const ctx: ApiContext = {
          params: match.params,
          query: url.searchParams,
          token,
          json: () => (parsed ??= { v: parseJson(raw ?? Buffer.alloc(0)) }).v,
        };
        result = route.handle(ctx);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        result = this.errorResult(e, res, contextId);
      }
    }

    if (fault && AFTER_FAULTS.has(fault)) {
      const outcome = fault === "reset-after" ? "RESET" : "TIMEOUT";
      this.stats.record(method, template, outcome, `fault-after:${result.status}`);
      return fault === "reset-after" ? this.reset(req) : this.hold(req);
    }
    this.stats.record(method, template, result.status, marker);
    sendJson(res, result.status, result.body);
  }

  private errorResult(e: ApiError, res: http.ServerResponse, contextId: string): ApiResult {
    for (const [k, v] of Object.entries(e.extra.headers ?? {})) res.setHeader(k, v);
    return { status: e.status, body: e.body(contextId) };
  }

  private reset(req: http.IncomingMessage): void {
    const s = req.socket;
    if (typeof s.resetAndDestroy === "function") s.resetAndDestroy();
    else s.destroy();
  }

  private hold(req: http.IncomingMessage): void {
    const s = req.socket;
    this.held.add(s);
    const t = setTimeout(() => s.destroy(), TIMEOUT_HOLD_MS);
    t.unref();
    s.once("close", () => {
      clearTimeout(t);
      this.held.delete(s);
    });
  }

  // ---- OAuth ------------------------------------------------------------------------------

  private async onToken(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    const headers = { "Cache-Control": "no-store", Pragma: "no-cache" };
    const fail = (status: number, error: string, description: string, extra: Record<string, string> = {}) => {
      this.stats.record(method, "/oauth/token", status);
      sendJson(res, status, { error, error_description: description }, { ...headers, ...extra });
    };
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      res.setHeader("Connection", "close");
      return fail(400, "invalid_request", "request body too large");
    }
    if (method !== "POST")
      return fail(405, "invalid_request", "the token endpoint only accepts POST", { Allow: "POST" });

    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      return fail(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const form = new URLSearchParams(raw.toString("utf8"));
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

    const grant = form.get("grant_type");
    if (grant === null || grant === "") return fail(400, "invalid_request", "missing grant_type");
    if (grant !== "client_credentials") {
      return fail(400, "unsupported_grant_type", `grant_type ${grant.slice(0, 64)} is not supported`);
    }

    const challenge: Record<string, string> = usedBasic ? { "WWW-Authenticate": 'Basic realm="genesys-emulator"' } : {};
    if (!clientId || clientSecret === undefined) {
      return fail(401, "invalid_client", "client authentication required", challenge);
    }
    const client = this.store.clients.get(clientId);
    if (!client || !safeEqual(client.clientSecret, clientSecret)) {
      return fail(401, "invalid_client", "client authentication failed", challenge);
    }

    const token = randomBytes(32).toString("base64url");
    const lifetime = this.config.tokenLifetimeSeconds;
    this.store.putToken({
      hash: hashToken(token),
      clientId: client.clientId,
      scopes: [...client.scopes],
      expiresAt: Date.now() + lifetime * 1000,
    });
    this.stats.record(method, "/oauth/token", 200);
    sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: lifetime }, headers);
  }

  // ---- /__emulator ------------------------------------------------------------------------

  private async onAdmin(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, url: URL) {
    const contextId = randomUUID();
    let result: ApiResult;
    try {
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        throw badRequest("request body too large");
      }
      const match = this.admin.match(method, path);
      if (match.kind === "none") throw new ApiError(404, "not.found", `No admin resource at ${method} ${path}`);
      if (match.kind === "method") {
        throw new ApiError(405, "method.not.allowed", `${method} is not allowed on ${match.template}`, {
          headers: { Allow: match.allowed.join(", ") },
        });
      }
      result = match.handler({ query: url.searchParams, json: () => parseJson(raw) });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      result = this.errorResult(e, res, contextId);
    }
    sendJson(res, result.status, result.body);
  }

  private adminRouter(): Router<AdminHandler> {
    const r = new Router<AdminHandler>();
    const ok = (body: unknown): ApiResult => ({ status: 200, body });
    r.add("GET", "/__emulator/health", () =>
      ok({ status: "ok", url: this.url, startedAt: this.startedAt, dataCreatedAt: this.store.createdAt }),
    );
    r.add("GET", "/__emulator/stats", () => ok(this.stats.snapshot()));
    r.add("POST", "/__emulator/stats/reset", () => {
      this.stats.reset();
      return ok(this.stats.snapshot());
    });
    r.add("GET", "/__emulator/config", () => ok(this.config));
    r.add("PUT", "/__emulator/config", ({ json }) => {
      const next = patchConfig(this.config, json());
      if (Array.isArray(next)) throw invalidFields(next);
      this.config = next;
      return ok(this.config);
    });
    r.add("GET", "/__emulator/faults", () => ok({ pending: this.faults.list() }));
    r.add("DELETE", "/__emulator/faults", () => {
      this.faults.clear();
      return ok({ pending: [] });
    });
    r.add("POST", "/__emulator/faults/next", ({ json }) => {
      const f = parseFaultRequest(json());
      if (Array.isArray(f)) throw invalidFields(f);
      this.faults.add(f);
      return ok({ pending: this.faults.list() });
    });
    r.add("POST", "/__emulator/ratelimit/reset", () => {
      this.rate.clear();
      return ok({ reset: true });
    });
    r.add("GET", "/__emulator/deliveries", ({ query }) =>
      ok({
        attempts: this.dispatcher.attempts({
          webhookId: query.get("webhookId") ?? undefined,
          deliveryId: query.get("deliveryId") ?? undefined,
        }),
      }),
    );
    r.add("DELETE", "/__emulator/deliveries", () => {
      this.dispatcher.clearLog();
      return ok({ attempts: [] });
    });
    r.add("POST", "/__emulator/seed/queues", ({ json }) => {
      const body = json() as { queues?: unknown; queueCount?: unknown };
      const d: ErrorDetail[] = [];
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw invalidFields([{ errorCode: "invalid.type", fieldName: "(body)" }]);
      }
      if (body.queues !== undefined) d.push(...validateSeedQueues(body.queues, "queues"));
      const n = body.queueCount;
      if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 10_000)) {
        d.push({ errorCode: "invalid.value", fieldName: "queueCount" });
      }
      if (d.length > 0) throw invalidFields(d);
      let queues;
      try {
        queues = upsertQueues(this.store, (body.queues as SeedQueue[]) ?? [], (n as number) ?? 0, true);
      } catch (e) {
        throw new ApiError(409, "general.conflict", (e as Error).message);
      }
      return ok({ queues: queues.map(queueView) });
    });
    return r;
  }
}

function describe(details: ErrorDetail[]): string {
  return details.map((d) => `${d.fieldName} (${d.errorCode})`).join(", ");
}

/** Starts an emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions): Promise<EmulatorHandle> {
  const emulator = new Emulator(opts);
  return emulator.listen(opts.port ?? 0);
}
