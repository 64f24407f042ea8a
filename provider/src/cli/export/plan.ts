/**
 * The export's decisions, without any I/O: from what the organisation holds and what the stack declared before, the
 * catalogue entries and the stack's maps to write, and everything the user must see (values filled by a rule, codes
 * the product's rules refuse, key collisions, entries kept or dropped). Everything is ordered by names and ids
 * alone, so that an unchanged organisation gives the same plan, and the same files, every time.
 */
import type { DispositionMatrix } from "../../matrix";
import type { StoredCode } from "../../profiles/seam";
import type { CodeTraits } from "../../profiles/traits";
import { checkWrapUpCode, type WrapUpCodeInputs } from "../../resources/wrapupCode/schema";
import { desiredCode, holdsDeclared } from "../../resources/wrapupCode/state";
import { UUID_RE } from "../../util";
import { acceptableName, codeByRule, uniqueCodes } from "./fill";
import { Collision, KEY_RE, assignKeys, compareText } from "./keys";
import type {
  FillableField,
  Named,
  Organisation,
  PlannedEntry,
  Previous,
  PreviousEntry,
  StackField,
  StateCode,
} from "./model";
import { STACK_FIELDS } from "./model";
import type { CodeRule } from "./options";

/** The rules the user gave for what the platform does not hold. */
export interface FillRules {
  readonly codeFrom?: CodeRule;
  readonly categoryDefault?: string;
}

export interface PlanInput {
  readonly org: Organisation;
  readonly previous: Previous;
  readonly traits: CodeTraits;
  readonly matrix: DispositionMatrix;
  readonly rules: FillRules;
  /** True when `--queues` narrowed the export to some queues. */
  readonly selection: boolean;
}

/** A value the export made by a rule: the pull request must show it. */
export interface FilledValue {
  readonly key: string;
  readonly name: string;
  readonly field: FillableField;
  readonly value: string;
  /** The flag that made it (`--code-from name`), and whether it had to be made unique. */
  readonly rule: string;
}

/** A code the product's rules refuse: it cannot be declared, so it is left out. */
export interface RefusedCode {
  readonly id: string;
  readonly name: string;
  /** Each broken rule, `field: rule`. */
  readonly problems: readonly string[];
  /** What to do about it. */
  readonly todo: string;
}

/** Key collisions of one kind of key. */
export interface KeyCollision extends Collision {
  readonly what: "code" | "queue" | "division";
}

export interface ExportPlan {
  /** Every `codes:` entry, by key. */
  readonly entries: readonly PlannedEntry[];
  /** `wrapup-codes:queues`, by key. */
  readonly queueMap: readonly (readonly [string, string])[];
  /** `wrapup-codes:divisions`, by key; undefined: leave the stack's map as it is (no divisions read). */
  readonly divisionMap?: readonly (readonly [string, string])[];
  readonly filled: readonly FilledValue[];
  /** Stack-only values taken from the catalogue or the state (never re-made), by entry. */
  readonly kept: readonly {
    readonly key: string;
    readonly fields: readonly StackField[];
    readonly from: "catalogue" | "state";
  }[];
  /** Entries kept exactly as they were: their code exists but is not exported (other queues, refused name). */
  readonly keptAsWas: readonly { readonly key: string; readonly name: string; readonly why: string }[];
  /** Entries of the catalogue that name no code of the organisation: left out. */
  readonly dropped: readonly { readonly key: string; readonly name: string }[];
  /** Entries of the stack's maps that name no queue or division of the organisation: left out. */
  readonly droppedMapEntries: readonly {
    readonly map: "queues" | "divisions";
    readonly key: string;
    readonly value: string;
  }[];
  readonly refused: readonly RefusedCode[];
  readonly collisions: readonly KeyCollision[];
  /** Codes the rules need to fill but no rule was given for: nothing can be written until they are. */
  readonly needs: { readonly code: readonly string[]; readonly category: readonly string[] };
  /** Codes the state holds under the older `queues:` shape: the export would delete them (see the command). */
  readonly olderShape: readonly string[];
  /** Broken rules of values kept from the catalogue or the state (the preview will show them too). */
  readonly problems: readonly string[];
  readonly counts: {
    /** Codes of the organisation. */
    readonly codes: number;
    /** Codes written by this export (not kept as they were). */
    readonly exported: number;
    /** Entries with `onConflict: adopt` that the stack's state does not hold yet: what the next `up` adopts. */
    readonly toAdopt: number;
    /**
     * Keys of codes to adopt whose platform values differ from the declared ones (the provider's `holdsDeclared`):
     * their adoption is one write. On the platform never (the export declares what the platform holds); on the
     * tutorial's API, codes whose reporting tags are not those their category derives.
     */
    readonly adoptWrites: readonly string[];
    /** Exported codes the stack's state already holds. */
    readonly managed: number;
    /** Keys of exported codes on no queue. */
    readonly onNoQueue: readonly string[];
    /** Codes on none of the `--queues` (not exported). */
    readonly outsideSelection: number;
    readonly queues: number;
    /** Read queues that offer no code. */
    readonly queuesWithoutCodes: number;
    readonly divisions: number;
  };
}

