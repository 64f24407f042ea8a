/** `/api/v2/routing/queues`: queues (read-only) and their wrap-up code membership. */
import { ApiError } from "../../../errors";
import { Queue } from "../../../model";
import { page, parsePaging } from "../../../paging";
import { ApiRoute, ok, param } from "../../../route";
import { Router } from "../../../router";
import { byName } from "../../../store";
import { limitExceeded, notFound } from "../errors";
import { PERMISSIONS, PlatformCode, ROUTING_LIMITS } from "../model";
import { edgeWildcardMatcher, listParam, validateMembershipBody } from "../validation";
import { seenState } from "../visibility";
import { PATHS, queueView } from "../views";
import { PlatformEnv, view } from "./env";

const byCodeName = byName<PlatformCode>((c) => c.name);

export function addQueueRoutes(r: Router<ApiRoute>, env: PlatformEnv): void {
  const { shared, data } = env;
  const toView = view(env);

  const getQueue = (id: string): Queue => {
    const q = shared.queues.get(id.toLowerCase());
    if (!q) throw notFound("Queue", id);
    return q;
  };

  /** A queue's codes as a read sees them now: lagging creates left out, lagging deletes still there. */
  const membersSeen = (queueId: string): PlatformCode[] => {
    const lag = env.config().consistencyLagMs;
    const current = data.queueCodes(queueId);
    if (lag <= 0) return current;
    const now = Date.now();
    const seen = current.filter((c) => seenState(c, now, lag) === "active");
    if (!data.hasDeleted()) return seen;
    for (const c of data.codes.values()) {
      if (c.state === "deleted" && c.formerQueues?.includes(queueId) && seenState(c, now, lag) === "active")
        seen.push(c);
    }
    return seen.sort(byCodeName);
  };

  r.add("GET", PATHS.queues, {
    requires: PERMISSIONS.queueView,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      const name = param(query, "name");
      const ids = listParam(query, "id")?.map((s) => s.toLowerCase());
      const divisionIds = listParam(query, "divisionId")?.map((s) => s.toLowerCase());
      const match = name === undefined ? undefined : edgeWildcardMatcher(name);
      const items = shared
        .sortedQueues()
        .filter(
          (q) =>
            (!match || match(q.name)) &&
            (!ids || ids.includes(q.id)) &&
            (!divisionIds || divisionIds.includes(q.division.id)),
        );
      return ok(page(items, paging, PATHS.queues, { name, id: ids, divisionId: divisionIds }, queueView));
    },
  });

  r.add("GET", `${PATHS.queues}/{queueId}`, {
    requires: PERMISSIONS.queueView,
    handle: ({ params }) => ok(queueView(getQueue(params.queueId))),
  });

  r.add("GET", `${PATHS.queues}/{queueId}/wrapupcodes`, {
    requires: PERMISSIONS.queueView,
    handle: ({ params, query }) => {
      const q = getQueue(params.queueId);
      const paging = parsePaging(query);
      const name = param(query, "name");
      const match = name === undefined ? undefined : edgeWildcardMatcher(name, false);
      const codes = membersSeen(q.id);
      const items = match ? codes.filter((c) => match(c.name)) : codes;
      return ok(page(items, paging, `${PATHS.queues}/${q.id}/wrapupcodes`, { name }, toView));
    },
  });

  r.add("POST", `${PATHS.queues}/{queueId}/wrapupcodes`, {
    requires: PERMISSIONS.queueEdit,
    handle: ({ params, json }) => {
      const q = getQueue(params.queueId);
      const ids = validateMembershipBody(json());
      // Atomic: every id is checked before anything is added.
      const codes = ids.map((id) => {
        const c = data.activeCode(id);
        if (!c) throw notFound("Wrap-up code", id);
        return c;
      });
      const added = codes.filter((c) => !data.isMember(q.id, c.id)).map((c) => c.id);
      const limit = env.config().queueCodeLimit;
      if (limit > 0 && data.queueCodeCount(q.id) + added.length > limit) {
        throw limitExceeded(
          `Queue ${q.name} (${q.id}) may hold at most ${limit} wrap-up codes; it holds ${data.queueCodeCount(q.id)} ` +
            `and the request adds ${added.length}`,
          { namespace: ROUTING_LIMITS.namespace, key: ROUTING_LIMITS.perQueueKey, value: limit },
        );
      }
      if (added.length > 0) data.commit([{ t: "members.add", queueId: q.id, codeIds: added }]);
      return ok(codes.map(toView));
    },
  });

  r.add("DELETE", `${PATHS.queues}/{queueId}/wrapupcodes/{codeId}`, {
    requires: PERMISSIONS.queueEdit,
    handle: ({ params }) => {
      const q = getQueue(params.queueId);
      const codeId = params.codeId.toLowerCase();
      if (!data.isMember(q.id, codeId)) {
        throw new ApiError(404, "not.found", `Wrap-up code ${params.codeId} is not on queue ${q.name} (${q.id})`, {
          entityId: params.codeId,
        });
      }
      data.commit([{ t: "members.del", queueId: q.id, codeIds: [codeId] }]);
      return ok();
    },
  });
}
