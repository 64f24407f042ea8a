import { DiffOutcome, changedFields, sameTime } from "../diff";
import { UNKNOWN } from "../../unknown";
import { DIFF_FIELDS, REPLACE_FIELDS } from "./schema";

/**
 * Exact diff of a wrap-up code: only fields that really changed. A new `code` replaces the code (it is the key
 * reporting joins on); everything else is updated in place. When the replacement would carry the same name in the
 * same queue, the old code must go first, since the platform refuses two codes with one name in a queue.
 */
export function diffWrapUpCode(olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome {
  const fields: string[] = [...DIFF_FIELDS];
  // Reporting tags are derived in `check`; they differ from the state when the matrix changed or the code's tags
  // were edited outside Pulumi (seen after a refresh). Not computed when category or tags are unknown.
  if (news.reportingTags !== undefined) fields.push("reportingTags");
  const changed = changedFields(olds, news, fields, { validFrom: sameTime, validThrough: sameTime });
  const replaces = changed.filter((f) => (REPLACE_FIELDS as readonly string[]).includes(f));
  const sameSlot =
    news.name === UNKNOWN ||
    news.queueId === UNKNOWN ||
    (String(news.name).toLowerCase() === String(olds.name).toLowerCase() && news.queueId === olds.queueId);
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameSlot,
    changed,
  };
}
