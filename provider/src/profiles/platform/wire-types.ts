// The public Genesys Cloud Platform API's wire format for wrap-up codes, queues and divisions
// (shared/spec/platform-api.md, from the official SDK's models): the only module besides the platform profile's
// API and mapping that knows these names.
import type { EntityRef } from "../../client/types";

/** `WrapupCodeRequest`: the body of `POST`/`PUT /api/v2/routing/wrapupcodes[/{id}]`. Nothing else exists. */
export interface WrapupCodeRequest {
  /** Required; unique in the organisation. */
  readonly name: string;
  readonly description?: string;
  /** Omitted: the platform decides (home division, or all divisions). */
  readonly division?: { readonly id: string };
}

/** `WrapupCode` as GET/POST/PUT answer it. */
export interface WrapupCode {
  readonly id: string;
  readonly name: string;
  readonly division?: EntityRef;
  readonly description?: string | null;
  readonly dateCreated?: string;
  readonly dateModified?: string;
  /** Id of the user or OAuth client that created it. */
  readonly createdBy?: string;
  readonly modifiedBy?: string;
  readonly selfUri?: string;
}

/** Filters of `GET /api/v2/routing/wrapupcodes`. */
export interface WrapupCodeQuery {
  /** Server-side name filter; its match rule is not documented, so callers compare exactly. */
  readonly name?: string;
  /** Repeatable: only these ids. */
  readonly id?: readonly string[];
  readonly divisionId?: readonly string[];
}

/** One element of the membership POST body `[{id}, …]`. */
export interface WrapupCodeReference {
  readonly id: string;
}

/** A routing queue as listed; it has no wrap-up code field (membership has its own endpoints). */
export interface Queue {
  readonly id: string;
  readonly name: string;
  readonly division?: EntityRef;
  readonly selfUri?: string;
}

/** An authorization division. */
export interface Division {
  readonly id: string;
  readonly name: string;
  readonly homeDivision?: boolean;
  readonly selfUri?: string;
}
