import type { CodeField, CodeTraits } from "../../profiles/traits";
import type { DesiredCode, KnownCode, StoredCode } from "../../profiles/seam";
import { dropUndefined, sameIdSet } from "../../util";
import type { Audit } from "../audit";
import { sameInstant } from "../validate";
import type { WrapUpCodeInputs, WrapUpCodeState } from "./schema";

/** What the profile is asked to hold: the checked inputs, in the resource's words. */
export function desiredCode(inputs: WrapUpCodeInputs): DesiredCode {
  return dropUndefined({
    name: inputs.name,
    description: inputs.description,
    divisionId: inputs.divisionId,
    code: inputs.code,
    category: inputs.category,
    queueIds: inputs.queueIds,
    mandatory: inputs.mandatory,
    tags: inputs.tags,
    reportingTags: inputs.reportingTags,
    validFrom: inputs.validFrom,
    validThrough: inputs.validThrough,
  });
}

/** What the state knows of the code, for the profile's reads and writes. */
export function knownCode(state: Partial<WrapUpCodeState>): KnownCode {
  return {
    queueIds: state.queueIds ?? (state.queueId ? [state.queueId] : undefined),
    description: state.description,
    tags: state.tags,
    category: state.category,
    validFrom: state.validFrom,
    validThrough: state.validThrough,
    dateCreated: state.dateCreated,
    dateModified: state.dateModified,
  };
}

/** The platform's view of the code as the state last recorded it (for writes that send nothing). */
export function storedFromState(id: string, state: WrapUpCodeState): StoredCode {
  return { ...state, id };
}

/**
 * The one place that merges what the platform holds with what only the stack holds: the fields of
 * `traits.held` come from the platform's answer (`stored`); every other field (on the platform profile: `code`,
 * `category`, `mandatory`, `tags`, validity…) is the stack's own, from `declared` (the inputs, or the old state at a
 * refresh). Queue membership comes from `queueIds`, as the platform reported or was made to hold it. A timestamp
 * the platform reports as the same instant keeps the user's spelling.
 */
export function codeState(
  declared: Partial<WrapUpCodeState>,
  stored: StoredCode,
  queueIds: readonly string[],
  traits: CodeTraits,
  audit: Audit | undefined,
): WrapUpCodeState {
  const state: Record<string, unknown> = { ...declared };
  for (const field of traits.held) {
    state[field] = keepSpelling(field, declared[field], stored[field]);
  }
  const queues = [...queueIds];
  return dropUndefined({
    ...(state as unknown as WrapUpCodeInputs),
    queueIds: queues,
    queueId: queues.length === 1 ? queues[0] : undefined,
    // As the platform reports it; declared only where the platform says nothing.
    divisionId: stored.divisionId ?? declared.divisionId,
    onConflict: declared.onConflict ?? "fail",
    codeId: stored.id,
    dateCreated: stored.dateCreated,
    dateModified: stored.dateModified,
    createdBy: stored.createdBy,
    modifiedBy: stored.modifiedBy,
    audit,
  }) as WrapUpCodeState;
}

function keepSpelling(field: CodeField, declared: unknown, stored: unknown): unknown {
  if ((field === "validFrom" || field === "validThrough") && declared !== undefined && sameInstant(declared, stored)) {
    return declared;
  }
  return stored;
}

/** True when the platform's held fields of `stored` equal the declared ones (nothing to write). */
export function holdsDeclared(stored: StoredCode, desired: DesiredCode, traits: CodeTraits): boolean {
  return traits.held.every((field) => {
    const a = stored[field];
    const b = desired[field];
    if (field === "divisionId" && b === undefined) return true;
    if (field === "queueIds") return sameIdSet((a as string[] | undefined) ?? [], (b as string[] | undefined) ?? []);
    if (field === "validFrom" || field === "validThrough") return sameInstant(a, b);
    if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    if (field === "divisionId") return String(a ?? "").toLowerCase() === String(b ?? "").toLowerCase();
    if (field === "mandatory") return (a ?? false) === (b ?? false);
    return (a ?? null) === (b ?? null);
  });
}
