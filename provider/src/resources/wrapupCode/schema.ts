import { z } from "zod";
import { DispositionMatrix, effectiveReportingTags } from "../../matrix";
import type { CodeTraits } from "../../profiles/traits";
import { containsUnknown } from "../../unknown";
import type { Audit } from "../audit";
import { CheckFailure, isoDateTime, mergeFailures, onConflict, uuid, validateFields } from "../validate";

/** A wrap-up code as the user declares it (checked inputs, in the user's words). */
export interface WrapUpCodeInputs {
  name: string;
  code: string;
  category: string;
  /** The queues that offer the code, from `queueIds` or the one-queue shorthand `queueId`. */
  queueIds: string[];
  /** The division the code belongs to, when declared (platform profile). */
  divisionId?: string;
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
  /** The one queue, when the code is on exactly one (the shorthand's output). */
  queueId?: string;
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
  queueIds: z
    .array(uuid)
    .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, "must not name a queue twice"),
  divisionId: uuid,
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

/** Fields compared by `diff`, in the order a preview lists them. */
export const DIFF_FIELDS = [
  "name",
  "code",
  "category",
  "queueIds",
  "divisionId",
  "mandatory",
  "tags",
  "validFrom",
  "validThrough",
  "description",
  "onConflict",
] as const;

/**
 * Validates the declared inputs against the product's rules and what the profile's platform allows (`traits`), and
 * returns them normalised (defaults applied, `queueId` folded into `queueIds`, reporting tags computed), with one
 * failure per broken field. Makes no request.
 */
export function checkWrapUpCode(
  news: Record<string, unknown>,
  matrix: DispositionMatrix,
  traits: CodeTraits,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures = validateFields(news, fieldSchemas);
  for (const required of ["name", "code", "category"]) {
    if (news[required] === undefined && !failures.some((f) => f.property === required)) {
      failures.push({ property: required, reason: `${required}: is required` });
    }
  }
  failures.push(...queueFailures(news, traits, failures));
  if (news.divisionId !== undefined && !traits.divisions) {
    failures.push({
      property: "divisionId",
      reason: `divisionId: the ${traits.profile} API has no divisions (genesys:apiProfile is "${traits.profile}"); remove it`,
    });
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

  const { queueId, ...rest } = news;
  const inputs: Record<string, unknown> = {
    ...rest,
    queueIds: news.queueIds ?? (queueId === undefined ? [] : [queueId]),
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

/** `queueId` (one queue) or `queueIds` (any number), not both; as many as the profile's platform allows. */
function queueFailures(news: Record<string, unknown>, traits: CodeTraits, earlier: CheckFailure[]): CheckFailure[] {
  const { queueId, queueIds } = news;
  if (queueId !== undefined && queueIds !== undefined) {
    return [
      {
        property: "queueIds",
        reason: "queueIds: give queueId (the one-queue shorthand) or queueIds (any number of queues), not both",
      },
    ];
  }
  if (earlier.some((f) => f.property === "queueId" || f.property === "queueIds")) return [];
  if (containsUnknown(queueIds) && !Array.isArray(queueIds)) return [];
  const count = queueIds === undefined ? (queueId === undefined ? 0 : 1) : (queueIds as unknown[]).length;
  const { min, max } = traits.queues;
  if (count >= min && count <= max) return [];
  const property = queueIds === undefined ? "queueId" : "queueIds";
  if (max === 1) {
    return [
      {
        property,
        reason:
          count === 0
            ? `queueId: is required (the ${traits.profile} API holds each code in exactly one queue)`
            : `queueIds: the ${traits.profile} API holds each code in exactly one queue, got ${count}; use queueId`,
      },
    ];
  }
  return [{ property, reason: `${property}: must name ${min}..${max} queues, got ${count}` }];
}
