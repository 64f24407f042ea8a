import { z } from "zod";
import { containsUnknown } from "../unknown";

/** One broken rule, as Pulumi shows it at preview: the property and why. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Per-field zod schemas; each field is validated on its own so unknown (preview) values can be skipped. */
export type FieldSchemas = Record<string, z.ZodType>;

/**
 * Validates every field that is present and known, and returns one failure per broken field whose reason names
 * the field and every rule it breaks. Unknown values (preview) pass: they are checked when they become known.
 */
export function validateFields(inputs: Record<string, unknown>, schemas: FieldSchemas): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [field, schema] of Object.entries(schemas)) {
    const value = inputs[field];
    // Absent fields are either optional or reported as required by the resource's own check.
    if (value === undefined || containsUnknown(value)) continue;
    const result = schema.safeParse(value);
    if (!result.success) {
      const rules = [...new Set(result.error.issues.map((i) => describeIssue(i)))];
      failures.push({ property: field, reason: `${field}: ${rules.join("; ")}` });
    }
  }
  return failures;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `[${issue.path.join(".")}] ` : "";
  if (issue.code === "invalid_type") {
    return `${where}must be ${issue.expected === "undefined" ? "absent" : `a ${issue.expected}`}`;
  }
  return `${where}${issue.message}`;
}

/** Folds failures of one property into one message, so the preview shows one line per broken field. */
export function mergeFailures(failures: readonly CheckFailure[]): CheckFailure[] {
  const byProperty = new Map<string, string[]>();
  for (const { property, reason } of failures) {
    const rule = reason.startsWith(`${property}: `) ? reason.slice(property.length + 2) : reason;
    byProperty.set(property, [...(byProperty.get(property) ?? []), rule]);
  }
  return [...byProperty].map(([property, rules]) => ({ property, reason: `${property}: ${rules.join("; ")}` }));
}

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), as the API requires. */
export const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be an ISO 8601 date-time with an offset, e.g. 2026-01-01T00:00:00Z",
  )
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be a real calendar date-time");

/** RFC 4122-shaped id (8-4-4-4-12 hex), as the API's ids are. */
export const uuid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    "must be a UUID (8-4-4-4-12 hex)",
  );

/** `"fail"` (default): an existing object with the same name fails the create. `"adopt"`: it is taken over. */
export const onConflict = z.enum(["fail", "adopt"], { message: 'must be "fail" or "adopt"' });

/** Two timestamps denote the same instant (the API may normalise the text). */
export function sameInstant(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "string" || typeof b !== "string") return (a ?? null) === (b ?? null);
  return Date.parse(a) === Date.parse(b);
}
