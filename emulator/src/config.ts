/**
 * Runtime configuration: rate limits, token lifetime, latency, random faults, webhook retries, and the
 * platform profile's knobs for its NOT CONFIRMED behaviours (duplicate status, per-queue limit, read lag).
 * Changed at start (`--config`, `startEmulator({config})`) or at runtime (`PUT /__emulator/config`).
 * It is not persisted in the data dir.
 */
import { ErrorDetail, FieldError } from "./errors";

export interface FaultRates {
  /** Probability (0..1) that an /api/v2 request is answered 500 without being processed. */
  status500: number;
  status502: number;
  status503: number;
  status504: number;
  /** Probability of a 429 (with `Retry-After: 1`) without being processed. */
  status429: number;
  /** Probability that the connection is reset (TCP RST) instead of answered. */
  connectionReset: number;
  /** Share of the resets that happen after the request was processed (committed). */
  resetAfterCommitRatio: number;
}

export interface WebhookRetryConfig {
  /** Maximum number of delivery attempts (first attempt included). */
  attempts: number;
  /** Delay before the 2nd attempt; doubled before each further attempt. */
  baseDelayMs: number;
  /** Per-attempt timeout of the callback request. */
  timeoutMs: number;
}

export interface EmulatorConfig {
  /** Per-token budget of /api/v2 requests in a 60 s window. */
  requestsPerMinute: number;
  /** `expires_in` of new tokens. */
  tokenLifetimeSeconds: number;
  /** Platform: token requests per client id in a 60 s window; 0 = unlimited. */
  tokenRequestsPerMinute: number;
  /** Delay before every /api/v2 request is processed. */
  latencyMs: number;
  /** Platform: status of a duplicate wrap-up code name (400 `duplicate.name` or 409 `general.conflict`). */
  duplicateNameStatus: 400 | 409;
  /** Platform: most wrap-up codes one queue may hold; 0 = no limit. */
  queueCodeLimit: number;
  /** Platform: how long reads lag behind a code's creation or deletion. */
  consistencyLagMs: number;
  faults: FaultRates;
  webhookRetry: WebhookRetryConfig;
}

export interface ConfigPatch {
  requestsPerMinute?: number;
  tokenLifetimeSeconds?: number;
  tokenRequestsPerMinute?: number;
  latencyMs?: number;
  duplicateNameStatus?: 400 | 409;
  queueCodeLimit?: number;
  consistencyLagMs?: number;
  faults?: Partial<FaultRates>;
  webhookRetry?: Partial<WebhookRetryConfig>;
}

export function defaultConfig(): EmulatorConfig {
  return {
    requestsPerMinute: 300,
    tokenLifetimeSeconds: 86400,
    tokenRequestsPerMinute: 0,
    latencyMs: 0,
    duplicateNameStatus: 400,
    queueCodeLimit: 0,
    consistencyLagMs: 0,
    faults: {
      status500: 0,
      status502: 0,
      status503: 0,
      status504: 0,
      status429: 0,
      connectionReset: 0,
      resetAfterCommitRatio: 0.5,
    },
    webhookRetry: { attempts: 5, baseDelayMs: 200, timeoutMs: 5000 },
  };
}

type Rule = { kind: "int"; min: number; max: number } | { kind: "prob" } | { kind: "oneOf"; values: number[] };

