/**
 * The platform profile's seed keys: `divisions` (beside Home and Europe) and `wrapupCodes` (hand-made codes,
 * as if made in the admin UI), also written at runtime by `POST /__emulator/seed/wrapupcodes`.
 */
import { randomUUID } from "node:crypto";
import { ErrorDetail, FieldError } from "../../errors";
import { isRecord, Queue, UUID_RE } from "../../model";
import { nameUuid, Seed } from "../../seed";
import { Store } from "../../store";
import { PlatformData, PlatformRecord } from "./data";
import {
  DEFAULT_DIVISIONS,
  HOME_DIVISION_ID,
  PlatformCode,
  PlatformDivision,
  SeedDivision,
  SeedWrapupCode,
} from "./model";
import { charLength, nameProblem } from "./validation";

/** `createdBy`/`modifiedBy` of seeded codes: a person in the admin UI, not an OAuth client. */
export const ADMIN_UI_USER = "admin-ui-user";

export function validateDivisions(value: unknown, prefix: string): ErrorDetail[] {
  if (!Array.isArray(value)) return [{ fieldName: prefix, errorCode: FieldError.type }];
  const d: ErrorDetail[] = [];
  const names = new Set<string>();
  value.forEach((v: unknown, i) => {
    const at = `${prefix}[${i}]`;
    if (!isRecord(v)) return d.push({ fieldName: at, errorCode: FieldError.type });
    if (typeof v.name !== "string" || v.name.trim() === "" || v.name.length > 255)
      d.push({ fieldName: `${at}.name`, errorCode: FieldError.value });
    else if (names.has(v.name.toLowerCase())) d.push({ fieldName: `${at}.name`, errorCode: FieldError.duplicate });
    else names.add(v.name.toLowerCase());
    if (v.id !== undefined && (typeof v.id !== "string" || !UUID_RE.test(v.id)))
      d.push({ fieldName: `${at}.id`, errorCode: FieldError.format });
    if (v.description !== undefined && typeof v.description !== "string")
      d.push({ fieldName: `${at}.description`, errorCode: FieldError.type });
  });
  return d;
}

export function validateSeedCodes(value: unknown, prefix: string): ErrorDetail[] {
  if (!Array.isArray(value)) return [{ fieldName: prefix, errorCode: FieldError.type }];
  const d: ErrorDetail[] = [];
  const names = new Set<string>();
  value.forEach((v: unknown, i) => {
    const at = `${prefix}[${i}]`;
    if (!isRecord(v)) return d.push({ fieldName: at, errorCode: FieldError.type });
    const pb = nameProblem(v.name);
    if (pb) d.push({ fieldName: `${at}.name`, errorCode: pb });
    else if (names.has((v.name as string).toLowerCase()))
      d.push({ fieldName: `${at}.name`, errorCode: FieldError.duplicate });
    else names.add((v.name as string).toLowerCase());
    const desc = v.description;
    if (desc !== undefined && desc !== null && (typeof desc !== "string" || charLength(desc) > 512))
      d.push({ fieldName: `${at}.description`, errorCode: FieldError.value });
    if (v.division !== undefined && (typeof v.division !== "string" || v.division === ""))
      d.push({ fieldName: `${at}.division`, errorCode: FieldError.type });
    if (v.queues !== undefined && (!Array.isArray(v.queues) || v.queues.some((q) => typeof q !== "string")))
      d.push({ fieldName: `${at}.queues`, errorCode: FieldError.type });
    for (const k of Object.keys(v)) {
      if (!["name", "description", "division", "queues"].includes(k))
        d.push({ fieldName: `${at}.${k}`, errorCode: FieldError.unknown });
    }
  });
  return d;
}

export function validatePlatformSeed(seed: Record<string, unknown>): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  if (seed.divisions !== undefined) d.push(...validateDivisions(seed.divisions, "divisions"));
  if (seed.wrapupCodes !== undefined) d.push(...validateSeedCodes(seed.wrapupCodes, "wrapupCodes"));
  return d;
}

/** Division records for divisions that queues name but the organisation does not hold yet. */
export function queueDivisions(data: PlatformData, queues: Iterable<Queue>): PlatformRecord[] {
  const recs: PlatformRecord[] = [];
  const seen = new Set(data.divisions.keys());
  for (const q of queues) {
    if (seen.has(q.division.id)) continue;
    seen.add(q.division.id);
    recs.push({
      t: "division",
      v: { id: q.division.id, name: q.division.name, description: "", home: q.division.id === HOME_DIVISION_ID },
    });
  }
  return recs;
}

