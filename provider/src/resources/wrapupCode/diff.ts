import type { CodeTraits } from "../../profiles/traits";
import { UNKNOWN, containsUnknown } from "../../unknown";
import { sameIdSet } from "../../util";
import { DiffOutcome, FieldComparator, changedFields, sameTime, sameValue } from "../diff";
import { DIFF_FIELDS } from "./schema";

/** Queue ids compare as a set (order means nothing to the platform), case-insensitively. */
const sameQueues: FieldComparator = (before, after) =>
  Array.isArray(before) && Array.isArray(after) ? sameIdSet(before, after) : sameValue(before ?? [], after ?? []);

/**
 * Exact diff of a wrap-up code: only fields that really changed. A field of the profile's `replaceOn` (the
 * tutorial's `code`, the reporting key of its past interactions) replaces the code; everything else is updated in
 * place. When the replacement would carry the same name where names must be unique, the old code goes first.
 * A division is compared only when declared: otherwise the platform decides it and the state just reports it.
 */
export function diffWrapUpCode(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  traits: CodeTraits,
): DiffOutcome {
  const fields: string[] = DIFF_FIELDS.filter((f) => f !== "divisionId" || news.divisionId !== undefined);
  // Reporting tags are derived in `check`; they differ from the state when the matrix changed or the code's tags
  // were edited outside Pulumi (seen after a refresh). Not computed when category or tags are unknown.
  if (news.reportingTags !== undefined) fields.push("reportingTags");
  const oldsWithQueues = { ...olds, queueIds: olds.queueIds ?? (olds.queueId === undefined ? [] : [olds.queueId]) };
  const changed = changedFields(oldsWithQueues, news, fields, {
    validFrom: sameTime,
    validThrough: sameTime,
    queueIds: sameQueues,
    divisionId: (a, b) => String(a ?? "").toLowerCase() === String(b ?? "").toLowerCase(),
  });
  const replaces = changed.filter((f) => (traits.replaceOn as readonly string[]).includes(f));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameSlot(oldsWithQueues, news, traits),
    changed,
  };
}

/** Whether old and new code would hold the same name where the platform keeps names unique. */
function sameSlot(olds: Record<string, unknown>, news: Record<string, unknown>, traits: CodeTraits): boolean {
  if (news.name === UNKNOWN || containsUnknown(news.queueIds)) return true;
  if (String(news.name).toLowerCase() !== String(olds.name).toLowerCase()) return false;
  if (traits.nameUnique === "organisation") return true;
  const before = new Set((olds.queueIds as string[]).map((q) => q.toLowerCase()));
  return (news.queueIds as string[]).some((q) => before.has(q.toLowerCase()));
}
