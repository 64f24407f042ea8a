/** The platform's entities: permissions, divisions, wrap-up codes (soft-deleted, on any number of queues). */
import { Division } from "../../model";

/** The permissions the platform profile checks (granted to an OAuth client through its roles). */
export const PERMISSIONS = {
  codeAdd: "routing:wrapupCode:add",
  codeView: "routing:wrapupCode:view",
  codeEdit: "routing:wrapupCode:edit",
  codeDelete: "routing:wrapupCode:delete",
  queueView: "routing:queue:view",
  queueEdit: "routing:queue:edit",
  divisionView: "authorization:division:view",
} as const;

export const ALL_PERMISSIONS: readonly string[] = Object.values(PERMISSIONS);

/** A division of the organisation; `home` marks the home division (exactly one). */
export interface PlatformDivision extends Division {
  description: string;
  home: boolean;
}

export const HOME_DIVISION_ID = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00";
export const EUROPE_DIVISION_ID = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d01";

export const DEFAULT_DIVISIONS: readonly PlatformDivision[] = [
  { id: HOME_DIVISION_ID, name: "Home", description: "The home division", home: true },
  { id: EUROPE_DIVISION_ID, name: "Europe", description: "", home: false },
];

/** `active` codes are served; `deleted` ones are kept (deletes are soft) for the divisionviews listing. */
export type CodeState = "active" | "deleted";

export interface PlatformCode {
  id: string;
  name: string;
  description: string | null;
  divisionId: string;
  dateCreated: string;
  dateModified: string;
  createdBy: string;
  modifiedBy: string;
  state: CodeState;
  /** When the code was deleted (ISO 8601); only on deleted codes. */
  dateDeleted?: string;
  /** The queues the code was on when it was deleted (lagging reads still list it there). */
  formerQueues?: string[];
}

/** Limits of the routing namespace. */
export const ROUTING_LIMITS = {
  namespace: "routing",
  /** The only hard number the platform documents: codes per membership POST. */
  membershipRequestKey: "max.wrapup.codes.per.membership.request",
  membershipRequestMax: 100,
  /** Key of the optional per-queue limit (config `queueCodeLimit`). */
  perQueueKey: "max.wrapup.codes.per.queue",
  nameMax: 255,
  descriptionMax: 512,
} as const;

/** A seed division: `id` optional (derived from the name when omitted). */
export interface SeedDivision {
  id?: string;
  name: string;
  description?: string;
}

/** A hand-made code of the seed (`wrapupCodes` key, `POST /__emulator/seed/wrapupcodes`). */
export interface SeedWrapupCode {
  name: string;
  description?: string | null;
  /** A division id or name; default the home division. */
  division?: string;
  /** Queue names or ids the code is on. */
  queues?: string[];
}
