/** One code of the organisation on its way to a catalogue entry: its values, where each came from, its broken rules. */
import type { DispositionMatrix } from "../../matrix";
import type { StoredCode } from "../../profiles/seam";
import type { CodeTraits } from "../../profiles/traits";
import { checkWrapUpCode } from "../../resources/wrapupCode/schema";
import { acceptableName } from "./fill";
import { KEY_RE, compareText } from "./keys";
import type { MapPlan } from "./maps";
import type { FillableField, PlannedEntry, PreviousEntry, StackField, StateCode } from "./model";
import { STACK_FIELDS } from "./model";
import type { PlanInput } from "./plan";

const lower = (s: string) => s.toLowerCase();

/** A code on its way to an entry: everything but its key and rule-made values. */
export interface Draft {
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

export function draftOf(
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
export function argsOf(
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
export function heldFailures(
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

export function whatToDo(code: StoredCode, problems: readonly string[], takenNames: ReadonlySet<string>): string {
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

export function keepAsWas(prev: PreviousEntry): PlannedEntry {
  return {
    key: prev.resourceName,
    name: prev.name ?? "",
    queues: prev.queues,
    code: prev.code,
    filled: new Set(),
    verbatim: prev.node,
  };
}
