/** `/api/v2/organizations/limits`: the routing namespace's limits, their defaults and their documentation. */
import { ApiRoute, ok } from "../../../route";
import { Router } from "../../../router";
import { notFound } from "../errors";
import { ROUTING_LIMITS } from "../model";
import { PlatformEnv } from "./env";

const BASE = "/api/v2/organizations/limits";

export function addLimitRoutes(r: Router<ApiRoute>, env: PlatformEnv): void {
  const routing = (withConfigured: boolean) => {
    const entities: { key: string; namespace: string; value: number }[] = [
      {
        key: ROUTING_LIMITS.membershipRequestKey,
        namespace: ROUTING_LIMITS.namespace,
        value: ROUTING_LIMITS.membershipRequestMax,
      },
    ];
    const perQueue = env.config().queueCodeLimit;
    if (withConfigured && perQueue > 0) {
      entities.push({ key: ROUTING_LIMITS.perQueueKey, namespace: ROUTING_LIMITS.namespace, value: perQueue });
    }
    return { entities };
  };
  const namespace = (name: string) => {
    if (name !== ROUTING_LIMITS.namespace) throw notFound("Limits namespace", name);
  };

  // Any valid token may read limits.
  r.add("GET", `${BASE}/namespaces/{namespace}`, {
    handle: ({ params }) => {
      namespace(params.namespace);
      return ok(routing(true));
    },
  });
  r.add("GET", `${BASE}/namespaces/{namespace}/defaults`, {
    handle: ({ params }) => {
      namespace(params.namespace);
      return ok(routing(false));
    },
  });
  r.add("GET", `${BASE}/docs`, {
    handle: () =>
      ok({
        url: `${BASE}/docs`,
        namespaces: [
          {
            name: ROUTING_LIMITS.namespace,
            friendlyName: "Routing",
            limits: [
              {
                key: ROUTING_LIMITS.membershipRequestKey,
                defaultValue: ROUTING_LIMITS.membershipRequestMax,
                description: "Wrap-up codes one POST /api/v2/routing/queues/{queueId}/wrapupcodes may add",
                resource: "wrapupcodes",
                configurable: false,
                trackable: false,
              },
              {
                key: ROUTING_LIMITS.perQueueKey,
                defaultValue: 0,
                description: "Wrap-up codes one queue may hold (0: no limit; emulator config queueCodeLimit)",
                resource: "queues",
                configurable: true,
                trackable: true,
              },
            ],
          },
        ],
      }),
  });
}
