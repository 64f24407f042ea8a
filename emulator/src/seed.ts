/**
 * Seed data shared by both profiles: OAuth clients and queues (plus each profile's own keys, validated and
 * written by the profile).
 *
 * The default seed is used when no seed is given. A seed file replaces each part it names
 * (`clients`, `queues`, and the profile's parts) and `queueCount` adds generated queues.
 * On the first start of a data dir the whole (default or given) seed is written. On a later
 * start, a given seed is merged into the stored data (clients and queues upserted by id); without a
 * seed the stored data is used as is.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { describeDetails, ErrorDetail, FieldError } from "./errors";
import { Client, Division, isRecord, Queue, UUID_RE } from "./model";
import { ALL_PERMISSIONS, PERMISSIONS, SeedDivision, SeedWrapupCode } from "./profiles/platform/model";
import { ALL_SCOPES, DispositionMatrix, SCOPES } from "./profiles/tutorial/model";
import { Store } from "./store";

export interface SeedClient {
  clientId: string;
  /** Omitted: a random secret is generated at first start and kept in the data dir. */
  clientSecret?: string;
  /** Tutorial scopes (default none). */
  scopes?: string[];
  /** Platform permissions (default none). */
  permissions?: string[];
}

export interface SeedQueue {
  /** Omitted: a deterministic uuid derived from the name. */
  id?: string;
  name: string;
  /** A division name, or `{id?, name}`. Default: the `Home` division. */
  division?: string | { id?: string; name: string };
  memberCount?: number;
}

export interface Seed {
  clients?: SeedClient[];
  queues?: SeedQueue[];
  /** Number of extra generated queues (`Queue 0001`… with ids `8e0d6f2a-1b3c-4d5e-8f71-000000000001`…). */
  queueCount?: number;
  /** Tutorial: the disposition matrix. */
  dispositionMatrix?: DispositionMatrix;
  /** Platform: divisions beside Home and Europe. */
  divisions?: SeedDivision[];
  /** Platform: hand-made codes (as if made in the admin UI). */
  wrapupCodes?: SeedWrapupCode[];
}

/** What a profile adds to the seed. */
export interface SeedProfile {
  readonly name: string;
  readonly seedKeys: readonly string[];
  validateSeed(seed: Record<string, unknown>): ErrorDetail[];
}