function toDivision(s: SeedDivision, existing: PlatformDivision | undefined): PlatformDivision {
  const id = (s.id ?? existing?.id ?? nameUuid("division", s.name)).toLowerCase();
  return { id, name: s.name, description: s.description ?? existing?.description ?? "", home: id === HOME_DIVISION_ID };
}

/** A problem with a seeded code's reference (queue or division): the field and what was not found. */
export class SeedReferenceError extends Error {
  constructor(
    readonly fieldName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes hand-made codes: a code whose name an active code already holds (case-insensitively) is updated in place
 * (description, division) and gets the listed queues added, so the same seed is idempotent. Every reference is
 * resolved before anything is written; all records go to the journal in one write. Returns the codes.
 */
export function seedCodes(store: Store, codes: SeedWrapupCode[], prefix: string): PlatformCode[] {
  const data = store.data as PlatformData;
  const queueByName = new Map<string, string>();
  for (const q of store.queues.values()) queueByName.set(q.name.toLowerCase(), q.id);
  const divByName = new Map<string, string>();
  for (const d of data.divisions.values()) divByName.set(d.name.toLowerCase(), d.id);
  const home = data.homeDivision().id;
  const now = new Date().toISOString();

  const recs: PlatformRecord[] = [];
  const members = new Map<string, string[]>();
  const result: PlatformCode[] = [];
  codes.forEach((s, i) => {
    let divisionId = home;
    if (s.division !== undefined) {
      const d = data.divisions.has(s.division.toLowerCase())
        ? s.division.toLowerCase()
        : divByName.get(s.division.toLowerCase());
      if (!d) throw new SeedReferenceError(`${prefix}[${i}].division`, `no division named or with id "${s.division}"`);
      divisionId = d;
    }
    const queueIds = (s.queues ?? []).map((ref, j) => {
      const id = store.queues.has(ref.toLowerCase()) ? ref.toLowerCase() : queueByName.get(ref.toLowerCase());
      if (!id) throw new SeedReferenceError(`${prefix}[${i}].queues[${j}]`, `no queue named or with id "${ref}"`);
      return id;
    });
    const old = data.findActiveByName(s.name);
    const code: PlatformCode = old
      ? { ...old, description: s.description ?? null, divisionId, dateModified: now, modifiedBy: ADMIN_UI_USER }
      : {
          id: randomUUID(),
          name: s.name,
          description: s.description ?? null,
          divisionId,
          dateCreated: now,
          dateModified: now,
          createdBy: ADMIN_UI_USER,
          modifiedBy: ADMIN_UI_USER,
          state: "active",
        };
    recs.push({ t: "wrapupcode", v: code });
    for (const q of queueIds) {
      if (old && data.isMember(q, code.id)) continue;
      let list = members.get(q);
      if (!list) members.set(q, (list = []));
      list.push(code.id);
    }
    result.push(code);
  });
  for (const [queueId, codeIds] of members) recs.push({ t: "members.add", queueId, codeIds: [...new Set(codeIds)] });
  data.commit(recs);
  return result;
}

/** Divisions (default Home and Europe on a fresh data dir, the seed's, the queues'), then the seed's codes. */
export function applyPlatformSeed(store: Store, seed: Seed | undefined, fresh: boolean): void {
  const data = store.data as PlatformData;
  const recs: PlatformRecord[] = [];
  const wanted: PlatformDivision[] = fresh ? DEFAULT_DIVISIONS.map((d) => ({ ...d })) : [];
  for (const s of seed?.divisions ?? []) {
    const byName = [...data.divisions.values()].find((d) => d.name.toLowerCase() === s.name.toLowerCase());
    wanted.push(toDivision(s, s.id ? data.divisions.get(s.id.toLowerCase()) : byName));
  }
  for (const v of wanted) recs.push({ t: "division", v });
  data.commit(recs);
  data.commit(queueDivisions(data, store.queues.values()));
  if (seed?.wrapupCodes) {
    try {
      seedCodes(store, seed.wrapupCodes, "wrapupCodes");
    } catch (e) {
      if (e instanceof SeedReferenceError) throw new Error(`invalid seed: ${e.fieldName}: ${e.message}`);
      throw e;
    }
  }
}
