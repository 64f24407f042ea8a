/** Disposition categories and their subcategories (contract 7.1); configurable via `genesys:dispositionMatrix`. */
export type DispositionMatrix = Readonly<Record<string, readonly string[]>>;

/** The organisation default from the contract, used when `genesys:dispositionMatrix` is not set. */
export const DEFAULT_DISPOSITION_MATRIX: DispositionMatrix = {
  sales: ["conversion", "lead", "follow_up"],
  support: ["resolved", "escalation", "callback"],
  compliance: ["voicemail", "no_answer", "wrong_number"],
};

/** Tags the platform expects for a category: `cat:<category>` then `sub:<s>` for each subcategory. */
export function derivedTags(matrix: DispositionMatrix, category: string): string[] {
  const subs = matrix[category] ?? [];
  return [`cat:${category.toLowerCase()}`, ...subs.map((s) => `sub:${s}`)];
}

/** Effective reporting tags: derived tags, then the user's own; duplicates removed, first occurrence kept. */
export function effectiveReportingTags(
  matrix: DispositionMatrix,
  category: string,
  userTags: readonly string[],
): string[] {
  return [...new Set([...derivedTags(matrix, category), ...userTags])];
}

/**
 * The user's own tags recovered from a code's reporting tags: what is left after the derived prefix.
 * Used by refresh when a code's tags were changed outside Pulumi.
 */
export function userTagsFrom(matrix: DispositionMatrix, category: string, reportingTags: readonly string[]): string[] {
  const derived = new Set(derivedTags(matrix, category));
  return reportingTags.filter((t) => !derived.has(t));
}