export const HOME_DIVISION: Division = { id: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00", name: "Home" };

export const DEFAULT_QUEUES = {
  Support: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01",
  Sales: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e02",
  Billing: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e03",
  Retention: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e04",
} as const;

/** The same clients on both profiles: tutorial scopes and platform permissions side by side. */
export const DEFAULT_CLIENTS: SeedClient[] = [
  { clientId: "emulator-admin", scopes: [...ALL_SCOPES], permissions: [...ALL_PERMISSIONS] },
  {
    clientId: "emulator-readonly",
    clientSecret: "emulator-readonly-secret",
    scopes: [SCOPES.codeRead, SCOPES.queueRead],
    permissions: [PERMISSIONS.codeView, PERMISSIONS.queueView, PERMISSIONS.divisionView],
  },
  { clientId: "emulator-noscope", clientSecret: "emulator-noscope-secret", scopes: [], permissions: [] },
];

const SHARED_KEYS = ["clients", "queues", "queueCount", "$schema", "comment"];

export function defaultClients(): SeedClient[] {
  return DEFAULT_CLIENTS.map((c) => ({ ...c, scopes: [...(c.scopes ?? [])], permissions: [...(c.permissions ?? [])] }));
}

export function defaultQueues(): SeedQueue[] {
  return Object.entries(DEFAULT_QUEUES).map(([name, id]) => ({ id, name }));
}

/** A uuid (version-5 layout) derived from a namespace and a name: stable across runs. */
export function nameUuid(namespace: string, name: string): string {
  const h = createHash("sha1").update(`${namespace}\0${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function generatedQueueId(index: number): string {
  return `8e0d6f2a-1b3c-4d5e-8f71-${String(index).padStart(12, "0")}`;
}

export function generatedQueueName(index: number): string {
  return `Queue ${String(index).padStart(4, "0")}`;
}

const GENERATED_PREFIX = "8e0d6f2a-1b3c-4d5e-8f71-";
export const MAX_QUEUE_COUNT = 10_000;

function checkGrants(value: unknown, known: readonly string[], at: string, fail: (f: string, c: string) => void) {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(at, FieldError.type);
  else if (value.some((s) => typeof s !== "string" || !known.includes(s))) fail(at, FieldError.value);
}

/** Validates a seed object for a profile; returns the problems (field paths as in the seed file). */
export function validateSeed(seed: unknown, profile: SeedProfile): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  const fail = (fieldName: string, errorCode: string) => d.push({ fieldName, errorCode });
  if (!isRecord(seed)) return [{ fieldName: "(seed)", errorCode: FieldError.type }];
  for (const key of Object.keys(seed)) {
    if (!SHARED_KEYS.includes(key) && !profile.seedKeys.includes(key)) fail(key, FieldError.unknown);
  }
  if (seed.clients !== undefined) {
    if (!Array.isArray(seed.clients)) fail("clients", FieldError.type);
    else if (seed.clients.length === 0) fail("clients", FieldError.required);
    else {
      const ids = new Set<string>();
      seed.clients.forEach((c: unknown, i) => {
        const at = `clients[${i}]`;
        if (!isRecord(c)) return fail(at, FieldError.type);
        if (typeof c.clientId !== "string" || c.clientId.length < 1 || c.clientId.length > 255)
          fail(`${at}.clientId`, FieldError.value);
        else if (ids.has(c.clientId)) fail(`${at}.clientId`, FieldError.duplicate);
        else ids.add(c.clientId);
        if (c.clientSecret !== undefined && (typeof c.clientSecret !== "string" || c.clientSecret.length < 1))
          fail(`${at}.clientSecret`, FieldError.value);
        checkGrants(c.scopes, ALL_SCOPES, `${at}.scopes`, fail);
        checkGrants(c.permissions, ALL_PERMISSIONS, `${at}.permissions`, fail);
        for (const k of Object.keys(c)) {
          if (!["clientId", "clientSecret", "scopes", "permissions"].includes(k))
            fail(`${at}.${k}`, FieldError.unknown);
        }
      });
    }
  }
  if (seed.queues !== undefined) d.push(...validateSeedQueues(seed.queues, "queues"));
  if (seed.queueCount !== undefined) {
    const n = seed.queueCount;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_QUEUE_COUNT)
      fail("queueCount", FieldError.value);
  }
  d.push(...profile.validateSeed(seed));
  return d;
}

export function validateSeedQueues(queues: unknown, prefix: string): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  const fail = (fieldName: string, errorCode: string) => d.push({ fieldName, errorCode });
  if (!Array.isArray(queues)) return [{ fieldName: prefix, errorCode: FieldError.type }];
  const ids = new Set<string>();
  const names = new Set<string>();
  queues.forEach((q: unknown, i) => {
    const at = `${prefix}[${i}]`;
    if (!isRecord(q)) return fail(at, FieldError.type);
    if (typeof q.name !== "string" || q.name.trim().length === 0 || q.name.length > 255)
      fail(`${at}.name`, FieldError.value);
    else if (names.has(q.name.toLowerCase())) fail(`${at}.name`, FieldError.duplicate);
    else names.add(q.name.toLowerCase());
    if (q.id !== undefined) {
      if (typeof q.id !== "string" || !UUID_RE.test(q.id)) fail(`${at}.id`, FieldError.format);
      else if (ids.has(q.id.toLowerCase())) fail(`${at}.id`, FieldError.duplicate);
      else ids.add(q.id.toLowerCase());
    }
    const div = q.division;
    if (div !== undefined) {
      const ok =
        (typeof div === "string" && div.length > 0) ||
        (isRecord(div) &&
          typeof div.name === "string" &&
          div.name.length > 0 &&
          (div.id === undefined || (typeof div.id === "string" && UUID_RE.test(div.id))));
      if (!ok) fail(`${at}.division`, FieldError.value);
    }
    if (q.memberCount !== undefined) {
      const n = q.memberCount;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0) fail(`${at}.memberCount`, FieldError.value);
    }
  });
  return d;
}

export function readSeedFile(file: string, profile: SeedProfile): Seed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read seed file ${file}: ${(e as Error).message}`);
  }
  return checkedSeed(parsed, profile, file);
}

