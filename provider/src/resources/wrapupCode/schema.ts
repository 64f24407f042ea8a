import { z } from "zod";
import { DispositionMatrix, effectiveReportingTags } from "../../matrix";
import { containsUnknown } from "../../unknown";
import type { Audit } from "../audit";
import { CheckFailure, isoDateTime, mergeFailures, onConflict, uuid, validateFields } from "../validate";

/** A wrap-up code as the user declares it (checked inputs, in the user's words). */
export interface WrapUpCodeInputs {
  name: string;
  code: string;
  category: string;
  queueId: string;
  mandatory: boolean;
  tags: string[];
  validFrom?: string;
  validThrough?: string;
  description?: string;
  onConflict: "fail" | "adopt";
  /** Computed by `check` from the disposition matrix so that the preview shows the tags that will be sent. */
  reportingTags: string[];
}

/** A wrap-up code as kept in state: the inputs plus what the platform reports. */
export interface WrapUpCodeState extends WrapUpCodeInputs {
  codeId: string;
  dateCreated?: string;
  dateModified?: string;
  createdBy?: string;
  modifiedBy?: string;
  audit?: Audit;
}

const NAME_CHARS = /^[A-Za-z0-9 _-]*$/;
const TAG = /^[a-z0-9:_.-]{1,100}$/;

const fieldSchemas = {
  name: z
    .string()
    .min(1, "must not be empty")
    .max(255, "must be at most 255 characters")
    .regex(NAME_CHARS, "may contain only letters, digits, spaces, '_' and '-'")
    .refine((v) => v.length === 0 || v.trim().length > 0, "must not be only spaces"),
  code: z
    .string()
    .min(1, "must not be empty")
    .max(128, "must be at most 128 characters")
    .regex(NAME_CHARS, "may contain only letters, digits, spaces, '_' and '-'"),
  category: z.string().min(1, "must not be empty"),
  queueId: uuid,
  mandatory: z.boolean().optional(),
  tags: z
    .array(z.string().regex(TAG, "each tag must be 1..100 characters of [a-z0-9:_.-]"))
    .max(50, "at most 50 tags")
    .refine((tags) => new Set(tags).size === tags.length, "must not repeat a tag")
    .optional(),
  validFrom: isoDateTime.optional(),
  validThrough: isoDateTime.optional(),
  description: z.string().max(512, "must be at most 512 characters").optional(),
  onConflict: onConflict.optional(),
};

/** Fields whose change cannot be applied in place: `code` is the reporting key of every past interaction. */
export const REPLACE_FIELDS = ["code"] as const;
/** Fields compared by `diff`, in the order a preview lists them. */
export const DIFF_FIELDS = [
  "name",
  "code",
  "category",
  "queueId",
  "mandatory",
  "tags",
  "validFrom",
  "validThrough",
  "description",
  "onConflict",
] as const;

/**
 * Validates the declared inputs and returns them normalised (defaults applied, reporting tags computed),
 * with one failure per broken field. Makes no request.
 */
export function checkWrapUpCode(
  news: Record<string, unknown>,
  matrix: DispositionMatrix,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures = validateFields(news, fieldSchemas);
  for (const required of ["name", "code", "category", "queueId"]) {
    if (news[required] === undefined && !failures.some((f) => f.property === required)) {
      failures.push({ property: required, reason: `${required}: is required` });
    }
  }
  const broken = new Set(failures.map((f) => f.property));
  const { category, validFrom, validThrough } = news;
  if (typeof category === "string" && !containsUnknown(category) && category !== "" && !(category in matrix)) {
    failures.push({
      property: "category",
      reason: `category: "${category}" is not a disposition category; known: ${Object.keys(matrix).join(", ")}`,
    });
  }
  if (
    typeof validFrom === "string" &&
    typeof validThrough === "string" &&
    !broken.has("validFrom") &&
    !broken.has("validThrough") &&
    !containsUnknown(validFrom) &&
    !containsUnknown(validThrough) &&
    Date.parse(validFrom) >= Date.parse(validThrough)
  ) {
    failures.push({ property: "validThrough", reason: "validThrough: must be later than validFrom" });
  }

  const inputs: Record<string, unknown> = {
    ...news,
    mandatory: news.mandatory ?? false,
    tags: news.tags ?? [],
    onConflict: news.onConflict ?? "fail",
  };
  const tags = inputs.tags;
  if (typeof category === "string" && Array.isArray(tags) && !containsUnknown(category) && !containsUnknown(tags)) {
    const reportingTags = effectiveReportingTags(matrix, category, tags as string[]);
    if (reportingTags.length > 50) {
      failures.push({
        property: "tags",
        reason: `tags: with the ${reportingTags.length - tags.length} tags derived from category "${category}" the code would carry ${reportingTags.length} reporting tags; at most 50`,
      });
    }
    inputs.reportingTags = reportingTags;
  } else {
    delete inputs.reportingTags;
  }
  return { inputs, failures: mergeFailures(failures) };
}
