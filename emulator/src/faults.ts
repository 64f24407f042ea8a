/**
 * Fault injection for /api/v2 requests: deterministic one-shot faults queued through
 * `POST /__emulator/faults/next`, and random faults from the config's rates.
 */
import { FaultRates } from "./config";
import { ErrorDetail, FieldError } from "./errors";

export const FAULT_KINDS = [
  "reset-before",
  "reset-after",
  "timeout-before",
  "timeout-after",
  "status500",
  "status502",
  "status503",
  "status504",
  "status429",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PendingFault {
  /** Upper-case HTTP method, or undefined for any. */
  method?: string;
  /** A route template (`/api/v2/routing/wrapupcodes/{codeId}`) or concrete path; undefined for any. */
  route?: string;
  kind: FaultKind;
  count: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseFaultRequest(body: unknown): PendingFault | ErrorDetail[] {
  if (!isObject(body)) return [{ errorCode: FieldError.type, fieldName: "(body)" }];
  const d: ErrorDetail[] = [];
  for (const k of Object.keys(body)) {
    if (!["method", "route", "kind", "count"].includes(k)) d.push({ errorCode: FieldError.unknown, fieldName: k });
  }
  const { method, route, kind, count } = body;
  if (method !== undefined && (typeof method !== "string" || !/^[A-Za-z]+$/.test(method)))
    d.push({ errorCode: FieldError.value, fieldName: "method" });
  if (route !== undefined && (typeof route !== "string" || !route.startsWith("/api/v2/")))
    d.push({ errorCode: FieldError.value, fieldName: "route" });
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind))
    d.push({ errorCode: kind === undefined ? FieldError.required : FieldError.value, fieldName: "kind" });
  if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 100_000))
    d.push({ errorCode: FieldError.value, fieldName: "count" });
  if (d.length > 0) return d;
  return {
    method: typeof method === "string" ? method.toUpperCase() : undefined,
    route: typeof route === "string" ? route.replace(/\/+$/, "") : undefined,
    kind: kind as FaultKind,
    count: (count as number | undefined) ?? 1,
  };
}

export class Faults {
  private pending: PendingFault[] = [];

  add(f: PendingFault): void {
    this.pending.push(f);
  }

  list(): PendingFault[] {
    return this.pending.map((f) => ({ ...f }));
  }

  clear(): void {
    this.pending = [];
  }

  /** Takes one use of the first queued fault matching the request, if any. */
  take(method: string, template: string, path: string): FaultKind | undefined {
    const i = this.pending.findIndex(
      (f) =>
        (f.method === undefined || f.method === method) &&
        (f.route === undefined || f.route === template || f.route === path),
    );
    if (i < 0) return undefined;
    const f = this.pending[i];
    if (--f.count <= 0) this.pending.splice(i, 1);
    return f.kind;
  }

  /** Rolls the random faults of the config (one random number; the rates add up to at most 1). */
  roll(rates: FaultRates, random: () => number = Math.random): FaultKind | undefined {
    let r = random();
    const table: [number, FaultKind][] = [
      [rates.status500, "status500"],
      [rates.status502, "status502"],
      [rates.status503, "status503"],
      [rates.status504, "status504"],
      [rates.status429, "status429"],
    ];
    for (const [p, kind] of table) {
      if (r < p) return kind;
      r -= p;
    }
    if (r < rates.connectionReset) return random() < rates.resetAfterCommitRatio ? "reset-after" : "reset-before";
    return undefined;
  }
}