export function checkedSeed(seed: unknown, profile: SeedProfile, where = "seed"): Seed {
  const problems = validateSeed(seed, profile);
  if (problems.length > 0) {
    throw new Error(`invalid ${where} for the ${profile.name} profile: ${describeDetails(problems)}`);
  }
  return seed as Seed;
}

function toDivision(div: SeedQueue["division"]): Division {
  if (div === undefined) return { ...HOME_DIVISION };
  const name = typeof div === "string" ? div : div.name;
  const id = typeof div === "object" && div.id ? div.id.toLowerCase() : undefined;
  if (id) return { id, name };
  if (name === HOME_DIVISION.name) return { ...HOME_DIVISION };
  return { id: nameUuid("division", name), name };
}

function toQueue(q: SeedQueue, existing: Queue | undefined, now: string): Queue {
  const id = (q.id ?? nameUuid("queue", q.name)).toLowerCase();
  return {
    id,
    name: q.name,
    division: q.division === undefined && existing ? existing.division : toDivision(q.division),
    memberCount: q.memberCount ?? existing?.memberCount ?? 0,
    dateCreated: existing?.dateCreated ?? now,
  };
}

/**
 * Upserts queues (by id) into the store, plus `queueCount` generated queues: numbered from 1
 * (seed: idempotent across restarts) or, with `append`, after the highest generated one
 * (runtime additions). Fails — before writing anything — when a name is already used by
 * another queue. Returns the stored queues.
 */
export function upsertQueues(store: Store, queues: SeedQueue[], queueCount = 0, append = false): Queue[] {
  const now = new Date().toISOString();
  let next = 1;
  if (append) {
    for (const id of store.queues.keys()) {
      if (id.startsWith(GENERATED_PREFIX)) next = Math.max(next, Number(id.slice(GENERATED_PREFIX.length)) + 1);
    }
  }
  const wanted: SeedQueue[] = [...queues];
  for (let i = 0; i < queueCount; i++)
    wanted.push({ id: generatedQueueId(next + i), name: generatedQueueName(next + i) });
  const result = wanted.map((q) => {
    const id = (q.id ?? nameUuid("queue", q.name)).toLowerCase();
    return toQueue(q, store.queues.get(id), now);
  });
  const byName = new Map<string, string>();
  for (const q of store.queues.values()) byName.set(q.name.toLowerCase(), q.id);
  for (const q of result) {
    const owner = byName.get(q.name.toLowerCase());
    if (owner !== undefined && owner !== q.id)
      throw new Error(`queue name "${q.name}" is already used by queue ${owner}`);
    byName.set(q.name.toLowerCase(), q.id);
  }
  store.putQueues(result);
  return result;
}

function toClient(c: SeedClient, existing: Client | undefined): Client {
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret ?? existing?.clientSecret ?? randomBytes(24).toString("base64url"),
    scopes: [...new Set(c.scopes ?? [])],
    permissions: [...new Set(c.permissions ?? [])],
  };
}

/** Writes the shared part of the seed: all of it on a fresh data dir, else only the parts it names. */
export function applySharedSeed(store: Store, seed: Seed | undefined, fresh: boolean): void {
  if (fresh) {
    for (const c of seed?.clients ?? defaultClients()) store.putClient(toClient(c, undefined));
    upsertQueues(store, seed?.queues ?? defaultQueues(), seed?.queueCount ?? 0);
    return;
  }
  if (!seed) return;
  for (const c of seed.clients ?? []) store.putClient(toClient(c, store.clients.get(c.clientId)));
  if (seed.queues || seed.queueCount) upsertQueues(store, seed.queues ?? [], seed.queueCount ?? 0);
}

/** The client printed in the ready line: the first holding every grant of the profile, else the first. */
export function primaryClient(store: Store, isFull: (c: Client) => boolean): Client {
  const clients = [...store.clients.values()];
  const chosen = clients.find(isFull) ?? clients[0];
  if (!chosen) throw new Error("the seed defines no OAuth client");
  return chosen;
}
