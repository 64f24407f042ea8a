/** `/api/v2/authorization/divisions`: the home division, the listing and one division. */
import { page, parsePaging } from "../../../paging";
import { ApiRoute, ok, param } from "../../../route";
import { Router } from "../../../router";
import { byName } from "../../../store";
import { notFound } from "../errors";
import { PERMISSIONS, PlatformDivision } from "../model";
import { edgeWildcardMatcher, listParam } from "../validation";
import { divisionView, PATHS } from "../views";
import { PlatformEnv } from "./env";

export function addDivisionRoutes(r: Router<ApiRoute>, env: PlatformEnv): void {
  const { data } = env;

  r.add("GET", `${PATHS.divisions}/home`, {
    requires: PERMISSIONS.divisionView,
    handle: () => ok(divisionView(data.homeDivision())),
  });

  r.add("GET", PATHS.divisions, {
    requires: PERMISSIONS.divisionView,
    handle: ({ query }) => {
      const paging = parsePaging(query);
      const name = param(query, "name");
      const ids = listParam(query, "id")?.map((s) => s.toLowerCase());
      const match = name === undefined ? undefined : edgeWildcardMatcher(name);
      const items = [...data.divisions.values()]
        .sort(byName<PlatformDivision>((d) => d.name))
        .filter((d) => (!match || match(d.name)) && (!ids || ids.includes(d.id)));
      return ok(page(items, paging, PATHS.divisions, { name, id: ids }, divisionView));
    },
  });

  r.add("GET", `${PATHS.divisions}/{divisionId}`, {
    requires: PERMISSIONS.divisionView,
    handle: ({ params }) => {
      const d = data.divisions.get(params.divisionId.toLowerCase());
      if (!d) throw notFound("Division", params.divisionId);
      return ok(divisionView(d));
    },
  });
}
