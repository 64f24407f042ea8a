/** What the request handlers (API pipeline, OAuth, admin) share of a running emulator. */
import { EmulatorConfig } from "./config";
import { Faults } from "./faults";
import { HeldSockets } from "./http";
import { Profile } from "./profiles/profile";
import { RateLimiter } from "./ratelimit";
import { Stats } from "./stats";
import { Logger, Store } from "./store";

export interface ServerParts {
  readonly store: Store;
  readonly profile: Profile;
  readonly stats: Stats;
  readonly faults: Faults;
  /** Per-token windows of /api/v2 requests. */
  readonly rate: RateLimiter;
  /** Per-client windows of token requests (platform `tokenRequestsPerMinute`). */
  readonly tokenRate: RateLimiter;
  readonly held: HeldSockets;
  readonly config: EmulatorConfig;
  readonly log: Logger;
  readonly url: string;
  readonly startedAt: string;
  setConfig(next: EmulatorConfig): void;
}
