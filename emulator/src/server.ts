/**
 * The emulator's lifecycle and request dispatch: one loopback HTTP server; every request body is read once
 * (with the size limit of its area) and handed to the /api/v2 pipeline, the OAuth token endpoint or the
 * /__emulator admin routes; anything else is 404.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { adminRouter } from "./admin";
import { ConfigPatch, defaultConfig, EmulatorConfig, patchConfig } from "./config";
import { ApiError, badRequest, describeDetails, noRoute, transient } from "./errors";
import { Faults } from "./faults";
import { Body, ClientGone, HeldSockets, MAX_ADMIN_BODY, MAX_API_BODY, parseJson, readBody, sendJson } from "./http";
import { PROFILE_NAMES, ProfileName } from "./model";
import { handleToken } from "./oauth";
import { ServerParts } from "./parts";
import { errorResult, handleApi } from "./pipeline";
import { platformProfile } from "./profiles/platform";
import { Profile, ProfileDefinition } from "./profiles/profile";
import { tutorialProfile } from "./profiles/tutorial";
import { RateLimiter } from "./ratelimit";
import { AdminHandler, ApiResult } from "./route";
import { Router } from "./router";
import { applySharedSeed, checkedSeed, primaryClient, readSeedFile, Seed } from "./seed";
import { Stats } from "./stats";
import { Logger, Store } from "./store";

export const PROFILES: Record<ProfileName, ProfileDefinition> = {
  platform: platformProfile,
  tutorial: tutorialProfile,
};

/** The profile an emulator serves when none is named. */
export const DEFAULT_PROFILE: ProfileName = "platform";

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Directory of the persistent data (created when missing). */
  dataDir: string;
  /** The API served (default `platform`). A data dir keeps the profile it was created with. */
  profile?: ProfileName;
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
  profile: ProfileName;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export class Emulator implements ServerParts {
  config: EmulatorConfig;
  readonly stats = new Stats();
  readonly faults = new Faults();
  readonly rate = new RateLimiter();
  readonly tokenRate = new RateLimiter();
  readonly held = new HeldSockets();
  readonly store: Store;
  readonly profile: Profile;
  readonly log: Logger;
  readonly startedAt = new Date().toISOString();
  url = "";
  private readonly definition: ProfileDefinition;
  private readonly admin: Router<AdminHandler>;
  private readonly server: http.Server;
  private readonly verbose: boolean;
  private closing: Promise<void> | null = null;

  constructor(opts: EmulatorOptions) {
    this.log = opts.log ?? (() => {});
    this.verbose = opts.verbose ?? false;
    const name = opts.profile ?? DEFAULT_PROFILE;
    if (!PROFILE_NAMES.includes(name)) throw new Error(`unknown profile ${String(name)}: use platform or tutorial`);
    this.definition = PROFILES[name];
    const cfg = patchConfig(defaultConfig(), opts.config ?? {});
    if (Array.isArray(cfg)) throw new Error(`invalid config: ${describeDetails(cfg)}`);
    this.config = cfg;
    const seed =
      typeof opts.seed === "string"
        ? readSeedFile(opts.seed, this.definition)
        : opts.seed && checkedSeed(opts.seed, this.definition);
    this.store = Store.open(opts.dataDir, this.log, name, this.definition.section);
    try {
      const fresh = this.store.fresh;
      applySharedSeed(this.store, seed, fresh);
      this.definition.applySeed(this.store, seed, fresh);
      this.store.fresh = false;
    } catch (e) {
      this.store.close();
      throw e;
    }
    this.profile = this.definition.start({ store: this.store, config: () => this.config, log: this.log });
    this.admin = adminRouter(this);
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

  setConfig(next: EmulatorConfig): void {
    this.config = next;
  }

  listen(port = 0): Promise<EmulatorHandle> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.profile.close();
        this.store.close();
        reject(e);
      };
      let client: ReturnType<typeof primaryClient>;
      try {
        client = primaryClient(this.store, this.definition.isFullClient);
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
          profile: this.profile.name,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          close: () => this.close(),
        });
      });
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.profile.close();
      this.held.destroyAll();
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

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (this.verbose) {
      res.on("finish", () => this.log(`${method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`));
    }
    const admin = path === "/__emulator" || path.startsWith("/__emulator/");
    const body = await readBody(req, admin ? MAX_ADMIN_BODY : MAX_API_BODY);
    if (admin) return this.onAdmin(res, method, path, url, body);
    if (path === "/oauth/token") return handleToken(this, req, res, method, body);
    if (path === "/api/v2" || path.startsWith("/api/v2/")) return handleApi(this, req, res, method, path, url, body);
    this.stats.record(method, "(unmatched)", 404);
    const contextId = randomUUID();
    sendJson(res, 404, noRoute({ kind: "none" }, method, path).body(contextId), { "ININ-Correlation-Id": contextId });
  }

  private onAdmin(res: http.ServerResponse, method: string, path: string, url: URL, body: Body): void {
    let result: ApiResult;
    try {
      if (body.tooLarge) throw badRequest(`request body over ${body.limit} bytes`);
      const match = this.admin.match(method, path);
      if (match.kind !== "found") throw noRoute(match, method, path);
      const raw = body.raw;
      result = match.handler({ query: url.searchParams, json: () => parseJson(raw) });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      result = errorResult(e, res, randomUUID());
    }
    sendJson(res, result.status, result.body);
  }
}

/** Starts an emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions): Promise<EmulatorHandle> {
  const emulator = new Emulator(opts);
  return emulator.listen(opts.port ?? 0);
}
