import { z } from "zod";
import { isLoopbackHost } from "../../client/regions";
import type { CodeTraits } from "../../profiles/traits";
import { UNKNOWN, containsUnknown } from "../../unknown";
import { UUID_RE, isRecord } from "../../util";
import type { Audit } from "../audit";
import { CheckFailure, mergeFailures, onConflict, validateFields } from "../validate";
import { eventsBetween, recordsByKey, type StackEvent } from "./events";

/** Wrap-up code events a webhook can receive (API `routing:wrapupcode:<event>`). */
export const EVENT_TYPES = ["created", "updated", "deleted"] as const;
export type SyncEventType = (typeof EVENT_TYPES)[number];

/** Events sent when `eventTypes` is not given. */
export const DEFAULT_EVENT_TYPES: readonly SyncEventType[] = ["created", "updated"];

/** The wrap-up code fields a filter condition may name, in the words `WrapUpCode` uses for them. */
export const FILTER_FIELDS = [
  "codeId",
  "name",
  "code",
  "category",
  "queueId",
  "description",
  "createdBy",
  "modifiedBy",
  "reportingTags",
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** One condition of a filter: the code's `field` must match `value`. */
export interface FilterCondition {
  field: FilterField;
  value: string;
}

/** Which codes' events a webhook receives. */
export interface SyncWebhookFilters {
  /** `exact` compares whole values (ids case-insensitively); `prefix` tests whether the value starts with it. */
  matchType: "exact" | "prefix";
  /** Conditions on one field are alternatives (OR); conditions on different fields must all hold (AND). */
  conditions: FilterCondition[];
}

/** A webhook as the user declares it (checked inputs, in the user's words). */
export interface SyncWebhookInputs {
  name: string;
  callbackUrl: string;
  eventTypes: SyncEventType[];
  filters?: SyncWebhookFilters;
  /** Write-only on the platform; kept only in the (encrypted) inputs, never in outputs. */
  secret?: string;
  enabled: boolean;
  description?: string;
  onConflict: "fail" | "adopt";
  /**
   * Computed by `check`: counts the changes of `secret` this stack made (0 while none was ever set). `check` is the
   * one call that sees the old inputs, and so the old secret; the outputs carry only this counter, so `diff` sees a
   * rotation without the secret (or a hash of it) in the outputs. See docs/resources/sync-webhook.md.
   */
  secretVersion: number;
  /** Platform profile: the declared codes' records (`CodeRecord`), as this run applied them. */
  codes?: unknown[];
  /** Platform profile: `<project>/<stack>/<resource>`, which fixes the webhook's id and its events' ids. */
  deliveryScope?: string;
  /** Platform profile, computed by `check`: the events this run delivers (see events.ts). */
  events?: StackEvent[];
  /** Platform profile, computed by `check`: each code's event number so far. */
  eventNumbers?: Record<string, number>;
}

/** A webhook as kept in state (outputs): the inputs but the secret, plus what the platform reports. */
export interface SyncWebhookState extends Omit<SyncWebhookInputs, "secret"> {
  webhookId: string;
  /** `active` or `disabled`, as the platform reports it. */
  status?: string;
  /** Whether the platform holds a secret for this webhook (it never returns the secret itself). */
  secretSet?: boolean;
  dateCreated?: string;
  dateModified?: string;
  audit?: Audit;
  /** Platform profile: events not acknowledged yet, delivered by the next `up` under the same ids. */
  pendingEvents?: StackEvent[];
  /** Platform profile: the last run's deliveries, `{delivered, pending, time}`. */
  lastDelivery?: { delivered: number; pending: number; time: string };
}

/** Platform limits (contract section 8, as the emulator enforces them). */
export const LIMITS = {
  name: 255,
  description: 512,
  callbackUrl: 2048,
  conditions: 50,
  filterValue: 255,
  secret: 256,
} as const;

function callbackUrlRule(value: string, ctx: z.RefinementCtx): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an absolute URL, e.g. https://bi.example.com/genesys/webhook" });
    return;
  }
  if (url.username || url.password) {
    ctx.addIssue({
      code: "custom",
      message: "must not contain credentials (user:password@); sign with secret instead",
    });
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    ctx.addIssue({
      code: "custom",
      message: "must use https:// (plain http:// is allowed only for 127.0.0.0/8, localhost or [::1])",
    });
  } else if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: `must use https:// (got ${url.protocol})` });
  }
}

