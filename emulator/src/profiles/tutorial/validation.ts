/**
 * Body validation for wrap-up codes (contract section 7) and webhooks (section 8).
 * One `details` entry per invalid field; the first problem of a field wins.
 */
import { ErrorDetail, FieldError } from "../../errors";
import { UUID_RE } from "../../model";
import {
  DispositionMatrix,
  EVENT_TYPES,
  EventType,
  WebhookFilter,
  WebhookFilters,
  WebhookInput,
  WrapupCodeInput,
} from "./model";

const NAME_RE = /^[A-Za-z0-9 _-]+$/;
const TAG_RE = /^[a-z0-9:_.-]+$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;

export const CODE_LIMITS = {
  codeName: 255,
  code: 128,
  description: 512,
  reportingTags: 50,
  reportingTag: 100,
  codesPerQueue: 1000,
} as const;

export const WEBHOOK_LIMITS = {
  name: 255,
  description: 512,
  callbackUrl: 2048,
  filters: 50,
  filterValue: 255,
} as const;

/** Fields of a wrap-up code that webhook filters may name. `reportingTags` matches any tag. */
export const FILTER_FIELDS = [
  "id",
  "codeName",
  "code",
  "codeCategoryName",
  "routingQueue.id",
  "description",
  "createdBy",
  "modifiedBy",
  "reportingTags",
] as const;

export type Result<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Checker {
  readonly details: ErrorDetail[] = [];
  fail(fieldName: string, errorCode: string): undefined {
    if (!this.details.some((d) => d.fieldName === fieldName)) this.details.push({ errorCode, fieldName });
    return undefined;
  }
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parses an ISO 8601 date-time with offset (`Z` or `±hh:mm`); returns epoch ms or undefined. */
export function parseDateTime(s: string): number | undefined {
  const m = DATE_TIME_RE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  if (m[7] !== "Z" && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

function checkName(c: Checker, body: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return c.fail(field, FieldError.required);
  if (typeof v !== "string") return c.fail(field, FieldError.type);
  if (v.length < 1 || v.length > max) return c.fail(field, FieldError.length);
  if (!NAME_RE.test(v) || v.trim() === "") return c.fail(field, FieldError.format);
  return v;
}

function optionalString(c: Checker, body: Record<string, unknown>, field: string, max: number): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") return c.fail(field, FieldError.type) ?? null;
  if (v.length > max) return c.fail(field, FieldError.length) ?? null;
  return v;
}

function optionalDate(c: Checker, body: Record<string, unknown>, field: string): [string | null, number | undefined] {
  const v = body[field];
  if (v === undefined || v === null) return [null, undefined];
  if (typeof v !== "string") return [c.fail(field, FieldError.type) ?? null, undefined];
  const ms = parseDateTime(v);
  if (ms === undefined) return [c.fail(field, FieldError.format) ?? null, undefined];
  return [v, ms];
}

export function validateCode(body: unknown, matrix: DispositionMatrix): Result<WrapupCodeInput> {
  if (!isObject(body)) return { ok: false, details: [{ errorCode: FieldError.type, fieldName: "(body)" }] };
  const c = new Checker();
  const codeName = checkName(c, body, "codeName", CODE_LIMITS.codeName);
  const code = checkName(c, body, "code", CODE_LIMITS.code);

  let codeCategoryName: string | undefined;
  const cat = body.codeCategoryName;
  if (cat === undefined || cat === null) c.fail("codeCategoryName", FieldError.required);
  else if (typeof cat !== "string") c.fail("codeCategoryName", FieldError.type);
  else if (!Object.prototype.hasOwnProperty.call(matrix, cat)) c.fail("codeCategoryName", FieldError.value);
  else codeCategoryName = cat;

  let queueId: string | undefined;
  const rq = body.routingQueue;
  if (rq === undefined || rq === null) c.fail("routingQueue.id", FieldError.required);
  else if (!isObject(rq)) c.fail("routingQueue.id", FieldError.type);
  else if (rq.id === undefined || rq.id === null) c.fail("routingQueue.id", FieldError.required);
  else if (typeof rq.id !== "string") c.fail("routingQueue.id", FieldError.type);
  else if (!UUID_RE.test(rq.id)) c.fail("routingQueue.id", FieldError.format);
  else queueId = rq.id.toLowerCase();

  let mandatoryField = false;
  const mf = body.mandatoryField;
  if (mf !== undefined && mf !== null) {
    if (typeof mf !== "boolean") c.fail("mandatoryField", FieldError.type);
    else mandatoryField = mf;
  }

  let reportingTags: string[] = [];
  const tags = body.reportingTags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) c.fail("reportingTags", FieldError.type);
    else if (tags.length > CODE_LIMITS.reportingTags) c.fail("reportingTags", FieldError.tooMany);
    else if (tags.some((t) => typeof t !== "string")) c.fail("reportingTags", FieldError.type);
    else if (tags.some((t: string) => t.length < 1 || t.length > CODE_LIMITS.reportingTag))
      c.fail("reportingTags", FieldError.length);
    else if (tags.some((t: string) => !TAG_RE.test(t))) c.fail("reportingTags", FieldError.format);
    else if (new Set(tags).size !== tags.length) c.fail("reportingTags", FieldError.duplicate);
    else reportingTags = [...(tags as string[])];
  }

  const [validFrom, fromMs] = optionalDate(c, body, "validFrom");
  const [validThrough, throughMs] = optionalDate(c, body, "validThrough");
  if (fromMs !== undefined && throughMs !== undefined && fromMs >= throughMs) c.fail("validThrough", FieldError.value);

  const description = optionalString(c, body, "description", CODE_LIMITS.description);

  if (c.details.length > 0) return { ok: false, details: c.details };
  return {
    ok: true,
    value: {
      codeName: codeName!,
      code: code!,
      codeCategoryName: codeCategoryName!,
      routingQueue: { id: queueId! },
      mandatoryField,
      reportingTags,
      validFrom,
      validThrough,
      description,
    },
  };
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function checkCallbackUrl(c: Checker, v: unknown): string | undefined {
  if (v === undefined || v === null) return c.fail("callbackUrl", FieldError.required);
  if (typeof v !== "string") return c.fail("callbackUrl", FieldError.type);
  if (v.length < 1 || v.length > WEBHOOK_LIMITS.callbackUrl) return c.fail("callbackUrl", FieldError.length);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return c.fail("callbackUrl", FieldError.format);
  }
  if (url.username || url.password) return c.fail("callbackUrl", FieldError.value);
  if (url.protocol === "https:") return v;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return v;
  return c.fail("callbackUrl", FieldError.value);
}

