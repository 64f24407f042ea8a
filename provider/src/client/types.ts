// Wire types shared by every API profile: references, the listing envelope, delete outcomes. The objects of each
// profile (wrap-up codes, webhooks) are typed in that profile's folder (provider/src/profiles/<profile>/).

/** A reference to another entity by id. */
export interface EntityRef {
  readonly id: string;
  readonly name?: string;
  readonly selfUri?: string;
}

/** One page of a list endpoint (contract section 5). `nextUri` is absent on the last page. */
export interface PagedEntities<T> {
  readonly entities: T[];
  readonly pageSize?: number;
  readonly pageNumber?: number;
  readonly total?: number;
  readonly pageCount?: number;
  readonly firstUri?: string;
  readonly nextUri?: string;
  readonly lastUri?: string;
  readonly selfUri?: string;
}

/** What a delete did: `deleted: false` when the object was already gone (404), which counts as done. */
export interface DeleteOutcome {
  readonly deleted: boolean;
}
