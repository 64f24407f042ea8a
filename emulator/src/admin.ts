/** The /__emulator admin endpoints (no auth): health, stats, config, faults, rate-limit reset, deliveries, seeding. */
import { patchConfig } from "./config";
import { ApiError, ErrorDetail, invalidFields } from "./errors";
import { parseFaultRequest } from "./faults";
import { isRecord, Queue } from "./model";
import { ServerParts } from "./parts";
import { AdminHandler, ok } from "./route";
import { Router } from "./router";
import { MAX_QUEUE_COUNT, SeedQueue, upsertQueues, validateSeedQueues } from "./seed";

export function adminRouter(parts: ServerParts): Router<AdminHandler> {
  const r = new Router<AdminHandler>();
  r.add("GET", "/__emulator/health", () =>
    ok({
      status: "ok",
      profile: parts.profile.name,
      url: parts.url,
      startedAt: parts.startedAt,
      dataCreatedAt: parts.store.createdAt,
    }),
  );
  r.add("GET", "/__emulator/stats", () => ok(parts.stats.snapshot()));
  r.add("POST", "/__emulator/stats/reset", () => {
    parts.stats.reset();
    return ok(parts.stats.snapshot());
  });
  r.add("GET", "/__emulator/config", () => ok(parts.config));
  r.add("PUT", "/__emulator/config", ({ json }) => {
    const next = patchConfig(parts.config, json());
    if (Array.isArray(next)) throw invalidFields(next);
    parts.setConfig(next);
    return ok(parts.config);
  });
  r.add("GET", "/__emulator/faults", () => ok({ pending: parts.faults.list() }));
  r.add("DELETE", "/__emulator/faults", () => {
    parts.faults.clear();
    return ok({ pending: [] });
  });
  r.add("POST", "/__emulator/faults/next", ({ json }) => {
    const f = parseFaultRequest(json());
    if (Array.isArray(f)) throw invalidFields(f);
    parts.faults.add(f);
    return ok({ pending: parts.faults.list() });
  });
  r.add("POST", "/__emulator/ratelimit/reset", () => {
    parts.rate.clear();
    parts.tokenRate.clear();
    return ok({ reset: true });
  });
  r.add("GET", "/__emulator/deliveries", ({ query }) =>
    ok({
      attempts: parts.profile.deliveries.attempts({
        webhookId: query.get("webhookId") ?? undefined,
        deliveryId: query.get("deliveryId") ?? undefined,
      }),
    }),
  );
  r.add("DELETE", "/__emulator/deliveries", () => {
    parts.profile.deliveries.clear();
    return ok({ attempts: [] });
  });
  r.add("POST", "/__emulator/seed/queues", ({ json }) => {
    const body = json();
    if (!isRecord(body)) throw invalidFields([{ errorCode: "invalid.type", fieldName: "(body)" }]);
    const d: ErrorDetail[] = [];
    if (body.queues !== undefined) d.push(...validateSeedQueues(body.queues, "queues"));
    const n = body.queueCount;
    if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_QUEUE_COUNT)) {
      d.push({ errorCode: "invalid.value", fieldName: "queueCount" });
    }
    if (d.length > 0) throw invalidFields(d);
    let queues: Queue[];
    try {
      queues = upsertQueues(parts.store, (body.queues as SeedQueue[]) ?? [], (n as number) ?? 0, true);
    } catch (e) {
      throw new ApiError(409, "general.conflict", (e as Error).message);
    }
    parts.profile.queuesSeeded(queues);
    return ok({ queues: queues.map((q) => parts.profile.queueView(q)) });
  });
  parts.profile.addAdminRoutes(r);
  return r;
}
