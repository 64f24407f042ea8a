/** Response shapes of the stored entities. */
import { Queue } from "../../model";
import { Webhook, WrapupCode } from "./model";

export const PATHS = {
  codes: "/api/v2/routing/wrapupcodes",
  queues: "/api/v2/routing/queues",
  webhooks: "/api/v2/analytics/events/webhooks",
  divisions: "/api/v2/authorization/divisions",
} as const;

export interface CodeView extends Omit<WrapupCode, "routingQueue"> {
  routingQueue: { id: string; selfUri: string };
  selfUri: string;
}

export function codeView(c: WrapupCode): CodeView {
  return {
    id: c.id,
    codeName: c.codeName,
    code: c.code,
    codeCategoryName: c.codeCategoryName,
    routingQueue: { id: c.routingQueue.id, selfUri: `${PATHS.queues}/${c.routingQueue.id}` },
    mandatoryField: c.mandatoryField,
    reportingTags: [...c.reportingTags],
    validFrom: c.validFrom,
    validThrough: c.validThrough,
    description: c.description,
    dateCreated: c.dateCreated,
    dateModified: c.dateModified,
    createdBy: c.createdBy,
    modifiedBy: c.modifiedBy,
    selfUri: `${PATHS.codes}/${c.id}`,
  };
}

export function queueView(q: Queue) {
  return {
    id: q.id,
    name: q.name,
    division: { id: q.division.id, name: q.division.name, selfUri: `${PATHS.divisions}/${q.division.id}` },
    memberCount: q.memberCount,
    dateCreated: q.dateCreated,
    selfUri: `${PATHS.queues}/${q.id}`,
  };
}

export function webhookView(w: Webhook) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    callbackUrl: w.callbackUrl,
    eventTypes: [...w.eventTypes],
    ...(w.filters && {
      filters: { matchType: w.filters.matchType, filters: w.filters.filters.map((f) => ({ ...f })) },
    }),
    enabled: w.enabled,
    status: w.enabled ? "active" : "disabled",
    secretSet: w.secret !== null,
    dateCreated: w.dateCreated,
    dateModified: w.dateModified,
    createdBy: w.createdBy,
    modifiedBy: w.modifiedBy,
    selfUri: `${PATHS.webhooks}/${w.id}`,
  };
}
