/**
 * The platform profile: what the public Genesys Cloud Platform API serves (`/work/shared/spec/platform-api.md`):
 * wrap-up codes `{name, description, division}` unique per organisation, queue membership of its own,
 * divisions, limits, permissions instead of scopes, no `inin-ratelimit-*` headers, no webhook API.
 */
import { ApiError, invalidFields } from "../../errors";
import { parseJson } from "../../http";
import { Client, isRecord } from "../../model";
import { ApiRoute, ok } from "../../route";
import { Router } from "../../router";
import { ProfileDefinition } from "../profile";
import { PlatformData } from "./data";
import { missingPermission, payloadTooLarge, unsupportedMediaType } from "./errors";
import { ALL_PERMISSIONS } from "./model";
import { addCodeRoutes } from "./routes/codes";
import { addDivisionRoutes } from "./routes/divisions";
import { PlatformEnv, view } from "./routes/env";
import { addLimitRoutes } from "./routes/limits";
import { addQueueRoutes } from "./routes/queues";
import {
  applyPlatformSeed,
  queueDivisions,
  SeedReferenceError,
  seedCodes,
  validatePlatformSeed,
  validateSeedCodes,
} from "./seed";
import { queueView } from "./views";

function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

export const platformProfile: ProfileDefinition = {
  name: "platform",
  seedKeys: ["divisions", "wrapupCodes"],
  section: (journal) => new PlatformData(journal),
  validateSeed: validatePlatformSeed,
  applySeed: applyPlatformSeed,
  isFullClient: (c: Client) => ALL_PERMISSIONS.every((p) => (c.permissions ?? []).includes(p)),
  start({ store, config }) {
    const data = store.data as PlatformData;
    const env: PlatformEnv = { shared: store, data, config };
    const routes = new Router<ApiRoute>();
    addCodeRoutes(routes, env);
    addQueueRoutes(routes, env);
    addDivisionRoutes(routes, env);
    addLimitRoutes(routes, env);
    return {
      name: "platform",
      routes,
      rateLimitHeaders: false,
      limitsTokenRequests: true,
      authorize(token, permission) {
        if (!(token.permissions ?? []).includes(permission)) throw missingPermission(permission);
      },
      bodyTooLarge: payloadTooLarge,
      parseBody(raw, contentType) {
        if (!isJson(contentType)) throw unsupportedMediaType(contentType);
        return parseJson(raw);
      },
      addAdminRoutes(r) {
        r.add("POST", "/__emulator/seed/wrapupcodes", ({ json }) => {
          const body = json();
          if (!isRecord(body)) throw invalidFields([{ errorCode: "invalid.type", fieldName: "(body)" }]);
          const unknown = Object.keys(body).filter((k) => k !== "wrapupCodes");
          const d = [
            ...unknown.map((k) => ({ errorCode: "unknown.field", fieldName: k })),
            ...(body.wrapupCodes === undefined
              ? [{ errorCode: "required", fieldName: "wrapupCodes" }]
              : validateSeedCodes(body.wrapupCodes, "wrapupCodes")),
          ];
          if (d.length > 0) throw invalidFields(d);
          try {
            const codes = seedCodes(store, body.wrapupCodes as never, "wrapupCodes");
            return ok({ wrapupCodes: codes.map(view(env)) });
          } catch (e) {
            if (!(e instanceof SeedReferenceError)) throw e;
            throw new ApiError(400, "bad.request", `${e.fieldName}: ${e.message}`, {
              details: [{ errorCode: "invalid.value", fieldName: e.fieldName }],
            });
          }
        });
      },
      queuesSeeded(queues) {
        data.commit(queueDivisions(data, queues));
      },
      queueView,
      deliveries: { attempts: () => [], clear: () => {} },
      close: () => {},
    };
  },
};
