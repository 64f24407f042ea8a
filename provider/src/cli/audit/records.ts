import { AuditedResource } from "./resources";
import { CiRun, Update, authorOf, ciOf, commitOf } from "./history";

/** One changed field of a resource: values as recorded, secrets as `"[secret]"`, absent as null. */
export interface Change {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** What happened to a resource in one update. */
export type Action = "create" | "adopt" | "update" | "replace" | "delete" | "drift";

/** One line of the audit log: one change of one resource in one update (keys in this order in jsonl). */
export interface AuditRecord {
  /** The update's number. */
  readonly version: number;
  /** When the update started (ISO 8601). */
  readonly time: string;
  /** `update`, `refresh`, `destroy`, … */
  readonly kind: string;
  /** `succeeded` or `failed`: the whole update's result. */
  readonly result: string;
  /** The resource's name in the program; null for a failed update that recorded no change. */
  readonly resource: string | null;
  /** `WrapUpCode` or `SyncWebhook`; null as for `resource`. */
  readonly type: string | null;
  /** What happened; null as for `resource`. */
  readonly action: Action | null;
  /** Every changed field, by name. */
  readonly changes: readonly Change[];
  /** The platform's id of the object. */
  readonly platformId: string | null;
  /** The platform's correlation id of the write this update made; null when it made none (drift, delete). */
  readonly contextId: string | null;
  /** `git.head` of the project directory. */
  readonly commit: string | null;
  /** `Name <email>` of the commit's author. */
  readonly author: string | null;
  /** The update's message. */
  readonly message: string;
  /** The CI system and run, when Pulumi recorded one. */
  readonly ci: CiRun | null;
}

/** JSON text with object keys sorted: equal for equal values whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The fields that differ between two recordings of a resource (null: it did not exist), by field name. */
export function changedFields(
  before: Readonly<Record<string, unknown>> | null,
  after: Readonly<Record<string, unknown>> | null,
): Change[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Change[] = [];
  for (const field of [...names].sort()) {
    const b = before?.[field] ?? null;
    const a = after?.[field] ?? null;
    if (canonical(b) !== canonical(a)) changes.push({ field, before: b, after: a });
  }
  return changes;
}

function actionOf(update: Update, before: AuditedResource | undefined, after: AuditedResource | undefined): Action {
  // A refresh writes nothing to the platform: whatever it recorded, the platform changed (or lost) the object.
  if (update.kind === "refresh") return "drift";
  if (!before) return after?.audit?.action === "adopt" ? "adopt" : "create";
  if (!after) return "delete";
  return before.id !== after.id ? "replace" : "update";
}

/** The correlation id of the write this update made to the resource: only when its audit record is new. */
function contextIdOf(before: AuditedResource | undefined, after: AuditedResource | undefined): string | null {
  const contextId = after?.audit?.contextId;
  if (typeof contextId !== "string" || contextId === "") return null;
  return canonical(before?.audit ?? null) === canonical(after?.audit ?? null) ? null : contextId;
}

/** Keeps the records of some resources only (by name); everything when `names` is empty. */
export type ResourceFilter = (name: string) => boolean;

/**
 * The records of one update: every audited resource that the update created, changed or removed, by resource name.
 * `before` is the state the previous update recorded (empty before the first). A failed update that recorded no change
 * still gives one record (resource, type and action null), unless only some resources were asked for: the history
 * does not say which resource failed.
 */
export function updateRecords(
  update: Update,
  before: ReadonlyMap<string, AuditedResource>,
  after: ReadonlyMap<string, AuditedResource>,
  keep: ResourceFilter | null,
): AuditRecord[] {
  const common = {
    commit: commitOf(update),
    author: authorOf(update),
    message: update.message,
    ci: ciOf(update),
  };
  const head = { version: update.version, time: update.startTime, kind: update.kind, result: update.result };
  const records: AuditRecord[] = [];
  for (const urn of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(urn);
    const a = after.get(urn);
    const resource = (a ?? b)!;
    if (keep && !keep(resource.name)) continue;
    const changes = changedFields(b?.fields ?? null, a?.fields ?? null);
    const replaced = b !== undefined && a !== undefined && b.id !== a.id;
    if (changes.length === 0 && !replaced) continue;
    records.push({
      ...head,
      resource: resource.name,
      type: resource.type,
      action: actionOf(update, b, a),
      changes,
      platformId: resource.platformId,
      contextId: contextIdOf(b, a),
      ...common,
    });
  }
  records.sort((x, y) => compare(x.resource!, y.resource!) || compare(x.type!, y.type!));
  if (records.length === 0 && update.result !== "succeeded" && !keep) {
    records.push({
      ...head,
      resource: null,
      type: null,
      action: null,
      changes: [],
      platformId: null,
      contextId: null,
      ...common,
    });
  }
  return records;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
