/** The stack's maps of queue and division keys to ids, as the export writes them. */
import { UUID_RE } from "../../util";
import { Collision, KEY_RE, assignKeys, compareText } from "./keys";
import type { Named } from "./model";

const lower = (s: string) => s.toLowerCase();

/** One of the stack's maps (key → id) as the export writes it. */
export interface MapPlan {
  readonly entries: (readonly [string, string])[];
  readonly keyOf: ReadonlyMap<string, string>;
  readonly idOf: ReadonlyMap<string, string>;
  readonly dropped: { map: "queues" | "divisions"; key: string; value: string }[];
  readonly collisions: readonly Collision[];
}

/**
 * The map of `all` things of the organisation: every entry the stack had for a thing that still exists (keys kept),
 * and a new key for each of `wanted` that had none. Entries for things the organisation no longer has, and
 * placeholders (`REPLACE-ME…`), are dropped.
 */
export function mapPlan(
  map: "queues" | "divisions",
  old: Readonly<Record<string, unknown>>,
  all: readonly Named[],
  wanted: readonly string[],
  fallback: string,
): MapPlan {
  const exists = new Map(all.map((t) => [lower(t.id), t]));
  const entries: [string, string][] = [];
  const dropped: MapPlan["dropped"] = [];
  for (const [key, value] of Object.entries(old)) {
    const thing = typeof value === "string" && UUID_RE.test(value) ? exists.get(lower(value)) : undefined;
    if (thing && KEY_RE.test(key)) entries.push([key, thing.id]);
    else dropped.push({ map, key, value: typeof value === "string" ? value : JSON.stringify(value) });
  }
  const mapped = new Set(entries.map(([, id]) => lower(id)));
  const needed = [...new Set(wanted.map(lower))].filter((id) => !mapped.has(id)).map((id) => exists.get(id)!);
  const assigned = assignKeys(
    needed.map((t) => ({ id: lower(t.id), name: t.name })),
    fallback,
    entries.map(([k]) => k),
  );
  for (const t of needed) entries.push([assigned.keys.get(lower(t.id))!, t.id]);
  entries.sort(([a], [b]) => compareText(a, b));
  const keyOf = new Map<string, string>();
  for (const [key, id] of entries) if (!keyOf.has(lower(id))) keyOf.set(lower(id), key);
  return {
    entries,
    keyOf,
    idOf: new Map(entries),
    dropped: dropped.sort((a, b) => compareText(a.key, b.key)),
    collisions: assigned.collisions,
  };
}