function checkFilters(c: Checker, v: unknown): WebhookFilters | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return c.fail("filters", FieldError.type) ?? null;
  const matchType = v.matchType;
  let okMatch: "exact" | "prefix" | undefined;
  if (matchType === undefined || matchType === null) c.fail("filters.matchType", FieldError.required);
  else if (matchType !== "exact" && matchType !== "prefix") c.fail("filters.matchType", FieldError.value);
  else okMatch = matchType;

  const list = v.filters;
  const filters: WebhookFilter[] = [];
  if (list === undefined || list === null) {
    // no filter entries: matches everything
  } else if (!Array.isArray(list)) c.fail("filters.filters", FieldError.type);
  else if (list.length > WEBHOOK_LIMITS.filters) c.fail("filters.filters", FieldError.tooMany);
  else {
    list.forEach((f, i) => {
      const at = `filters.filters[${i}]`;
      if (!isObject(f)) return c.fail(at, FieldError.type);
      if (f.field === undefined || f.field === null) return c.fail(`${at}.field`, FieldError.required);
      if (typeof f.field !== "string") return c.fail(`${at}.field`, FieldError.type);
      if (!(FILTER_FIELDS as readonly string[]).includes(f.field)) return c.fail(`${at}.field`, FieldError.value);
      if (f.value === undefined || f.value === null) return c.fail(`${at}.value`, FieldError.required);
      if (typeof f.value !== "string") return c.fail(`${at}.value`, FieldError.type);
      if (f.value.length < 1 || f.value.length > WEBHOOK_LIMITS.filterValue)
        return c.fail(`${at}.value`, FieldError.length);
      filters.push({ field: f.field, value: f.value });
    });
  }
  return okMatch ? { matchType: okMatch, filters } : null;
}

function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 0x20 || ch === 0x7f) return true;
  }
  return false;
}

export function validateWebhook(body: unknown): Result<WebhookInput> {
  if (!isObject(body)) return { ok: false, details: [{ errorCode: FieldError.type, fieldName: "(body)" }] };
  const c = new Checker();

  let name: string | undefined;
  const n = body.name;
  if (n === undefined || n === null) c.fail("name", FieldError.required);
  else if (typeof n !== "string") c.fail("name", FieldError.type);
  else if (n.length < 1 || n.length > WEBHOOK_LIMITS.name) c.fail("name", FieldError.length);
  else if (n.trim() === "" || hasControlChars(n)) c.fail("name", FieldError.format);
  else name = n;

  const description = optionalString(c, body, "description", WEBHOOK_LIMITS.description);
  const callbackUrl = checkCallbackUrl(c, body.callbackUrl);

  let eventTypes: EventType[] | undefined;
  const et = body.eventTypes;
  if (et === undefined || et === null) c.fail("eventTypes", FieldError.required);
  else if (!Array.isArray(et)) c.fail("eventTypes", FieldError.type);
  else if (et.length === 0) c.fail("eventTypes", FieldError.required);
  else if (et.some((t) => typeof t !== "string")) c.fail("eventTypes", FieldError.type);
  else if (et.some((t) => !(EVENT_TYPES as readonly string[]).includes(t))) c.fail("eventTypes", FieldError.value);
  else if (new Set(et).size !== et.length) c.fail("eventTypes", FieldError.duplicate);
  else eventTypes = [...(et as EventType[])];

  const filters = checkFilters(c, body.filters);

  let enabled = true;
  if (body.enabled !== undefined && body.enabled !== null) {
    if (typeof body.enabled !== "boolean") c.fail("enabled", FieldError.type);
    else enabled = body.enabled;
  }

  let secret: string | null | undefined;
  const s = body.secret;
  if (s === undefined) secret = undefined;
  else if (s === null) secret = null;
  else if (typeof s !== "string") c.fail("secret", FieldError.type);
  else if (s.length < 1 || s.length > 256) c.fail("secret", FieldError.length);
  else secret = s;

  if (c.details.length > 0) return { ok: false, details: c.details };
  return {
    ok: true,
    value: { name: name!, description, callbackUrl: callbackUrl!, eventTypes: eventTypes!, filters, enabled, secret },
  };
}