const eventType = z.string().superRefine((value, ctx) => {
  if ((EVENT_TYPES as readonly string[]).includes(value)) return;
  const short = value.replace(/^routing:wrapupcode:/, "");
  const hint = short !== value && (EVENT_TYPES as readonly string[]).includes(short) ? ` (write "${short}")` : "";
  ctx.addIssue({ code: "custom", message: `"${value}" is not an event type; use ${EVENT_TYPES.join(", ")}${hint}` });
});

/** An object of `shape`; a non-object fails with `message`. */
function objectOf<T extends z.ZodRawShape>(shape: T, message: string) {
  return z.custom<Record<string, unknown>>(isRecord, { message }).pipe(z.object(shape));
}

const condition = objectOf(
  {
    field: z.enum(FILTER_FIELDS, { message: `field must be one of ${FILTER_FIELDS.join(", ")}` }),
    value: z
      .string()
      .min(1, "value must not be empty")
      .max(LIMITS.filterValue, `value must be at most ${LIMITS.filterValue} characters`),
  },
  "each condition must be an object {field, value}",
);

/** A list of `item`; a non-list fails with `message` (zod's own "expected array" reads badly in a preview). */
function listOf<T extends z.ZodType>(item: T, message: string) {
  return z.custom<unknown[]>((v) => Array.isArray(v), { message }).pipe(z.array(item));
}

const fieldSchemas = {
  name: z
    .string()
    .min(1, "must not be empty")
    .max(LIMITS.name, `must be at most ${LIMITS.name} characters`)
    .refine((v) => v.length === 0 || v.trim().length > 0, "must not be only spaces")
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters"),
  callbackUrl: z
    .string()
    .min(1, "must not be empty")
    .max(LIMITS.callbackUrl, `must be at most ${LIMITS.callbackUrl} characters`)
    .superRefine(callbackUrlRule),
  eventTypes: listOf(eventType, `must be a list of event types (${EVENT_TYPES.join(", ")})`)
    .refine((types) => types.length > 0, "must list at least one event type")
    .refine((types) => new Set(types).size === types.length, "must not repeat an event type"),
  filters: objectOf(
    {
      matchType: z.enum(["exact", "prefix"], { message: 'matchType must be "exact" or "prefix"' }).optional(),
      conditions: listOf(condition, "conditions must be a list of {field, value}")
        .refine((list) => list.length > 0, "must list 1..50 conditions; omit filters to receive every code's events")
        .refine((list) => list.length <= LIMITS.conditions, `must list at most ${LIMITS.conditions} conditions`),
    },
    "must be an object {matchType, conditions}",
  ),
  // The messages never quote the value: this field is a secret.
  secret: z
    .string({ message: "must be a string" })
    .min(1, "must not be empty; omit secret to send unsigned events")
    .max(LIMITS.secret, `must be at most ${LIMITS.secret} characters`),
  enabled: z.boolean(),
  description: z.string().max(LIMITS.description, `must be at most ${LIMITS.description} characters`),
  onConflict,
  deliveryScope: z.string().min(1),
};

/** Fields compared by `diff`, in the order a preview lists them. No field replaces: every change is a PUT. */
export const DIFF_FIELDS = [
  "name",
  "callbackUrl",
  "eventTypes",
  "filters",
  "secretVersion",
  "enabled",
  "description",
  "onConflict",
] as const;

/** When this provider process started: codes written since are this run's (see `eventsBetween`). */
const PROCESS_START = Date.now() - process.uptime() * 1000;

/**
 * Validates the declared inputs and returns them normalised (defaults applied, `secretVersion` computed from the old
 * inputs `olds`), with one failure per broken field. Makes no request, and never puts the secret's value into a
 * failure. Where the stack delivers the events (`traits.webhookDelivery`), it also computes the events of this run
 * from the codes' records in the old and new inputs.
 */