const lower = (s: string) => s.toLowerCase();

/** Builds the plan; see the module comment. */
export function planExport(input: PlanInput): ExportPlan {
  const { org, previous, traits } = input;
  const stateById = new Map(previous.state.map((s) => [lower(s.id), s]));
  const olderShape = previous.state.filter((s) => !KEY_RE.test(s.resourceName)).map((s) => s.resourceName);

  // ---- queue and division maps: what the stack had (for queues and divisions that still exist), plus new keys.
  const queues = mapPlan(
    "queues",
    previous.queueMap,
    org.queues,
    org.readQueues.map((q) => q.id),
    "queue",
  );
  const divisions = org.divisions
    ? mapPlan(
        "divisions",
        previous.divisionMap,
        org.divisions,
        org.divisions.map((d) => d.id),
        "division",
      )
    : undefined;
  // Without the divisions read, a code's division can still be named by the key the stack's map already has for it.
  const divisionKeyOf = (id: string | undefined): string | undefined => {
    if (id === undefined) return undefined;
    if (divisions) return divisions.keyOf.get(lower(id));
    return Object.entries(previous.divisionMap)
      .filter(([, v]) => typeof v === "string" && lower(v) === lower(id))
      .map(([k]) => k)
      .sort(compareText)[0];
  };

  // ---- which previous entry each code had: the state's resource name first, then the name.
  const catalogueByKey = new Map(previous.catalogue.map((e) => [e.resourceName, e]));
  const claimed = new Set<PreviousEntry>();
  const previousOf = new Map<string, PreviousEntry>();
  const codes = [...org.codes].sort((a, b) => compareText(a.name, b.name) || compareText(lower(a.id), lower(b.id)));
  for (const code of codes) {
    const state = stateById.get(lower(code.id));
    const entry = state ? catalogueByKey.get(state.resourceName) : undefined;
    if (entry && !claimed.has(entry)) {
      claimed.add(entry);
      previousOf.set(lower(code.id), entry);
    }
  }
  const catalogueByName = new Map<string, PreviousEntry[]>();
  for (const e of previous.catalogue) {
    if (e.name !== undefined) catalogueByName.set(lower(e.name), [...(catalogueByName.get(lower(e.name)) ?? []), e]);
  }
  for (const code of codes) {
    if (previousOf.has(lower(code.id))) continue;
    const candidates = (catalogueByName.get(lower(code.name)) ?? []).filter((e) => !claimed.has(e));
    // Where names are unique per queue (the tutorial's API), the entry on the code's queue.
    const queueIds = new Set((org.membership.get(lower(code.id)) ?? []).map(lower));
    const entry =
      candidates.find((e) => e.queues.some((q) => queueIds.has(lower(String(previous.queueMap[q] ?? ""))))) ??
      candidates[0];
    if (entry) {
      claimed.add(entry);
      previousOf.set(lower(code.id), entry);
    }
  }

  // ---- each code's values, and whether it can be declared at all.
  const readQueueIds = new Set(org.readQueues.map((q) => lower(q.id)));
  const refused: RefusedCode[] = [];
  const keptAsWas: { key: string; name: string; why: string }[] = [];
  const verbatim: PlannedEntry[] = [];
  const drafts: Draft[] = [];
  let outsideSelection = 0;
  const takenNames = new Set(org.codes.map((c) => lower(c.name)));
  for (const code of codes) {
    const prev = previousOf.get(lower(code.id));
    const state = stateById.get(lower(code.id));
    const on = org.membership.get(lower(code.id)) ?? [];
    if (input.selection && on.length === 0) {
      outsideSelection++;
      if (prev) {
        verbatim.push(keepAsWas(prev));
        keptAsWas.push({ key: prev.resourceName, name: code.name, why: "on none of the --queues" });
      }
      continue;
    }
    const draft = draftOf(code, on, prev, state, input, queues, divisionKeyOf, readQueueIds);
    const broken = heldFailures(draft, traits, input.matrix, queues.idOf, divisions?.idOf);
    if (broken.length > 0) {
      refused.push({ id: code.id, name: code.name, problems: broken, todo: whatToDo(code, broken, takenNames) });
      if (prev) {
        verbatim.push(keepAsWas(prev));
        keptAsWas.push({ key: prev.resourceName, name: code.name, why: "its name on the platform is refused" });
      }
      continue;
    }
    drafts.push(draft);
  }
  const dropped = previous.catalogue
    .filter((e) => !claimed.has(e))
    .map((e) => ({ key: e.resourceName, name: e.name ?? "" }))
    .sort((a, b) => compareText(a.key, b.key));

  // ---- keys: kept where the code had one (state, catalogue), else from the name.
  const codeKeys = assignKeys(
    drafts.map((d) => ({ id: lower(d.code.id), name: d.code.name, preferred: d.preferredKey })),
    "code",
    verbatim.map((e) => e.key),
  );
  const keyOf = (d: Draft) => codeKeys.keys.get(lower(d.code.id))!;

  // ---- rule-made codes, unique among every code of the catalogue.
  const made = new Map<string, string>();
  for (const d of drafts)
    if (d.values.code === undefined && input.rules.codeFrom)
      made.set(keyOf(d), codeByRule(input.rules.codeFrom, d.code.name));
  const keptCodes = [...drafts.map((d) => d.values.code), ...verbatim.map((e) => e.code)].filter(
    (c): c is string => typeof c === "string",
  );
  const unique = uniqueCodes(made, keptCodes);

  const filled: FilledValue[] = [];
  // Broken rules of values kept from the catalogue or the state (a category no longer in the matrix…).
  const problems: string[] = [];
  const adoptWrites: string[] = [];
  const needs = { code: [] as string[], category: [] as string[] };
  const entries: PlannedEntry[] = [...verbatim];
  const kept: { key: string; fields: StackField[]; from: "catalogue" | "state" }[] = [];
  let toAdopt = 0;
  let managed = 0;
  const onNoQueue: string[] = [];
  for (const d of drafts) {
    const key = keyOf(d);
    const marks = new Set<FillableField>(d.marks);
    let code = d.values.code;
    if (code === undefined && unique.codes.has(key)) {
      code = unique.codes.get(key)!;
      marks.add("code");
      const rule = `--code-from ${input.rules.codeFrom}${unique.changed.has(key) ? " (made unique)" : ""}`;
      filled.push({ key, name: d.code.name, field: "code", value: code, rule });
    }
    let category = d.values.category;
    if (category === undefined && input.rules.categoryDefault !== undefined) {
      category = input.rules.categoryDefault;
      marks.add("category");
      filled.push({ key, name: d.code.name, field: "category", value: category, rule: "--category-default" });
    }
    if (code === undefined) needs.code.push(key);
    if (category === undefined) needs.category.push(key);
    if (d.keptFields.length > 0) kept.push({ key, fields: d.keptFields, from: d.keptFrom! });
    if (d.queues.length === 0) onNoQueue.push(key);
    const entry: PlannedEntry = {
      ...d.values,
      key,
      name: d.code.name,
      queues: d.queues,
      code,
      category,
      filled: marks,
    };
    entries.push(entry);
    if (d.inState) managed++;
    else toAdopt++;
    if (code === undefined || category === undefined) continue;
    const { inputs, failures } = checkWrapUpCode(argsOf(entry, queues.idOf, divisions?.idOf), input.matrix, traits);
    for (const f of failures) problems.push(`codes.${key}.${f.reason}`);
    // What the first `up` will do with a code to adopt, by the provider's own rule: nothing, or one write.
    const desired = desiredCode(inputs as unknown as WrapUpCodeInputs);
    if (!d.inState && failures.length === 0 && !holdsDeclared(d.code, desired, traits)) adoptWrites.push(key);
  }
  entries.sort((a, b) => compareText(a.key, b.key));

  const withCodes = new Set(drafts.flatMap((d) => org.membership.get(lower(d.code.id)) ?? []).map(lower));
  return {
    entries,
    queueMap: queues.entries,
    divisionMap: divisions?.entries,
    filled: filled.sort((a, b) => compareText(a.key, b.key) || compareText(a.field, b.field)),
    kept: kept.sort((a, b) => compareText(a.key, b.key)),
    keptAsWas: keptAsWas.sort((a, b) => compareText(a.key, b.key)),
    dropped,
    droppedMapEntries: [...queues.dropped, ...(divisions?.dropped ?? [])],
    refused: refused.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id)),
    collisions: [
      ...codeKeys.collisions.map((c) => ({ ...c, what: "code" as const })),
      ...queues.collisions.map((c) => ({ ...c, what: "queue" as const })),
      ...(divisions?.collisions ?? []).map((c) => ({ ...c, what: "division" as const })),
    ],
    needs,
    olderShape: olderShape.sort(compareText),
    problems,
    counts: {
      codes: org.codes.length,
      exported: drafts.length,
      toAdopt,
      adoptWrites: adoptWrites.sort(compareText),
      managed,
      onNoQueue: onNoQueue.sort(compareText),
      outsideSelection,
      queues: org.readQueues.length,
      queuesWithoutCodes: org.readQueues.filter((q) => !withCodes.has(lower(q.id))).length,
      divisions: org.divisions?.length ?? 0,
    },
  };
}

