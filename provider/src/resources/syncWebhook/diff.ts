import { DiffOutcome, FieldComparator, changedFields, sameValue } from "../diff";
import { DIFF_FIELDS } from "./schema";

/** Lists whose order means nothing to the platform compare as multisets: reordering them is not a change. */
const sameItems: FieldComparator = (before, after) =>
  Array.isArray(before) && Array.isArray(after)
    ? sameValue(sortedJson(before), sortedJson(after))
    : sameValue(before, after);

const sameFilters: FieldComparator = (before, after) => {
  const b = before as { matchType?: unknown; conditions?: unknown } | undefined;
  const a = after as { matchType?: unknown; conditions?: unknown } | undefined;
  if (!b || !a || typeof b !== "object" || typeof a !== "object") return sameValue(before, after);
  return sameValue(b.matchType, a.matchType) && sameItems(b.conditions, a.conditions);
};

function sortedJson(list: unknown[]): string[] {
  return list.map((item) => JSON.stringify(item)).sort();
}

/**
 * Exact diff of a webhook: only fields that really changed. Nothing replaces: the platform updates every field,
 * the name included, in place (PUT), so the webhook keeps its id and no event falls between a delete and a create.
 *
 * The platform never returns the secret and the outputs do not keep it: a rotation shows as a new `secretVersion`
 * (computed by `check` from the old inputs). A secret the platform reports as set while none is declared, or as
 * missing while one is declared (both: changed outside Pulumi), is a change of `secret` too: the update sends ours.
 */
export function diffSyncWebhook(olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome {
  const compared = changedFields(olds, news, DIFF_FIELDS, { eventTypes: sameItems, filters: sameFilters });
  const changed: string[] = DIFF_FIELDS.filter((f) => compared.includes(f));
  const declared = news.secret !== undefined;
  if (typeof olds.secretSet === "boolean" && olds.secretSet !== declared) changed.push("secret");
  // Where the stack delivers the events: this run's events, and those an earlier run could not deliver.
  if (Array.isArray(news.events) && news.events.length > 0) changed.push("events");
  if (Array.isArray(olds.pendingEvents) && olds.pendingEvents.length > 0) changed.push("pendingEvents");
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false, changed };
}
