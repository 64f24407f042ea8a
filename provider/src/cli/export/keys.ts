/**
 * Keys of the catalogue (codes, queues, divisions) made from names: stable (the same name always gives the same key),
 * valid for the root stack (`[a-z0-9][a-z0-9_-]{0,62}`, the rule of stack/catalogue.ts), and unique, with collisions
 * resolved in an order that depends only on the names and ids. A key a thing already has (in the stack's state, the
 * catalogue or the stack's maps) is kept: renaming a key deletes the code and creates a new one.
 */

/** The root stack's rule for every key of the catalogue and its maps. */
export const KEY_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_KEY = 63;

/** `Suivi équipement` → `suivi-equipement`: accents dropped, lower case, every other run of characters one `-`. */
export function slug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_KEY)
    .replace(/-+$/, "");
}

/** Something that needs a key. */
export interface Keyed {
  readonly id: string;
  readonly name: string;
  /** A key it already has (state, catalogue, stack map), kept when valid and free. */
  readonly preferred?: string;
}

/** Two or more things whose names give one key; each got its own. */
export interface Collision {
  /** The key their names give. */
  readonly wanted: string;
  /** Who got which key, in the order the keys were given. */
  readonly got: readonly { readonly id: string; readonly name: string; readonly key: string }[];
}

export interface KeyAssignment {
  readonly keys: ReadonlyMap<string, string>;
  readonly collisions: readonly Collision[];
}

/** Code-point order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Gives every item a key. Items keep their preferred key (first come in id order when two prefer one); the others get
 * the slug of their name, or `fallback` when the name has no letter or digit, in the order (slug, name, id); a slug
 * already given gets `-2`, `-3`… `taken` holds keys that are not free (entries kept as they were).
 */
export function assignKeys(items: readonly Keyed[], fallback: string, taken: Iterable<string> = []): KeyAssignment {
  const used = new Set(taken);
  const keys = new Map<string, string>();
  const byId = [...items].sort((a, b) => compareText(a.id, b.id));
  for (const item of byId) {
    if (item.preferred !== undefined && KEY_RE.test(item.preferred) && !used.has(item.preferred)) {
      keys.set(item.id, item.preferred);
      used.add(item.preferred);
    }
  }
  const rest = byId
    .filter((item) => !keys.has(item.id))
    .map((item) => ({ item, base: slug(item.name) || fallback }))
    .sort(
      (a, b) =>
        compareText(a.base, b.base) || compareText(a.item.name, b.item.name) || compareText(a.item.id, b.item.id),
    );
  const wanted = new Map<string, { id: string; name: string; key: string }[]>();
  for (const { item, base } of rest) {
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base.slice(0, MAX_KEY - `-${n}`.length).replace(/-+$/, "")}-${n}`;
    keys.set(item.id, key);
    used.add(key);
    wanted.set(base, [...(wanted.get(base) ?? []), { id: item.id, name: item.name, key }]);
  }
  // A collision: a key given to more than one name, or a name that could not have its key because it was taken.
  const owners = new Map<string, { id: string; name: string }>();
  for (const item of items) {
    const key = keys.get(item.id)!;
    owners.set(key, { id: item.id, name: item.name });
  }
  const collisions: Collision[] = [];
  for (const [base, got] of [...wanted].sort(([a], [b]) => compareText(a, b))) {
    if (got.length === 1 && got[0].key === base) continue;
    const holder = got.some((g) => g.key === base) ? undefined : owners.get(base);
    collisions.push({ wanted: base, got: holder ? [{ ...holder, key: base }, ...got] : got });
  }
  return { keys, collisions };
}
