/**
 * Fault injection: deterministic one-shot faults queued through `POST /__emulator/faults/next` (for /api/v2
 * requests, and `token-rate-limit` for the token endpoint), and random faults of /api/v2 requests from the
 * config's rates.
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
  "token-rate-limit",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The token endpoint's path: the only route of the `token-rate-limit` fault. */
export const TOKEN_ROUTE = "/oauth/token";

/** Which requests a fault kind applies to. */
export function faultTarget(kind: FaultKind): "api" | "token" {
  return kind === "token-rate-limit" ? "token" : "api";
}

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
  const knownKind = typeof kind === "string" && (FAULT_KINDS as readonly string[]).includes(kind);
  if (!knownKind) d.push({ errorCode: kind === undefined ? FieldError.required : FieldError.value, fieldName: "kind" });
  // API faults take /api/v2 routes; the token fault only the token endpoint.
  const tokenFault = knownKind && faultTarget(kind as FaultKind) === "token";
  const routeOk =
    route === undefined ||
    (typeof route === "string" &&
      (tokenFault ? route.replace(/\/+$/, "") === TOKEN_ROUTE : route.startsWith("/api/v2/")));
  if (!routeOk) d.push({ errorCode: FieldError.value, fieldName: "route" });
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

  /** Takes one use of the first queued fault of `target` matching the request, if any. */
  take(target: "api" | "token", method: string, template: string, path: string): FaultKind | undefined {
    const i = this.pending.findIndex(
      (f) =>
        faultTarget(f.kind) === target &&
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
