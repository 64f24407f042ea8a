import { dropUndefined } from "../../util";
import type { DesiredCode, StoredCode } from "../seam";
import type { WrapupCode, WrapupCodeRequest } from "./wire-types";

/**
 * The platform's request body: a code is a name, a description and a division; nothing else travels. A description
 * the code had and the declaration drops is sent as "" (whether a PUT without the field keeps the old value is not
 * documented, so the PUT says it); an empty description reads back as absent.
 */
export function codeToWire(desired: DesiredCode, hadDescription = false): WrapupCodeRequest {
  return dropUndefined({
    name: desired.name,
    description: desired.description ?? (hadDescription ? "" : undefined),
    division: desired.divisionId === undefined ? undefined : { id: desired.divisionId },
  });
}

/** What the platform holds of a code, in the resource's words. */
export function codeFromWire(entity: WrapupCode): StoredCode {
  return dropUndefined({
    id: entity.id,
    name: entity.name,
    description: entity.description || undefined,
    divisionId: entity.division?.id,
    dateCreated: entity.dateCreated,
    dateModified: entity.dateModified,
    createdBy: entity.createdBy,
    modifiedBy: entity.modifiedBy,
  });
}
