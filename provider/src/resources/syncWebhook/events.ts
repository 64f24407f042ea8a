/**
 * BI-sync events the stack delivers itself (platform profile, where the platform has no webhook API): which changes
 * of the declared codes become events, their ids, their bodies. Pure: the provider's `check` computes the events from
 * the webhook's old and new inputs (the codes' records as the previous and this run applied them), and `update`
 * delivers them (delivery.ts). See docs/design.md, "BI sync on the platform profile".
 */
import { createHash } from "node:crypto";
import { containsUnknown } from "../../unknown";
import { isRecord, sameIdSet } from "../../util";
import type { FilterField, SyncEventType, SyncWebhookFilters } from "./schema";

/** A declared code as the webhook reports it: the stack's view, which holds what the platform does not. */
export interface CodeRecord {
  /** The code's identity in the stack (its resource name). */
  readonly key: string;
  /** The platform's id. */
  readonly codeId: string;
  readonly name: string;
  readonly code: string;
  readonly category: string;
  readonly reportingTags: readonly string[];
  readonly queueIds: readonly string[];
  readonly divisionId?: string;
  readonly mandatory: boolean;
  readonly validFrom?: string;
  readonly validThrough?: string;
  readonly description?: string;
  readonly createdBy?: string;
  readonly modifiedBy?: string;
  /** When the provider last wrote the code (its audit), to tell this run's codes from older ones. Not compared. */
  readonly writtenAt?: string;
}

/** The fields of a record an `updated` event reports, in the order it lists them. */
export const REPORTED_FIELDS = [
  "name",
  "code",
  "category",
  "reportingTags",
  "queueIds",
  "divisionId",
  "mandatory",
  "validFrom",
  "validThrough",
  "description",
] as const;

/** One field of an update: before and after. */
export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** An event to deliver. Its id is fixed by the webhook, the code and the code's event number: a redelivery repeats it. */
export interface StackEvent {
  readonly id: string;
  readonly type: SyncEventType;
  readonly key: string;
  /** The code's event number (1: created). */
  readonly version: number;
  /** What changed (updated events). */
  readonly changes?: readonly FieldChange[];
  /** The code as reported (for deleted events: as it last was; otherwise filled in from the inputs at delivery). */
  readonly entity?: CodeRecord;
  /** A deleted event waits for the platform to have deleted the code (the engine deletes after every other step). */
  readonly awaitingDelete?: boolean;
}

/** The webhook's settings that decide what is delivered. */
export interface DeliveryRules {
  readonly eventTypes: readonly SyncEventType[];
  readonly filters?: SyncWebhookFilters;
  readonly enabled: boolean;
}

