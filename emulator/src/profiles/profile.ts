/**
 * The seam between the shared server and a profile (the API it serves). The server runs the pipeline
 * (faults, latency, auth, rate limit, routing) and asks the profile for its routes and for the few answers
 * that differ between the tutorial's API and the platform's.
 */
import { EmulatorConfig } from "../config";
import { ApiError, ErrorDetail } from "../errors";
import { Client, ProfileName, Queue, TokenRecord } from "../model";
import { AdminHandler, ApiRoute } from "../route";
import { Router } from "../router";
import { Seed } from "../seed";
import { Journal, Logger, Store, StoreSection } from "../store";

export interface ProfileContext {
  store: Store;
  config(): EmulatorConfig;
  log: Logger;
}

/** Delivery attempts of webhooks (the tutorial's); the platform has none. */
export interface DeliveryLog {
  attempts(filter: { webhookId?: string; deliveryId?: string }): unknown[];
  clear(): void;
}

/** A started profile. */
export interface Profile {
  readonly name: ProfileName;
  readonly routes: Router<ApiRoute>;
  /** Whether API answers carry `inin-ratelimit-*` headers (the platform removed them in 2021). */
  readonly rateLimitHeaders: boolean;
  /** Whether the token endpoint enforces `tokenRequestsPerMinute`. */
  readonly limitsTokenRequests: boolean;
  /** Throws 403 when the token lacks what the route requires. */
  authorize(token: TokenRecord, requires: string): void;
  /** The answer to an API request body over `limit` bytes. */
  bodyTooLarge(limit: number): ApiError;
  /** The JSON body of an API request. */
  parseBody(raw: Buffer, contentType: string | undefined): unknown;
  /** The profile's own admin routes. */
  addAdminRoutes(r: Router<AdminHandler>): void;
  /** Called after `POST /__emulator/seed/queues` wrote queues. */
  queuesSeeded(queues: Queue[]): void;
  /** A queue as `GET /api/v2/routing/queues/{queueId}` answers it. */
  queueView(q: Queue): unknown;
  readonly deliveries: DeliveryLog;
  close(): void;
}

/** A profile before it is started: its journal section and its seed. */
export interface ProfileDefinition {
  readonly name: ProfileName;
  /** Seed keys of this profile beside `clients`, `queues`, `queueCount`. */
  readonly seedKeys: readonly string[];
  section(journal: Journal): StoreSection;
  validateSeed(seed: Record<string, unknown>): ErrorDetail[];
  /** Writes the profile's part of the seed after the shared part (fresh: the whole default). */
  applySeed(store: Store, seed: Seed | undefined, fresh: boolean): void;
  /** Whether the client holds every grant of this profile (the ready line names the first such client). */
  isFullClient(c: Client): boolean;
  start(ctx: ProfileContext): Profile;
}
