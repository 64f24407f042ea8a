/**
 * The tutorial profile: the API of `/work/shared/spec/api-contract.md` (codes with a queue, category, tags and
 * validity; scopes; analytics event webhooks with signed deliveries; `inin-ratelimit-*` headers).
 */
import { ApiError, badRequest } from "../../errors";
import { parseJson } from "../../http";
import { Client } from "../../model";
import { ProfileDefinition } from "../profile";
import { TutorialData } from "./data";
import { Dispatcher } from "./deliveries";
import { ALL_SCOPES } from "./model";
import { tutorialRouter } from "./routes";
import { applyTutorialSeed, validateTutorialSeed } from "./seed";
import { queueView } from "./views";

export const tutorialProfile: ProfileDefinition = {
  name: "tutorial",
  seedKeys: ["dispositionMatrix"],
  section: (journal) => new TutorialData(journal),
  validateSeed: validateTutorialSeed,
  applySeed: applyTutorialSeed,
  isFullClient: (c: Client) => ALL_SCOPES.every((s) => c.scopes.includes(s)),
  start({ store, config }) {
    const data = store.data as TutorialData;
    const dispatcher = new Dispatcher(
      () => config().webhookRetry,
      (id) => data.webhooks.has(id),
    );
    return {
      name: "tutorial",
      routes: tutorialRouter(store, dispatcher),
      rateLimitHeaders: true,
      limitsTokenRequests: false,
      authorize(token, scope) {
        if (!token.scopes.includes(scope)) {
          throw new ApiError(
            403,
            "missing.permissions",
            `Missing required permission: the token lacks the scope ${scope}`,
          );
        }
      },
      bodyTooLarge: (limit) => badRequest(`The request body exceeds ${limit} bytes.`),
      parseBody: (raw) => parseJson(raw),
      addAdminRoutes: () => {},
      queuesSeeded: () => {},
      queueView,
      deliveries: {
        attempts: (filter) => dispatcher.attempts(filter),
        clear: () => dispatcher.clearLog(),
      },
      close: () => dispatcher.close(),
    };
  },
};
