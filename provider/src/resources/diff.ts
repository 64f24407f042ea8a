import { UNKNOWN, containsUnknown } from "../unknown";
import { sameInstant } from "./validate";

/** What `diff` decided, with the fields that changed (for messages and tests). */
export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  readonly changed: string[];
}

/** How one field is compared; the default is deep equality with absent ≡ null. */
export type FieldComparator = (before: unknown, after: unknown) => boolean;

/** Deep equality where absent and null are the same (the API answers null for what was never set). */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

export const sameTime: FieldComparator = sameInstant;

/**
 * Field-by-field comparison of the state (`olds`, i.e. the last known outputs) with the checked inputs. An unknown
 * input (preview) counts as a change, since it may be one. Fields absent from `news` that the state has are changes
 * too (the user removed them), except those the check did not compute because their sources are unknown.
 */
export function changedFields(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  fields: readonly string[],
  comparators: Partial<Record<string, FieldComparator>> = {},
): string[] {
  return fields.filter((field) => {
    const after = news[field];
    if (after === UNKNOWN || containsUnknown(after)) return true;
    const same = comparators[field] ?? sameValue;
    return !same(olds[field], after);
  });
}
