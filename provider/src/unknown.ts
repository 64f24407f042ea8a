/**
 * During `pulumi preview`, inputs that depend on not-yet-created resources reach `check` and `diff` as this
 * sentinel string (the nodejs dynamic-provider host's encoding of an unknown value).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value is unknown or contains an unknown anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
