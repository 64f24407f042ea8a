import { dropUndefined } from "../../util";
import type { DesiredCode, StoredCode } from "../seam";
import type { WrapupCode, WrapupCodeRequest } from "./wire-types";

/**
 * The platform's request body: a code is a name, a description and a division; nothing else travels. An absent
 * description is sent as "" so that a PUT clears one (whether a PUT without the field keeps the old value is not
 * documented); an empty description reads back as absent.
 */
export function codeToWire(desired: DesiredCode): WrapupCodeRequest {
  return dropUndefined({
    name: desired.name,
    description: desired.description ?? "",
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
