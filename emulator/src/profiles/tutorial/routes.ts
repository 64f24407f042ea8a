/** The tutorial's /api/v2 handlers (tutorial contract sections 6, 7 and 8). */
import { randomUUID } from "node:crypto";
import { conflict, FieldError, invalidFields, limitExceeded, notFound } from "../../errors";
import { UUID_RE } from "../../model";
import { page, parsePaging } from "../../paging";
import { ApiRoute, ok, param } from "../../route";
import { Router } from "../../router";
import { Store } from "../../store";
import { TutorialData } from "./data";
import { Dispatcher } from "./deliveries";
import { SCOPES, Webhook, WrapupCode } from "./model";
import { CODE_LIMITS, validateCode, validateWebhook } from "./validation";
import { codeView, PATHS, queueView, webhookView } from "./views";

/** Case-insensitive match; `*` in the pattern matches any run of characters. */
function nameMatcher(pattern: string): (name: string) => boolean {
  const p = pattern.toLowerCase();
  if (!p.includes("*")) return (name) => name.toLowerCase() === p;
  const re = new RegExp(
    "^" +
      p
        .split("*")
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*") +
      "$",
    "s",
  );
  return (name) => re.test(name.toLowerCase());
}

export function tutorialRouter(shared: Store, dispatcher: Dispatcher): Router<ApiRoute> {
  const store = shared.data as TutorialData;
  const r = new Router<ApiRoute>();
  const limitInfo = { namespace: "routing", key: "wrapupcodes.per.queue", value: CODE_LIMITS.codesPerQueue };

  const getQueue = (id: string) => shared.queues.get(id.toLowerCase());
  const getCode = (id: string): WrapupCode => {
    const c = store.codes.get(id.toLowerCase());
    if (!c) throw notFound("Wrap-up code", id);
    return c;
  };
  const getWebhook = (id: string): Webhook => {
    const w = store.webhooks.get(id.toLowerCase());
    if (!w) throw notFound("Webhook", id);
    return w;
  };

  // ---- queues (section 6) ----------------------------------------------------------------

  r.add("GET", PATHS.queues, {
    requires: SCOPES.queueRead,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      const name = param(query, "name");
      const match = name === undefined ? undefined : nameMatcher(name);
      const items = match ? shared.sortedQueues().filter((q) => match(q.name)) : shared.sortedQueues();
      return ok(page(items, paging, PATHS.queues, { name }, queueView));
    },
  });

  r.add("GET", `${PATHS.queues}/{queueId}`, {
    requires: SCOPES.queueRead,
    handle: ({ params }) => {
      const q = getQueue(params.queueId);
      if (!q) throw notFound("Queue", params.queueId);
      return ok(queueView(q));
    },
  });

  r.add("GET", `${PATHS.queues}/{queueId}/wrapupcodes`, {
    requires: SCOPES.queueRead,
    handle: ({ params, query }) => {
      const q = getQueue(params.queueId);
      if (!q) throw notFound("Queue", params.queueId);
      const paging = parsePaging(query);
      const items = store.codesOfQueue(q.id);
      return ok(page(items, paging, `${PATHS.queues}/${q.id}/wrapupcodes`, {}, codeView));
    },
  });

  // ---- wrap-up codes (section 7) -----------------------------------------------------------

  r.add("GET", PATHS.codes, {
    requires: SCOPES.codeRead,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      const name = param(query, "name");
      const routingQueueId = param(query, "routingQueueId");
      const codeCategoryName = param(query, "codeCategoryName");
      if (routingQueueId !== undefined && !UUID_RE.test(routingQueueId)) {
        throw invalidFields([{ errorCode: FieldError.format, fieldName: "routingQueueId" }]);
      }
      const queueId = routingQueueId?.toLowerCase();
      // Narrow with the indexes first (name, queue), then filter the rest.
      let items: readonly WrapupCode[];
      if (name !== undefined && queueId !== undefined) {
        const c = store.findCodeByName(queueId, name);
        items = c ? [c] : [];
      } else if (name !== undefined) items = store.codesNamed(name);
      else if (queueId !== undefined) items = store.codesOfQueue(queueId);
      else items = store.sortedCodes();
      if (codeCategoryName !== undefined) items = items.filter((c) => c.codeCategoryName === codeCategoryName);
      return ok(page(items, paging, PATHS.codes, { name, routingQueueId, codeCategoryName }, codeView));
    },
  });

  r.add("GET", `${PATHS.codes}/{codeId}`, {
    requires: SCOPES.codeRead,
    handle: ({ params }) => ok(codeView(getCode(params.codeId))),
  });

  /** Validation, queue lookup, uniqueness and limit — in that order. Synchronous on purpose. */
  const checkCode = (body: unknown, self: WrapupCode | undefined) => {
    const v = validateCode(body, store.matrix);
    if (!v.ok) throw invalidFields(v.details);
    const input = v.value;
    const queue = getQueue(input.routingQueue.id);
    if (!queue) throw notFound("Queue", input.routingQueue.id);
    const existing = store.findCodeByName(queue.id, input.codeName);
    if (existing && existing.id !== self?.id) {
      throw conflict(
        `A wrap-up code named "${existing.codeName}" already exists in queue ${queue.name} (${queue.id})`,
        existing.id,
      );
    }
    const moving = self === undefined || self.routingQueue.id !== queue.id;
    if (moving && store.queueCodeCount(queue.id) >= CODE_LIMITS.codesPerQueue) {
      throw limitExceeded(
        `Queue ${queue.name} (${queue.id}) already holds the maximum of ${CODE_LIMITS.codesPerQueue} wrap-up codes`,
        limitInfo,
      );
    }
    return input;
  };

  r.add("POST", PATHS.codes, {
    requires: SCOPES.codeWrite,
    handle: ({ json, token }) => {
      const input = checkCode(json(), undefined);
      const now = new Date().toISOString();
      const code: WrapupCode = {
        id: randomUUID(),
        ...input,
        dateCreated: now,
        dateModified: now,
        createdBy: token.clientId,
        modifiedBy: token.clientId,
      };
      store.putCode(code);
      const view = codeView(code);
      dispatcher.dispatch("routing:wrapupcode:created", view, store.webhooks.values());
      return ok(view);
    },
  });

  r.add("PUT", `${PATHS.codes}/{codeId}`, {
    requires: SCOPES.codeWrite,
    handle: ({ params, json, token }) => {
      const old = getCode(params.codeId);
      const input = checkCode(json(), old);
      const code: WrapupCode = {
        ...old,
        ...input,
        dateModified: new Date().toISOString(),
        modifiedBy: token.clientId,
      };
      store.putCode(code);
      const view = codeView(code);
      dispatcher.dispatch("routing:wrapupcode:updated", view, store.webhooks.values());
      return ok(view);
    },
  });

  r.add("DELETE", `${PATHS.codes}/{codeId}`, {
    requires: SCOPES.codeWrite,
    handle: ({ params }) => {
      const old = getCode(params.codeId);
      store.deleteCode(old.id);
      dispatcher.dispatch("routing:wrapupcode:deleted", codeView(old), store.webhooks.values());
      return { status: 204 };
    },
  });

  // ---- webhooks (section 8) ----------------------------------------------------------------

  r.add("GET", PATHS.webhooks, {
    requires: SCOPES.webhooks,
    handle: ({ query }) => ok(page(store.sortedWebhooks(), parsePaging(query), PATHS.webhooks, {}, webhookView)),
  });

  r.add("GET", `${PATHS.webhooks}/{webhookId}`, {
    requires: SCOPES.webhooks,
    handle: ({ params }) => ok(webhookView(getWebhook(params.webhookId))),
  });

  const checkWebhook = (body: unknown, self: Webhook | undefined) => {
    const v = validateWebhook(body);
    if (!v.ok) throw invalidFields(v.details);
    const existing = store.findWebhookByName(v.value.name);
    if (existing && existing.id !== self?.id) {
      throw conflict(`A webhook named "${existing.name}" already exists`, existing.id);
    }
    return v.value;
  };

  r.add("POST", PATHS.webhooks, {
    requires: SCOPES.webhooks,
    handle: ({ json, token }) => {
      const { secret, ...input } = checkWebhook(json(), undefined);
      const now = new Date().toISOString();
      const w: Webhook = {
        id: randomUUID(),
        ...input,
        secret: secret ?? null,
        dateCreated: now,
        dateModified: now,
        createdBy: token.clientId,
        modifiedBy: token.clientId,
      };
      store.putWebhook(w);
      return ok(webhookView(w));
    },
  });

  r.add("PUT", `${PATHS.webhooks}/{webhookId}`, {
    requires: SCOPES.webhooks,
    handle: ({ params, json, token }) => {
      const old = getWebhook(params.webhookId);
      const { secret, ...input } = checkWebhook(json(), old);
      const w: Webhook = {
        ...old,
        ...input,
        secret: secret === undefined ? old.secret : secret,
        dateModified: new Date().toISOString(),
        modifiedBy: token.clientId,
      };
      store.putWebhook(w);
      return ok(webhookView(w));
    },
  });

  r.add("DELETE", `${PATHS.webhooks}/{webhookId}`, {
    requires: SCOPES.webhooks,
    handle: ({ params }) => {
      store.deleteWebhook(getWebhook(params.webhookId).id);
      return { status: 204 };
    },
  });

  return r;
}
