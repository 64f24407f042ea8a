/** What the platform routes share: the store, the profile's data, the live config. */
import { EmulatorConfig } from "../../../config";
import { Store } from "../../../store";
import { PlatformData } from "../data";
import { PlatformCode } from "../model";
import { seenState } from "../visibility";
import { codeView } from "../views";

export interface PlatformEnv {
  readonly shared: Store;
  readonly data: PlatformData;
  config(): EmulatorConfig;
}

export function view(env: PlatformEnv) {
  return (c: PlatformCode) => codeView(c, env.data.divisions);
}

/** The codes a read sees now (config `consistencyLagMs`), among `candidates` (all codes when lag is on). */
export function visibleCodes(env: PlatformEnv, activeNow: () => PlatformCode[], all: () => PlatformCode[]) {
  const lag = env.config().consistencyLagMs;
  if (lag <= 0) return activeNow();
  const now = Date.now();
  return all().filter((c) => seenState(c, now, lag) === "active");
}