/** A code on its way to an entry: everything but its key and rule-made values. */
interface Draft {
  readonly code: StoredCode;
  readonly preferredKey?: string;
  readonly queues: string[];
  readonly values: Omit<PlannedEntry, "key" | "name" | "queues" | "filled" | "verbatim">;
  /** Fields whose value came from the previous entry with the "filled" mark. */
  readonly marks: FillableField[];
  readonly keptFields: StackField[];
  readonly keptFrom?: "catalogue" | "state";
  readonly inState: boolean;
}

function draftOf(
  code: StoredCode,
  on: readonly string[],
  prev: PreviousEntry | undefined,
  state: StateCode | undefined,
  input: PlanInput,
  queues: MapPlan,
  divisionKeyOf: (id: string | undefined) => string | undefined,
  readQueueIds: ReadonlySet<string>,
): Draft {
  const held = new Set<string>(input.traits.held);
  const values: Record<string, unknown> = {};
  const marks: FillableField[] = [];
  const keptFields: StackField[] = [];
  let keptFrom: "catalogue" | "state" | undefined;
  for (const field of STACK_FIELDS) {
    if (held.has(field)) {
      values[field] = platformValue(field, code[field]);
      continue;
    }
    const fromEntry = prev?.[field];
    const fromState = state ? stateValue(field, state.inputs[field]) : undefined;
    if (fromEntry !== undefined) {
      values[field] = fromEntry;
      keptFields.push(field);
      keptFrom = "catalogue";
      if ((field === "code" || field === "category") && prev!.filled.has(field)) marks.push(field);
    } else if (fromState !== undefined) {
      values[field] = fromState;
      keptFields.push(field);
      keptFrom ??= "state";
    }
  }
  const division = input.traits.divisions ? divisionKeyOf(code.divisionId) : undefined;
  // Queue keys: the read queues that offer the code; plus, when only some queues were read, the queues the stack
  // declared that were not read (the export knows nothing new of them, and dropping them would take the code off).
  const keys = new Set(on.map((id) => queues.keyOf.get(lower(id))!).filter((k) => k !== undefined));
  if (input.selection && prev) {
    for (const q of prev.queues) {
      const id = queues.idOf.get(q);
      if (id !== undefined && !readQueueIds.has(lower(id))) keys.add(q);
    }
  }
  const inState = state !== undefined;
  // onConflict: adopt where the stack's state does not hold the code yet (its `up` must adopt it, not create it);
  // for a code the state holds, what the stack declared (a change would be an update in the preview for nothing).
  const onConflict = !inState
    ? "adopt"
    : prev
      ? prev.onConflict
      : state.inputs.onConflict === "adopt"
        ? "adopt"
        : undefined;
  const preferredKey = state && KEY_RE.test(state.resourceName) ? state.resourceName : prev?.key;
  return {
    code,
    preferredKey,
    queues: [...keys].sort(compareText),
    values: {
      ...(values as Draft["values"]),
      ...(division === undefined ? {} : { division }),
      ...(code.description === undefined || code.description === "" ? {} : { description: code.description }),
      ...(onConflict === undefined ? {} : { onConflict }),
    },
    marks,
    keptFields,
    keptFrom,
    inState,
  };
}

