/** What the export reads (the organisation, the stack's previous declaration) and what it plans to write. */
import type { ApiProfileName } from "../../profiles/traits";
import type { StoredCode } from "../../profiles/seam";

/** A queue or a division: what the platform calls it. */
export interface Named {
  readonly id: string;
  readonly name: string;
}

/** The organisation as the export read it. */
export interface Organisation {
  readonly profile: ApiProfileName;
  /** Every active code, in the platform's words (`codes.list()`), once each. */
  readonly codes: readonly StoredCode[];
  /** Every queue. */
  readonly queues: readonly Named[];
  /** The queues whose codes were read: every queue, or those of `--queues`. */
  readonly readQueues: readonly Named[];
  /** Lower-cased code id → ids of the read queues that offer it. */
  readonly membership: ReadonlyMap<string, readonly string[]>;
  /** Every division; undefined where the profile has none or they could not be read (`divisionsUnreadable`). */
  readonly divisions?: readonly Named[];
  /** Why the divisions could not be read (a permission the OAuth client lacks). */
  readonly divisionsUnreadable?: string;
  /** API requests made (retries included, token requests not). */
  readonly requests: number;
}

/** The fields of a catalogue entry the platform does not hold on the public platform: the stack's own. */
export const STACK_FIELDS = ["code", "category", "mandatory", "tags", "validFrom", "validThrough"] as const;
export type StackField = (typeof STACK_FIELDS)[number];

/** Fields the export may fill by a rule; the others are only ever the platform's or the stack's. */
export type FillableField = "code" | "category";

/** The values of a catalogue entry, beside its key and name. */
export interface EntryFields {
  /** Queue keys. */
  readonly queues: readonly string[];
  readonly division?: string;
  readonly code?: string;
  readonly category?: string;
  readonly mandatory?: boolean;
  readonly tags?: readonly string[];
  readonly validFrom?: string;
  readonly validThrough?: string;
  readonly description?: string;
  readonly onConflict?: string;
}

/** A `codes:` (or older `queues:`) entry of the catalogue as it was before the export. */
export interface PreviousEntry extends EntryFields {
  /** The resource name: the key under `codes:`, `<queue>/<key>` under `queues:`. */
  readonly resourceName: string;
  /** The key alone (under `queues:`, the part after the queue key). */
  readonly key: string;
  readonly name?: string;
  /** Fields whose value carries the export's "filled" mark (a rule made it and nobody has confirmed it yet). */
  readonly filled: ReadonlySet<string>;
  /** The entry's YAML node, to keep it byte for byte when the export leaves it as it was. */
  readonly node: unknown;
}

/** A WrapUpCode of the stack's state. */
export interface StateCode {
  readonly resourceName: string;
  /** The platform id. */
  readonly id: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The stack as it was: its catalogue, its maps, its state. */
export interface Previous {
  readonly catalogue: readonly PreviousEntry[];
  /** `wrapup-codes:queues`: key → id (whatever the values are). */
  readonly queueMap: Readonly<Record<string, unknown>>;
  /** `wrapup-codes:divisions`: key → id. */
  readonly divisionMap: Readonly<Record<string, unknown>>;
  readonly state: readonly StateCode[];
}

/** One `codes:` entry to write (its queue keys sorted). */
export interface PlannedEntry extends EntryFields {
  readonly key: string;
  readonly name: string;
  /** Fields marked "filled" in the file. */
  readonly filled: ReadonlySet<FillableField>;
  /** Set when the entry is kept as it was (its code was not exported): the previous YAML node. */
  readonly verbatim?: unknown;
}
