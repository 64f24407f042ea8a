/**
 * The seam between the resources and an API profile: one small interface per object the resources manage (codes,
 * queue membership, BI-sync webhooks), in the resources' words. Each profile (`tutorial/`, `platform/`) implements
 * them once; the only code that knows a wire field name or path is in those folders. The resources never ask which
 * profile they run on: they ask the profile's traits (what the platform holds) and call these methods.
 */
import type { ApiEnvelope } from "../client/envelope";
import type { DeleteOutcome } from "../client/types";
import type { CodeTraits } from "./traits";

/** A call's result with what the audit record needs (status, contextId, attempts, latency). */
export type Call<T> = ApiEnvelope<T>;

/** A wrap-up code as the stack declares it, every field in the resource's words. */
export interface DesiredCode {
  readonly name: string;
  readonly description?: string;
  readonly divisionId?: string;
  readonly code: string;
  readonly category: string;
  readonly queueIds: readonly string[];
  readonly mandatory: boolean;
  readonly tags: readonly string[];
  readonly reportingTags: readonly string[];
  readonly validFrom?: string;
  readonly validThrough?: string;
}

/**
 * A wrap-up code as the platform reports it, in the resource's words. Only the fields the profile holds
 * (`CodeTraits.held`) are meaningful; the rest are absent.
 */
export interface StoredCode extends Partial<DesiredCode> {
  readonly id: string;
  readonly name: string;
  readonly dateCreated?: string;
  readonly dateModified?: string;
  /** The OAuth client (or user) that created the code. */
  readonly createdBy?: string;
  /** The OAuth client (or user) that last modified the code. */
  readonly modifiedBy?: string;
}

/** What the resource knew of a code before (its state), for the profile's reads. */
export interface KnownCode {
  readonly queueIds?: readonly string[];
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly category?: string;
  readonly validFrom?: string;
  readonly validThrough?: string;
  readonly dateCreated?: string;
  readonly dateModified?: string;
}

/** Wrap-up codes on the platform. */
export interface CodesApi {
  /** What the platform holds of a code and allows. */
  readonly traits: CodeTraits;
  /** Creates the code; a lost answer is reconciled by a lookup before anything is sent again (never a duplicate). */
  create(desired: DesiredCode): Promise<Call<StoredCode>>;
  /** The code, or null when the platform no longer has it. `known` is the state, for reads that use it. */
  read(id: string, known?: KnownCode): Promise<Call<StoredCode | null>>;
  /** Writes the held fields of `desired` to the code. */
  update(id: string, desired: DesiredCode, known?: KnownCode): Promise<Call<StoredCode>>;
  /** Deletes the code; already gone counts as done. */
  delete(id: string): Promise<Call<DeleteOutcome>>;
  /** The code holding `desired`'s name where names must be unique (case-insensitively); null when none. */
  findByName(desired: DesiredCode): Promise<Call<StoredCode | null>>;
  /**
   * Like {@link findByName}, for codes declared `onConflict: "adopt"`, which look before they create: answered from
   * one listing of the codes per run where the profile can, so adopting hundreds of codes costs a few requests.
   */
  findForAdoption(desired: DesiredCode): Promise<Call<StoredCode | null>>;
  /** True when `error` is the platform refusing a name that another code holds. */
  isNameConflict(error: unknown): boolean;
  /** Every code of the organisation (for exports). */
  list(): Promise<Call<StoredCode[]>>;
}

/** Which queues offer a code to agents. */
export interface MembershipApi {
  /**
   * Makes the code a member of exactly `to` where it was on `from` (adds the missing, removes the extra).
   * Where the code's own body carries its queue, the code's write already did it and this sends nothing.
   */
  apply(codeId: string, from: readonly string[], to: readonly string[]): Promise<Call<void> | undefined>;
  /** The queues among `candidates` the code is on (where the body carries the queue: the code's own). */
  queuesOf(code: StoredCode, candidates: readonly string[]): Promise<readonly string[]>;
  /** How many codes the queue holds (one request). */
  count(queueId: string): Promise<Call<number>>;
  /** Every queue of the organisation, `{id, name}` (for exports). */
  queues(): Promise<Call<{ id: string; name: string }[]>>;
  /** The ids of every code on the queue (for exports). */
  codesOn(queueId: string): Promise<Call<string[]>>;
}

/** One filter condition of a webhook, in the resource's words (`field` names a WrapUpCode field). */
export interface WebhookCondition {
  readonly field: string;
  readonly value: string;
}

/** A BI-sync webhook as the stack declares it. The secret travels only to where it signs events. */
export interface DesiredWebhook {
  readonly name: string;
  readonly callbackUrl: string;
  /** `created`, `updated`, `deleted`. */
  readonly eventTypes: readonly string[];
  readonly filters?: { readonly matchType: "exact" | "prefix"; readonly conditions: readonly WebhookCondition[] };
  readonly secret?: string;
  readonly enabled: boolean;
  readonly description?: string;
}

/** A webhook as the platform (or, where the stack delivers, the stack) reports it; never with the secret. */
export interface StoredWebhook extends Omit<DesiredWebhook, "secret"> {
  readonly id: string;
  /** `active` or `disabled`. */
  readonly status?: string;
  /** Whether a secret is set (the platform never returns it). */
  readonly secretSet?: boolean;
  readonly dateCreated?: string;
  readonly dateModified?: string;
}

/** BI-sync webhooks: where the code change events go. */
export interface WebhooksApi {
  /**
   * Who delivers the events: `platform` (the platform watches the codes and POSTs each change itself), or `stack`
   * (the platform has no such API; the provider delivers the stack's own changes, see SyncWebhook).
   */
  readonly deliveredBy: "platform" | "stack";
  create(desired: DesiredWebhook): Promise<Call<StoredWebhook>>;
  /** The webhook, or null when gone. `known` is the state (where the stack keeps the webhook, it is the answer). */
  read(id: string, known: StoredWebhook): Promise<Call<StoredWebhook | null>>;
  update(id: string, desired: DesiredWebhook): Promise<Call<StoredWebhook>>;
  delete(id: string): Promise<Call<DeleteOutcome>>;
  findByName(name: string): Promise<Call<StoredWebhook | null>>;
  isNameConflict(error: unknown): boolean;
}

/** Divisions, where the platform has them (for exports: their names become the catalogue's keys). */
export interface DivisionsApi {
  /** Every division of the organisation, `{id, name}`; none where the platform has no divisions. */
  list(): Promise<Call<{ id: string; name: string }[]>>;
}

/** One API profile: its traits and its implementation of each object's interface. */
export interface ApiProfile {
  readonly traits: CodeTraits;
  readonly codes: CodesApi;
  readonly membership: MembershipApi;
  readonly webhooks: WebhooksApi;
  readonly divisions: DivisionsApi;
}
