/**
 * What each API profile's platform holds and allows, as plain data: the resources' `check` and `diff` (which make no
 * request) and `validateWrapUpCode` in a program read it, and the profile's API implementation agrees with it.
 */

/** The API a stack speaks: the public Genesys Cloud Platform API, or the tutorial's contract. */
export type ApiProfileName = "platform" | "tutorial";

/** Every profile name, the default first. */
export const API_PROFILES: readonly ApiProfileName[] = ["platform", "tutorial"];

/** The default profile: what a real organisation speaks. */
export const DEFAULT_API_PROFILE: ApiProfileName = "platform";

/** A wrap-up code field in the resource's words. */
export type CodeField =
  | "name"
  | "description"
  | "divisionId"
  | "code"
  | "category"
  | "queueIds"
  | "mandatory"
  | "tags"
  | "reportingTags"
  | "validFrom"
  | "validThrough";

/** What a profile's platform does with wrap-up codes. */
export interface CodeTraits {
  readonly profile: ApiProfileName;
  /**
   * Fields the platform stores on the code object itself: a change to one of them is a write of the code, and
   * refresh reads them back. Every other field lives only in the stack's state (and queue membership, where the
   * platform keeps it apart from the code).
   */
  readonly held: readonly CodeField[];
  /** Fields whose change cannot be applied in place: a new code replaces the old one. */
  readonly replaceOn: readonly CodeField[];
  /** Where a name must be unique (case-insensitively): in the whole organisation, or in a queue. */
  readonly nameUnique: "organisation" | "queue";
  /** How many queues a code may be on. */
  readonly queues: { readonly min: number; readonly max: number };
  /** Whether codes belong to divisions. */
  readonly divisions: boolean;
  /** The per-queue limit of codes checked before any write when `genesys:queueCodeLimit` is not set. */
  readonly defaultQueueCodeLimit?: number;
  /**
   * Who tells a BI-sync webhook of code changes: the `platform` (it has a webhook API and watches its codes), or the
   * `stack` (the platform has none: the provider delivers the stack's own changes, see SyncWebhook).
   */
  readonly webhookDelivery: "platform" | "stack";
}

const TUTORIAL: CodeTraits = {
  profile: "tutorial",
  held: [
    "name",
    "description",
    "code",
    "category",
    "queueIds",
    "mandatory",
    "tags",
    "reportingTags",
    "validFrom",
    "validThrough",
  ],
  replaceOn: ["code"],
  nameUnique: "queue",
  queues: { min: 1, max: 1 },
  divisions: false,
  // The tutorial's contract, section 7: a queue holds at most 1000 codes.
  defaultQueueCodeLimit: 1000,
  webhookDelivery: "platform",
};

const PLATFORM: CodeTraits = {
  profile: "platform",
  // WrapupCodeRequest is {name, description, division}: nothing else of a code exists on the platform.
  held: ["name", "description", "divisionId"],
  replaceOn: [],
  nameUnique: "organisation",
  queues: { min: 0, max: Number.POSITIVE_INFINITY },
  divisions: true,
  // No limit per queue is documented; a stack may set its own (genesys:queueCodeLimit).
  defaultQueueCodeLimit: undefined,
  webhookDelivery: "stack",
};

/** The traits of a profile. */
export function codeTraits(profile: ApiProfileName): CodeTraits {
  return profile === "tutorial" ? TUTORIAL : PLATFORM;
}

/** True for a known profile name. */
export function isApiProfile(value: unknown): value is ApiProfileName {
  return value === "platform" || value === "tutorial";
}