export function checkSyncWebhook(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  traits?: CodeTraits,
): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const failures = validateFields(news, fieldSchemas);
  if (traits) failures.push(...codesFailures(news, traits));
  for (const required of ["name", "callbackUrl"]) {
    if (news[required] === undefined && !failures.some((f) => f.property === required)) {
      failures.push({ property: required, reason: `${required}: is required` });
    }
  }
  const filters = news.filters;
  if (isRecord(filters) && !containsUnknown(filters) && !failures.some((f) => f.property === "filters")) {
    failures.push(...idConditionFailures(filters));
  }

  const inputs: Record<string, unknown> = {
    ...news,
    eventTypes: news.eventTypes ?? [...DEFAULT_EVENT_TYPES],
    enabled: news.enabled ?? true,
    onConflict: news.onConflict ?? "fail",
    secretVersion: secretVersion(olds, news),
  };
  if (isRecord(filters) && filters.matchType === undefined) inputs.filters = { matchType: "exact", ...filters };
  if (traits?.webhookDelivery === "stack" && failures.length === 0) Object.assign(inputs, stackEvents(olds, inputs));
  return { inputs, failures: mergeFailures(failures) };
}

/** Platform profile: `codes` lists the codes to report; the tutorial's platform delivers by itself and takes none. */
function codesFailures(news: Record<string, unknown>, traits: CodeTraits): CheckFailure[] {
  const { codes } = news;
  if (traits.webhookDelivery === "platform") {
    return codes === undefined || (Array.isArray(codes) && codes.length === 0)
      ? []
      : [
          {
            property: "codes",
            reason:
              `codes: on the ${traits.profile} profile the platform delivers every code's events by itself; remove ` +
              "codes and declare the codes with dependsOn: [webhook] so that the webhook exists before them",
          },
        ];
  }
  if (codes === undefined) {
    return [
      {
        property: "codes",
        reason:
          `codes: is required on the ${traits.profile} profile: the platform has no webhook API, so the stack ` +
          "delivers the events of the codes listed here (codes: [code1, code2, …])",
      },
    ];
  }
  if (containsUnknown(codes) && !Array.isArray(codes)) return [];
  if (!Array.isArray(codes)) return [{ property: "codes", reason: "codes: must be a list of WrapUpCode resources" }];
  return [];
}

/** The events between the codes the webhook reported last (old inputs) and now, and the codes' event numbers. */
function stackEvents(olds: Record<string, unknown>, inputs: Record<string, unknown>): Record<string, unknown> {
  const before = new Map(recordsByKey(olds.codes).records);
  const after = recordsByKey(inputs.codes);
  // A code this run is still deciding (a preview) is neither unchanged nor removed: counted once, below.
  for (const key of after.pending) before.delete(key);
  const scope = String(inputs.deliveryScope ?? inputs.name);
  const { events, versions } = eventsBetween(
    before,
    after.records,
    isRecord(olds.eventNumbers) ? (olds.eventNumbers as Record<string, number>) : {},
    {
      scope,
      rules: {
        eventTypes: inputs.eventTypes as SyncEventType[],
        filters: inputs.filters as SyncWebhookFilters | undefined,
        enabled: inputs.enabled as boolean,
      },
      newWebhook: olds.codes === undefined,
      writtenSince: PROCESS_START,
    },
  );
  // Codes not known yet (a preview) may each bring an event: the preview counts them, `up` sees them known.
  const undecided = after.pending.size + after.unknown;
  if (undecided > 0) return { events: [...events, ...Array(undecided).fill(UNKNOWN)], eventNumbers: UNKNOWN };
  return { events, eventNumbers: versions };
}

/**
 * The old inputs' counter, plus one when the secret changed (set, rotated or removed). Unknown while the new secret
 * is unknown (preview of a secret computed by another resource): the engine then shows a possible change.
 */
function secretVersion(olds: Record<string, unknown>, news: Record<string, unknown>): number | typeof UNKNOWN {
  const previous = typeof olds.secretVersion === "number" ? olds.secretVersion : 0;
  if (containsUnknown(news.secret)) return UNKNOWN;
  return (olds.secret ?? null) === (news.secret ?? null) ? previous : previous + 1;
}

/** Exact conditions on ids can only match a UUID; say so at preview rather than receive nothing for ever. */
function idConditionFailures(filters: Record<string, unknown>): CheckFailure[] {
  if ((filters.matchType ?? "exact") !== "exact" || !Array.isArray(filters.conditions)) return [];
  return filters.conditions.flatMap((c: { field?: unknown; value?: unknown }, i) =>
    (c.field === "queueId" || c.field === "codeId") && typeof c.value === "string" && !UUID_RE.test(c.value)
      ? [{ property: "filters", reason: `filters: [conditions.${i}.value] ${c.field} must be a UUID (8-4-4-4-12 hex)` }]
      : [],
  );
}
