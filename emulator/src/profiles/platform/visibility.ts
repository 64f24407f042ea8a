/**
 * Eventual consistency of reads (config `consistencyLagMs`): reads see the codes as they existed `lagMs` ago
 * — a code created less than `lagMs` ago is not there yet; one deleted less than `lagMs` ago still is, as it
 * was. Writes (PUT, DELETE, membership, name uniqueness) always see the current state.
 */
import { PlatformCode } from "./model";

export type SeenState = "absent" | "active" | "deleted";

export function seenState(c: PlatformCode, now: number, lagMs: number): SeenState {
  if (lagMs <= 0) return c.state;
  if (now - Date.parse(c.dateCreated) < lagMs) return "absent";
  if (c.state === "deleted" && c.dateDeleted !== undefined && now - Date.parse(c.dateDeleted) < lagMs) return "active";
  return c.state;
}
