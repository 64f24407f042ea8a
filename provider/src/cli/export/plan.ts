/**
 * The export's decisions, without any I/O: from what the organisation holds and what the stack declared before, the
 * catalogue entries and the stack's maps to write, and everything the user must see (values filled by a rule, codes
 * the product's rules refuse, key collisions, entries kept or dropped). Everything is ordered by names and ids
 * alone, so that an unchanged organisation gives the same plan, and the same files, every time.
 */
import type { DispositionMatrix } from "../../matrix";
import type { CodeTraits } from "../../profiles/traits";
import { checkWrapUpCode, type WrapUpCodeInputs } from "../../resources/wrapupCode/schema";
import { desiredCode, holdsDeclared } from "../../resources/wrapupCode/state";
import { codeByRule, uniqueCodes } from "./fill";
import { Collision, assignKeys, compareText } from "./keys";
import { Draft, argsOf, draftOf, heldFailures, keepAsWas, whatToDo } from "./draft";
import { mapPlan } from "./maps";
import type { FillableField, Organisation, PlannedEntry, Previous, PreviousEntry, StackField } from "./model";
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
