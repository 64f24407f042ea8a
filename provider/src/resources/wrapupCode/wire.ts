import type { WrapUpCode as WrapUpCodeEntity, WrapUpCodePayload } from "../../client";
import { DispositionMatrix, effectiveReportingTags, userTagsFrom } from "../../matrix";
import { sameInstant } from "../validate";
import type { WrapUpCodeInputs, WrapUpCodeState } from "./schema";

/** The only place that knows the API's field names for a wrap-up code. */
export function toWire(inputs: WrapUpCodeInputs, matrix: DispositionMatrix): WrapUpCodePayload {
  return {
    codeName: inputs.name,
    code: inputs.code,
    codeCategoryName: inputs.category,
    routingQueue: { id: inputs.queueId },
    mandatoryField: inputs.mandatory,
    reportingTags: effectiveReportingTags(matrix, inputs.category, inputs.tags),
    validFrom: inputs.validFrom ?? null,
    validThrough: inputs.validThrough ?? null,
    description: inputs.description ?? null,
  };
}

/**
 * State from the platform's view of a code. `previous` (the state or inputs before) keeps what the platform does
 * not know (`onConflict`, the audit) and the user's spelling of values the platform normalises (timestamps), and
 * lets the user's own tags be told apart from the derived ones.
 */
export function fromWire(
  entity: WrapUpCodeEntity,
  matrix: DispositionMatrix,
  previous: Partial<WrapUpCodeState>,
): WrapUpCodeState {
  const reportingTags = [...(entity.reportingTags ?? [])];
  const category = entity.codeCategoryName;
  const previousTags = previous.tags ?? [];
  const unchangedTags =
    previous.category === category && sameList(effectiveReportingTags(matrix, category, previousTags), reportingTags);
  const state: WrapUpCodeState = {
    name: entity.codeName,
    code: entity.code,
    category,
    queueId: entity.routingQueue.id,
    mandatory: entity.mandatoryField ?? false,
    tags: unchangedTags ? previousTags : userTagsFrom(matrix, category, reportingTags),
    validFrom: keepSpelling(previous.validFrom, entity.validFrom),
    validThrough: keepSpelling(previous.validThrough, entity.validThrough),
    description: entity.description ?? undefined,
    onConflict: previous.onConflict ?? "fail",
    reportingTags,
    codeId: entity.id,
    dateCreated: entity.dateCreated,
    dateModified: entity.dateModified,
    createdBy: entity.createdBy,
    modifiedBy: entity.modifiedBy,
    audit: previous.audit,
  };
  return dropUndefined(state);
}

function keepSpelling(previous: string | undefined, current: string | null | undefined): string | undefined {
  if (current === null || current === undefined) return undefined;
  return previous !== undefined && sameInstant(previous, current) ? previous : current;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Pulumi drops undefined properties anyway; dropping them here keeps comparisons exact. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