/** A delivery id (RFC 4122 version-5 layout) from the webhook's scope, the code's key and its event number. */
export function deliveryId(scope: string, key: string, version: number): string {
  const h = createHash("sha1").update(`${scope}\0${key}\0${version}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The webhook's own id on a profile where the stack keeps it: fixed by its scope, so a re-created webhook keeps it. */
export function stackWebhookId(scope: string): string {
  return deliveryId(scope, "", 0);
}

/**
 * The records by key. In a preview some are not known yet: `pending` holds the keys of codes whose values this run
 * decides (a create or an update), `unknown` counts entries without even a key.
 */
export function recordsByKey(codes: unknown): {
  records: Map<string, CodeRecord>;
  pending: Set<string>;
  unknown: number;
} {
  const records = new Map<string, CodeRecord>();
  const pending = new Set<string>();
  let unknown = 0;
  if (!Array.isArray(codes)) return { records, pending, unknown: containsUnknown(codes) ? 1 : 0 };
  for (const item of codes) {
    if (!isRecord(item) || typeof item.key !== "string" || containsUnknown(item.key)) unknown += 1;
    else if (containsUnknown(item)) pending.add(item.key);
    else records.set(item.key, normalised(item));
  }
  return { records, pending, unknown };
}

/** A record with the defaults of the fields a program may leave out (a false flag, an empty list). */
function normalised(item: Record<string, unknown>): CodeRecord {
  return {
    ...(item as unknown as CodeRecord),
    mandatory: item.mandatory === true,
    queueIds: Array.isArray(item.queueIds) ? (item.queueIds as string[]) : [],
    reportingTags: Array.isArray(item.reportingTags) ? (item.reportingTags as string[]) : [],
  };
}

/** The fields of `after` that differ from `before`, with both values. */
export function changesBetween(before: CodeRecord, after: CodeRecord): FieldChange[] {
  return REPORTED_FIELDS.filter((field) => !same(field, before[field], after[field])).map((field) => ({
    field,
    before: before[field] ?? null,
    after: after[field] ?? null,
  }));
}

function same(field: string, a: unknown, b: unknown): boolean {
  if (field === "queueIds" && Array.isArray(a) && Array.isArray(b)) return sameIdSet(a, b);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The events between the codes as the webhook last saw them (`before`) and now (`after`), in key order, with the
 * codes' event numbers advanced. A code that is new to an existing webhook is `created`; to a webhook created in this
 * run, only when this run wrote it (`writtenSince`): codes that existed before the webhook are its starting point,
 * not news. Events the webhook's rules do not want are left out, but still numbered, so that ids never repeat.
 */
export function eventsBetween(
  before: ReadonlyMap<string, CodeRecord>,
  after: ReadonlyMap<string, CodeRecord>,
  versions: Readonly<Record<string, number>>,
  options: { scope: string; rules: DeliveryRules; newWebhook: boolean; writtenSince: number },
): { events: StackEvent[]; versions: Record<string, number> } {
  const next: Record<string, number> = {};
  const events: StackEvent[] = [];
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const key of keys) {
    const old = before.get(key);
    const now = after.get(key);
    const version = versions[key] ?? 0;
    let event: Omit<StackEvent, "id" | "version"> | undefined;
    if (!old && now) {
      const written = now.writtenAt ? Date.parse(now.writtenAt) : Number.NaN;
      if (!options.newWebhook || written >= options.writtenSince) event = { type: "created", key };
    } else if (old && !now) {
      event = { type: "deleted", key, entity: old, awaitingDelete: true };
    } else if (old && now) {
      const changes = changesBetween(old, now);
      if (changes.length > 0) event = { type: "updated", key, changes };
    }
    if (event) {
      next[key] = version + 1;
      const entity = event.entity ?? now!;
      if (wanted(options.rules, event.type, entity)) {
        events.push({ ...event, id: deliveryId(options.scope, key, version + 1), version: version + 1 });
      }
    } else if (now) {
      next[key] = version;
    }
  }
  return { events, versions: next };
}

/**
 * Whether the webhook wants an event, as the tutorial's platform decides it: enabled, the event type listed, and the
 * filters matching the code. Conditions on one field are alternatives (OR), on different fields all must hold (AND);
 * `exact` compares whole values (ids case-insensitively), `prefix` tests the start. `queueId` matches any of the
 * code's queues, `reportingTags` any of its tags.
 */
export function wanted(rules: DeliveryRules, type: SyncEventType, code: CodeRecord): boolean {
  if (!rules.enabled || !rules.eventTypes.includes(type)) return false;
  const filters = rules.filters;
  if (!filters || filters.conditions.length === 0) return true;
  const byField = new Map<FilterField, string[]>();
  for (const c of filters.conditions) byField.set(c.field, [...(byField.get(c.field) ?? []), c.value]);
  for (const [field, values] of byField) {
    const ids = field === "codeId" || field === "queueId";
    const norm = (s: string) => (ids ? s.toLowerCase() : s);
    const actual = valuesOf(code, field).map(norm);
    const hit = values.some((v) =>
      actual.some((a) => (filters.matchType === "prefix" ? a.startsWith(norm(v)) : a === norm(v))),
    );
    if (!hit) return false;
  }
  return true;
}

function valuesOf(code: CodeRecord, field: FilterField): string[] {
  if (field === "queueId") return [...code.queueIds];
  if (field === "reportingTags") return [...code.reportingTags];
  const value = code[field];
  return typeof value === "string" ? [value] : [];
}

/** The event's JSON body: the tutorial platform's envelope, the code in the stack's words, and what changed. */
export function eventBody(
  event: StackEvent,
  entity: CodeRecord,
  webhookId: string,
  timestamp: string,
): Record<string, unknown> {
  const { key: _key, writtenAt: _writtenAt, ...code } = entity;
  return {
    id: event.id,
    eventType: `routing:wrapupcode:${event.type}`,
    timestamp,
    webhookId,
    entity: { id: code.codeId, ...withoutCodeId(code) },
    ...(event.changes ? { changes: event.changes } : {}),
    source: { resource: event.key, eventNumber: event.version },
  };
}

function withoutCodeId<T extends { codeId: string }>(code: T): Omit<T, "codeId"> {
  const { codeId: _codeId, ...rest } = code;
  return rest;
}
