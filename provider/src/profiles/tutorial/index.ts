import type { GenesysClientOptions } from "../../client/options";
import type { DispositionMatrix } from "../../matrix";
import type { ApiProfile } from "../seam";
import { codeTraits } from "../traits";
import { TutorialApi } from "./api";
import { TutorialCodes } from "./codes";
import { TutorialMembership } from "./membership";
import { TutorialWebhooks } from "./webhooks";

export { TutorialApi } from "./api";
export type * from "./wire-types";
export { webhookFromWire, webhookToWire } from "./webhooks";

/** The tutorial's API (its contract, `shared/spec/api-contract.md`): every field of a code lives on the platform. */
export function tutorialProfile(
  client: GenesysClientOptions,
  matrix: DispositionMatrix,
): ApiProfile & { api: TutorialApi } {
  const api = new TutorialApi(client);
  return {
    traits: codeTraits("tutorial"),
    codes: new TutorialCodes(api, matrix),
    membership: new TutorialMembership(api),
    webhooks: new TutorialWebhooks(api),
    // The tutorial's API has no divisions.
    divisions: { list: async () => ({ body: [], status: 200, attempts: 0, latencyMs: 0 }) },
    api,
  };
}
