import type { GenesysClientOptions } from "../../client/options";
import type { ApiProfile } from "../seam";
import { codeTraits } from "../traits";
import { PlatformApi } from "./api";
import { PlatformCodes } from "./codes";
import { RecentWrites } from "./consistency";
import { QueueListings } from "./listings";
import { PlatformMembership, type MembershipOptions } from "./membership";
import { StackWebhooks } from "./webhooks";

export { PlatformApi, PLATFORM_PAGE_SIZE, MEMBERSHIP_BATCH, isNameConflict } from "./api";
export { CONSISTENCY_WINDOW_MS } from "./consistency";
export type { MembershipOptions } from "./membership";
export type * from "./wire-types";

/** The public Genesys Cloud Platform API (`shared/spec/platform-api.md`). */
export function platformProfile(
  client: GenesysClientOptions,
  membership: MembershipOptions,
): ApiProfile & { api: PlatformApi } {
  const api = new PlatformApi(client);
  const recent = new RecentWrites();
  const listings = new QueueListings(api);
  return {
    traits: codeTraits("platform"),
    codes: new PlatformCodes(api, recent, listings),
    membership: new PlatformMembership(api, recent, listings, membership),
    webhooks: new StackWebhooks(),
    divisions: {
      list: async () => {
        const call = await api.listDivisions();
        return { ...call, body: call.body.map(({ id, name }) => ({ id, name })) };
      },
    },
    api,
  };
}
