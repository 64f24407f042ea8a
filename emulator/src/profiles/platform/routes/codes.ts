/** `/api/v2/routing/wrapupcodes`: create, list, get, update, delete (soft), and the divisionviews listing. */
import { randomUUID } from "node:crypto";
import { ApiError, FieldError } from "../../../errors";
import { page, parsePaging } from "../../../paging";
import { ApiRoute, ok, param } from "../../../route";
import { Router } from "../../../router";
import { duplicateName, invalidBody, notFound } from "../errors";
import { PERMISSIONS, PlatformCode } from "../model";
import { listParam, substringMatcher, validateCodeRequest } from "../validation";
import { seenState } from "../visibility";
import { PATHS } from "../views";
import { PlatformEnv, view, visibleCodes } from "./env";

const SORT_BY = ["name", "id"];
const SORT_ORDER = ["ascending", "descending"];
const STATES = ["active", "deleted"];

function badQuery(field: string, allowed: string[]): ApiError {
  return new ApiError(400, "invalid.value", `${field} must be one of ${allowed.join(", ")}`, {
    details: [{ errorCode: FieldError.value, fieldName: field }],
  });
}

/** The `id`/`divisionId`/`name` filters shared by the two listings. */
function filters(query: URLSearchParams) {
  const name = param(query, "name");
  const ids = listParam(query, "id")?.map((s) => s.toLowerCase());
  const divisionIds = listParam(query, "divisionId")?.map((s) => s.toLowerCase());
  const match = name === undefined ? undefined : substringMatcher(name);
  const idSet = ids && new Set(ids);
  const divSet = divisionIds && new Set(divisionIds);
  const keep = (c: PlatformCode) =>
    (!match || match(c.name)) && (!idSet || idSet.has(c.id)) && (!divSet || divSet.has(c.divisionId));
  return { keep, uri: { name, id: ids, divisionId: divisionIds } };
}

export function addCodeRoutes(r: Router<ApiRoute>, env: PlatformEnv): void {
  const { data } = env;
  const toView = view(env);

  r.add("GET", PATHS.codes, {
    requires: PERMISSIONS.codeView,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      const sortBy = (param(query, "sortBy") ?? "name").toLowerCase();
      const sortOrder = (param(query, "sortOrder") ?? "ascending").toLowerCase();
      if (!SORT_BY.includes(sortBy)) throw badQuery("sortBy", SORT_BY);
      if (!SORT_ORDER.includes(sortOrder)) throw badQuery("sortOrder", SORT_ORDER);
      const { keep, uri } = filters(query);
      let items = visibleCodes(
        env,
        () => data.activeSorted(),
        () => data.allSorted(),
      ).filter(keep);
      if (sortBy === "id") items = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (sortOrder === "descending") items = [...items].reverse();
      const uriFilters = {
        ...uri,
        ...(query.has("sortBy") && { sortBy }),
        ...(query.has("sortOrder") && { sortOrder }),
      };
      return ok(page(items, paging, PATHS.codes, uriFilters, toView));
    },
  });

  // Registered before `{codeId}`: the literal segment wins.
  r.add("GET", `${PATHS.codes}/divisionviews`, {
    requires: PERMISSIONS.codeView,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      // Active codes are always listed; includeState adds deleted ones.
      const states = ["active", ...(listParam(query, "includeState") ?? []).map((s) => s.toLowerCase())];
      if (states.some((s) => !STATES.includes(s))) throw badQuery("includeState", ["Active", "Deleted"]);
      const { keep, uri } = filters(query);
      const lag = env.config().consistencyLagMs;
      const now = Date.now();
      const items = data
        .allSorted()
        .filter(keep)
        .map((c) => ({ c, state: seenState(c, now, lag) }))
        .filter((x) => x.state !== "absent" && states.includes(x.state));
      return ok(
        page(
          items,
          paging,
          `${PATHS.codes}/divisionviews`,
          { ...uri, includeState: listParam(query, "includeState") },
          (x) => ({
            ...toView(x.c),
            state: x.state === "active" ? "Active" : "Deleted",
          }),
        ),
      );
    },
  });

  r.add("GET", `${PATHS.codes}/{codeId}`, {
    requires: PERMISSIONS.codeView,
    handle: ({ params }) => {
      const c = data.codes.get(params.codeId.toLowerCase());
      if (!c || seenState(c, Date.now(), env.config().consistencyLagMs) !== "active")
        throw notFound("Wrap-up code", params.codeId);
      return ok(toView(c));
    },
  });

  /** Validation, then name uniqueness per organisation among active codes (synchronous: no race). */
  const check = (body: unknown, self: PlatformCode | undefined) => {
    const v = validateCodeRequest(body, data.divisions);
    if (!v.ok) throw invalidBody(v.details);
    const holder = data.findActiveByName(v.value.name);
    if (holder && holder.id !== self?.id) throw duplicateName(env.config().duplicateNameStatus, v.value.name);
    return v.value;
  };

  r.add("POST", PATHS.codes, {
    requires: PERMISSIONS.codeAdd,
    handle: ({ json, token }) => {
      const input = check(json(), undefined);
      const now = new Date().toISOString();
      const code: PlatformCode = {
        id: randomUUID(),
        name: input.name,
        description: input.description,
        divisionId: input.divisionId ?? data.homeDivision().id,
        dateCreated: now,
        dateModified: now,
        createdBy: token.clientId,
        modifiedBy: token.clientId,
        state: "active",
      };
      data.commit([{ t: "wrapupcode", v: code }]);
      return ok(toView(code));
    },
  });

  r.add("PUT", `${PATHS.codes}/{codeId}`, {
    requires: PERMISSIONS.codeEdit,
    handle: ({ params, json, token }) => {
      const old = data.activeCode(params.codeId);
      if (!old) throw notFound("Wrap-up code", params.codeId);
      const input = check(json(), old);
      const code: PlatformCode = {
        ...old,
        name: input.name,
        description: input.description,
        divisionId: input.divisionId ?? old.divisionId,
        dateModified: new Date().toISOString(),
        modifiedBy: token.clientId,
      };
      data.commit([{ t: "wrapupcode", v: code }]);
      return ok(toView(code));
    },
  });

  r.add("DELETE", `${PATHS.codes}/{codeId}`, {
    requires: PERMISSIONS.codeDelete,
    handle: ({ params }) => {
      const old = data.activeCode(params.codeId);
      if (!old) throw notFound("Wrap-up code", params.codeId);
      const deleted: PlatformCode = {
        ...old,
        state: "deleted",
        dateDeleted: new Date().toISOString(),
        formerQueues: data.queuesOf(old.id),
      };
      data.commit([{ t: "wrapupcode", v: deleted }]);
      return ok();
    },
  });
}