const topRules: Record<string, Rule> = {
  requestsPerMinute: { kind: "int", min: 1, max: 1_000_000 },
  tokenLifetimeSeconds: { kind: "int", min: 1, max: 31_536_000 },
  tokenRequestsPerMinute: { kind: "int", min: 0, max: 1_000_000 },
  latencyMs: { kind: "int", min: 0, max: 60_000 },
  duplicateNameStatus: { kind: "oneOf", values: [400, 409] },
  queueCodeLimit: { kind: "int", min: 0, max: 1_000_000 },
  consistencyLagMs: { kind: "int", min: 0, max: 600_000 },
};
const faultRules: Record<keyof FaultRates, Rule> = {
  status500: { kind: "prob" },
  status502: { kind: "prob" },
  status503: { kind: "prob" },
  status504: { kind: "prob" },
  status429: { kind: "prob" },
  connectionReset: { kind: "prob" },
  resetAfterCommitRatio: { kind: "prob" },
};
const retryRules: Record<keyof WebhookRetryConfig, Rule> = {
  attempts: { kind: "int", min: 1, max: 20 },
  baseDelayMs: { kind: "int", min: 0, max: 60_000 },
  timeoutMs: { kind: "int", min: 1, max: 120_000 },
};

function checkValue(value: unknown, rule: Rule): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return FieldError.type;
  if (rule.kind === "prob") return value < 0 || value > 1 ? FieldError.value : undefined;
  if (rule.kind === "oneOf") return rule.values.includes(value) ? undefined : FieldError.value;
  if (!Number.isInteger(value)) return FieldError.type;
  return value < rule.min || value > rule.max ? FieldError.value : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates a config patch. Returns the per-field problems (empty when valid).
 * Unknown keys are rejected so that typos do not silently do nothing.
 */
export function validateConfigPatch(patch: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!isObject(patch)) return [{ errorCode: FieldError.type, fieldName: "(body)" }];
  const checkGroup = (obj: Record<string, unknown>, rules: Record<string, Rule>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const rule = rules[key];
      if (!rule) {
        details.push({ errorCode: FieldError.unknown, fieldName: prefix + key });
        continue;
      }
      const err = checkValue(value, rule);
      if (err) details.push({ errorCode: err, fieldName: prefix + key });
    }
  };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "faults" || key === "webhookRetry") {
      if (!isObject(value)) details.push({ errorCode: FieldError.type, fieldName: key });
      else checkGroup(value, key === "faults" ? faultRules : retryRules, key + ".");
    } else {
      checkGroup({ [key]: value }, topRules, "");
    }
  }
  return details;
}

/** Applies an already validated patch (nested groups are merged key by key). */
export function applyConfigPatch(current: EmulatorConfig, patch: ConfigPatch): EmulatorConfig {
  return {
    ...current,
    ...(patch.requestsPerMinute !== undefined && { requestsPerMinute: patch.requestsPerMinute }),
    ...(patch.tokenLifetimeSeconds !== undefined && { tokenLifetimeSeconds: patch.tokenLifetimeSeconds }),
    ...(patch.tokenRequestsPerMinute !== undefined && { tokenRequestsPerMinute: patch.tokenRequestsPerMinute }),
    ...(patch.latencyMs !== undefined && { latencyMs: patch.latencyMs }),
    ...(patch.duplicateNameStatus !== undefined && { duplicateNameStatus: patch.duplicateNameStatus }),
    ...(patch.queueCodeLimit !== undefined && { queueCodeLimit: patch.queueCodeLimit }),
    ...(patch.consistencyLagMs !== undefined && { consistencyLagMs: patch.consistencyLagMs }),
    faults: { ...current.faults, ...patch.faults },
    webhookRetry: { ...current.webhookRetry, ...patch.webhookRetry },
  };
}

/** The fault probabilities are rolled with one random number, so together they must not exceed 1. */
export function faultRateSum(f: FaultRates): number {
  return f.status500 + f.status502 + f.status503 + f.status504 + f.status429 + f.connectionReset;
}

/** Validates and applies; returns the problems instead when the patch is invalid. */
export function patchConfig(current: EmulatorConfig, patch: unknown): EmulatorConfig | ErrorDetail[] {
  const details = validateConfigPatch(patch);
  if (details.length > 0) return details;
  const next = applyConfigPatch(current, patch as ConfigPatch);
  if (faultRateSum(next.faults) > 1 + 1e-9) return [{ errorCode: FieldError.value, fieldName: "faults" }];
  return next;
}
