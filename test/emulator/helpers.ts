/** Shared helpers of the emulator tests. */
import { Json, QUEUES } from "../support/emulator";

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const CODES = "/api/v2/routing/wrapupcodes";
export const QUEUES_PATH = "/api/v2/routing/queues";
export const WEBHOOKS = "/api/v2/analytics/events/webhooks";

let counter = 0;
/** A name unique within the test process. */
export function uniqueName(prefix = "Code"): string {
  counter++;
  return `${prefix} ${process.pid} ${Date.now().toString(36)} ${counter}`;
}

/** A valid wrap-up code body (contract section 7), with overrides. */
export function validCode(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    codeName: uniqueName(),
    code: "ESC_TECH",
    codeCategoryName: "support",
    routingQueue: { id: QUEUES.Support },
    mandatoryField: true,
    reportingTags: ["cat:support", "sub:resolved", "priority:high"],
    validFrom: "2026-01-01T00:00:00Z",
    validThrough: null,
    description: null,
    ...overrides,
  };
}

/** Polls `probe` until it returns a value other than undefined (or throws after timeoutMs). */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Expects a contract error body (section 3) and its correlation header. */
export function expectErrorBody(
  res: { status: number; headers: Headers; body: Json },
  status: number,
  code: string,
): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.body.status).toBe(status);
  expect(typeof res.body.message).toBe("string");
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(res.body.contextId).toMatch(UUID_RE);
  expect(res.headers.get("inin-correlation-id")).toBe(res.body.contextId);
  expect(Array.isArray(res.body.details)).toBe(true);
  expect(res.body.errors).toEqual([]);
}

// ---- platform profile ----------------------------------------------------------------------

export const DIVISIONS = "/api/v2/authorization/divisions";
export const HOME_DIVISION_ID = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00";
export const EUROPE_DIVISION_ID = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d01";
/** ISO 8601 UTC with milliseconds, as the platform writes dates. */
export const ISO_MS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A platform wrap-up code's name, unique within the test process. */
export function platformName(prefix = "Code"): string {
  return uniqueName(prefix);
}

/** The fields of a platform WrapupCode (description only when set). */
export const CODE_FIELDS = [
  "createdBy",
  "dateCreated",
  "dateModified",
  "division",
  "id",
  "modifiedBy",
  "name",
  "selfUri",
] as const;
