/** Small helpers shared by the resources and the profiles (one copy each). */

/** RFC 4122-shaped id (8-4-4-4-12 hex), as the platform's ids are. */
export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Pulumi drops undefined properties anyway; dropping them here keeps comparisons exact. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Case-insensitive equality of names (the platform's uniqueness rule). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Equality of two lists of platform ids as sets: order means nothing, ids compare case-insensitively. */
export function sameIdSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  const norm = (ids: readonly unknown[]) =>
    ids
      .map((id) => String(id).toLowerCase())
      .sort()
      .join(",");
  return norm(a) === norm(b);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
