/** Response shapes of the platform profile (the SDK's WrapupCode, Queue, AuthzDivision). */
import { Queue } from "../../model";
import { PlatformCode, PlatformDivision } from "./model";

export const PATHS = {
  codes: "/api/v2/routing/wrapupcodes",
  queues: "/api/v2/routing/queues",
  divisions: "/api/v2/authorization/divisions",
} as const;

export function divisionRef(id: string, name: string) {
  return { id, name, selfUri: `${PATHS.divisions}/${id}` };
}

/** A WrapupCode; `description` is omitted when the code has none (the platform leaves out nulls). */
export function codeView(c: PlatformCode, divisions: ReadonlyMap<string, PlatformDivision>) {
  const division = divisions.get(c.divisionId);
  return {
    id: c.id,
    name: c.name,
    division: divisionRef(c.divisionId, division?.name ?? ""),
    ...(c.description !== null && { description: c.description }),
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
    division: divisionRef(q.division.id, q.division.name),
    memberCount: q.memberCount,
    dateCreated: q.dateCreated,
    acwSettings: { wrapupPrompt: "OPTIONAL", timeoutMs: 0 },
    selfUri: `${PATHS.queues}/${q.id}`,
  };
}

export function divisionView(d: PlatformDivision) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    homeDivision: d.home,
    selfUri: `${PATHS.divisions}/${d.id}`,
  };
}