/** A platform-held stack field as the catalogue writes it (defaults left out). */
function platformValue(field: StackField, value: unknown): unknown {
  if (field === "mandatory") return value === true ? true : undefined;
  if (field === "tags") return Array.isArray(value) && value.length > 0 ? [...value] : undefined;
  return value === null || value === "" ? undefined : value;
}

/** A stack field from the state's inputs (which carry the defaults: those are left out). */
function stateValue(field: StackField, value: unknown): unknown {
  if (field === "mandatory") return value === true ? true : undefined;
  if (field === "tags") return Array.isArray(value) && value.length > 0 ? [...value] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The WrapUpCode arguments of an entry (keys resolved to ids), for the product's rules. */
function argsOf(
  e: Omit<PlannedEntry, "key" | "filled">,
  queueIdOf: ReadonlyMap<string, string>,
  divisionIdOf: ReadonlyMap<string, string> | undefined,
): Record<string, unknown> {
  const args: Record<string, unknown> = {
    name: e.name,
    code: e.code,
    category: e.category,
    queueIds: e.queues.map((q) => queueIdOf.get(q) ?? q),
    mandatory: e.mandatory,
    tags: e.tags,
    validFrom: e.validFrom,
    validThrough: e.validThrough,
    description: e.description,
    onConflict: e.onConflict,
  };
  if (e.division !== undefined) args.divisionId = divisionIdOf?.get(e.division) ?? e.division;
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

/**
 * The rules a code breaks in what the platform holds of it (its name, description, division; on the tutorial's API
 * every field): the export cannot fix those, the organisation must. Fields the stack supplies are left out (a
 * placeholder stands for a value a rule will make).
 */
function heldFailures(
  d: Draft,
  traits: CodeTraits,
  matrix: DispositionMatrix,
  queueIdOf: ReadonlyMap<string, string>,
  divisionIdOf: ReadonlyMap<string, string> | undefined,
): string[] {
  const held = new Set<string>([...traits.held, "name", "queueIds", "queueId"]);
  const stand = { code: d.values.code ?? "X", category: d.values.category ?? Object.keys(matrix)[0] ?? "X" };
  const args = argsOf({ ...d.values, ...stand, name: d.code.name, queues: d.queues }, queueIdOf, divisionIdOf);
  const { failures } = checkWrapUpCode(args, matrix, traits);
  return failures.filter((f) => held.has(f.property)).map((f) => f.reason);
}

function whatToDo(code: StoredCode, problems: readonly string[], takenNames: ReadonlySet<string>): string {
  if (problems.some((p) => p.startsWith("name:"))) {
    const suggestion = acceptableName(code.name);
    const free =
      suggestion !== undefined && (lower(suggestion) === lower(code.name) || !takenNames.has(lower(suggestion)));
    const rename = free ? `rename it in the admin UI (e.g. to "${suggestion}")` : "rename it in the admin UI";
    return `${rename} and export again, or leave it unmanaged (it stays as it is; the stack does not touch it)`;
  }
  const fields = problems.map((p) => p.split(":")[0]).join(", ");
  return `correct its ${fields} in the admin UI and export again, or leave it unmanaged (the stack does not touch it)`;
}

function keepAsWas(prev: PreviousEntry): PlannedEntry {
  return {
    key: prev.resourceName,
    name: prev.name ?? "",
    queues: prev.queues,
    code: prev.code,
    filled: new Set(),
    verbatim: prev.node,
  };
}

/** One of the stack's maps (key → id) as the export writes it. */
interface MapPlan {
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
function mapPlan(
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
