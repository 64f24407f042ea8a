import type { DispositionMatrix } from "../../matrix";
import { effectiveReportingTags, userTagsFrom } from "../../matrix";
import { dropUndefined } from "../../util";
import type { DesiredCode, KnownCode, StoredCode } from "../seam";
import type { WrapUpCode, WrapUpCodePayload } from "./wire-types";

/** The tutorial's request body for a code: every field of the code travels in it, its one queue included. */
export function codeToWire(desired: DesiredCode): WrapUpCodePayload {
  return {
    codeName: desired.name,
    code: desired.code,
    codeCategoryName: desired.category,
    routingQueue: { id: desired.queueIds[0] },
    mandatoryField: desired.mandatory,
    reportingTags: [...desired.reportingTags],
    validFrom: desired.validFrom ?? null,
    validThrough: desired.validThrough ?? null,
    description: desired.description ?? null,
  };
}

/**
 * A stored code in the resource's words. The user's own tags are told apart from the category-derived ones with
 * the matrix; `known` (the state) keeps the user's order of tags when the reporting tags did not change.
 */
export function codeFromWire(entity: WrapUpCode, matrix: DispositionMatrix, known: KnownCode = {}): StoredCode {
  const reportingTags = [...(entity.reportingTags ?? [])];
  const category = entity.codeCategoryName;
  const knownTags = known.tags ?? [];
  const unchangedTags =
    known.category === category && sameList(effectiveReportingTags(matrix, category, knownTags), reportingTags);
  return dropUndefined({
    id: entity.id,
    name: entity.codeName,
    code: entity.code,
    category,
    queueIds: entity.routingQueue?.id ? [entity.routingQueue.id] : [],
    mandatory: entity.mandatoryField ?? false,
    tags: unchangedTags ? [...knownTags] : userTagsFrom(matrix, category, reportingTags),
    reportingTags,
    validFrom: entity.validFrom ?? undefined,
    validThrough: entity.validThrough ?? undefined,
    description: entity.description ?? undefined,
    dateCreated: entity.dateCreated,
    dateModified: entity.dateModified,
    createdBy: entity.createdBy,
    modifiedBy: entity.modifiedBy,
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
