import * as pulumi from "@pulumi/pulumi";
import { dynamicType, serializedProvider } from "../../shim";
import type { Audit } from "../audit";
import type { WrapUpCode } from "../wrapupCode/resource";
import type { StackEvent } from "./events";
import type { FilterField, SyncEventType } from "./schema";

/** One filter condition: the code's `field` must match `value`. */
export interface SyncWebhookConditionArgs {
  /**
   * The wrap-up code field, named as on `WrapUpCode`: `queueId`, `codeId`, `name`, `code`, `category`,
   * `description`, `createdBy`, `modifiedBy`, or `reportingTags` (matches any of the code's tags).
   */
  field: pulumi.Input<FilterField>;
  /** The value to match, 1..255 characters; a UUID for `queueId`/`codeId` with `matchType: "exact"`. */
  value: pulumi.Input<string>;
}

/** Which codes' events the webhook receives. */
export interface SyncWebhookFiltersArgs {
  /** `"exact"` (default): whole values, ids case-insensitively. `"prefix"`: the code's value starts with `value`. */
  matchType?: pulumi.Input<"exact" | "prefix">;
  /** 1..50 conditions. Conditions on one field are alternatives (OR); on different fields all must hold (AND). */
  conditions: pulumi.Input<pulumi.Input<SyncWebhookConditionArgs>[]>;
}

/** The arguments of a BI-sync webhook. Rules are checked at preview, before any request. */
export interface SyncWebhookArgs {
  /** Webhook name: 1..255 characters, not only spaces, no control characters; unique (case-insensitively). Updates in place. */
  name: pulumi.Input<string>;
  /** Where events are POSTed: an absolute `https://` URL without credentials (plain `http://` only for loopback hosts), at most 2048 characters. Updates in place. */
  callbackUrl: pulumi.Input<string>;
  /** Wrap-up code events to send, any of `"created"`, `"updated"`, `"deleted"`, no repeats, order irrelevant. Default `["created", "updated"]`. Updates in place. */
  eventTypes?: pulumi.Input<pulumi.Input<SyncEventType>[]>;
  /** Send only the events of codes matching these conditions. Default: every code. Updates in place. */
  filters?: pulumi.Input<SyncWebhookFiltersArgs>;
  /**
   * Shared secret the platform signs every event with (`X-Genesys-Signature: sha256=<HMAC-SHA256 of the body>`),
   * 1..256 characters. Write-only on the platform. Always treated as a Pulumi secret: encrypted in state, shown as
   * `[secret]` in previews. Default: none (events are unsigned). A change updates in place (rotation).
   */
  secret?: pulumi.Input<string>;
  /** Whether events are sent (`status` `active`) or held back (`disabled`). Default `true`. Updates in place. */
  enabled?: pulumi.Input<boolean>;
  /** Free text, at most 512 characters. Updates in place. */
  description?: pulumi.Input<string>;
  /** When a webhook with this name already exists: `"fail"` (default) or `"adopt"` it into this stack. */
  onConflict?: pulumi.Input<"fail" | "adopt">;
  /**
   * Platform profile (required there): the codes whose changes this webhook reports. The public platform has no
   * webhook API, so the stack delivers: after the codes are applied, every code this stack created, updated (any
   * field, catalogue fields included) or removed becomes one signed event. The webhook then depends on the codes.
   * Tutorial profile: leave it out (the platform delivers) and declare the codes with `dependsOn: [webhook]`.
   */
  codes?: WrapUpCode[];
}

/**
 * A Genesys Cloud analytics event webhook that pushes every wrap-up code change to a BI platform, declared as code.
 *
 * `pulumi preview` validates every field; `up` creates the webhook or updates it in place (no field replaces it);
 * `refresh` reports changes made outside Pulumi. The secret never appears in state, previews or logs in plain text.
 * Declare codes with `dependsOn: [webhook]` so that their creation is delivered too.
 */
export class SyncWebhook extends pulumi.CustomResource {
  /** Webhook name. */
  declare public readonly name: pulumi.Output<string>;
  /** Where events are POSTed. */
  declare public readonly callbackUrl: pulumi.Output<string>;
  /** Events sent. */
  declare public readonly eventTypes: pulumi.Output<SyncEventType[]>;
  /** The filter, if any, with `matchType` filled in. */
  declare public readonly filters: pulumi.Output<
    { matchType: "exact" | "prefix"; conditions: { field: FilterField; value: string }[] } | undefined
  >;
  /** Whether events are sent. */
  declare public readonly enabled: pulumi.Output<boolean>;
  /** Description, if set. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** Conflict policy used at create. */
  declare public readonly onConflict: pulumi.Output<"fail" | "adopt">;
  /** The platform's id of the webhook. */
  declare public readonly webhookId: pulumi.Output<string>;
  /** `active` or `disabled`, as the platform reports it. */
  declare public readonly status: pulumi.Output<string>;
  /** How often this stack changed `secret`: a rotation shows as a new value here (the secret itself is no output). */
  declare public readonly secretVersion: pulumi.Output<number>;
  /** Whether the platform holds a secret for the webhook (it never returns the secret). */
  declare public readonly secretSet: pulumi.Output<boolean>;
  /** When the platform created the webhook. */
  declare public readonly dateCreated: pulumi.Output<string>;
  /** When the platform last modified the webhook. */
  declare public readonly dateModified: pulumi.Output<string>;
  /** The last write made through this provider: action, time, client, contextId, attempts, latency. */
  declare public readonly audit: pulumi.Output<Audit>;
  /** Platform profile: events not acknowledged yet; the next `up` delivers them under the same ids. */
  declare public readonly pendingEvents: pulumi.Output<StackEvent[] | undefined>;
  /** Platform profile: the last run's deliveries, `{delivered, pending, time}`. */
  declare public readonly lastDelivery: pulumi.Output<{ delivered: number; pending: number; time: string } | undefined>;

  constructor(name: string, args: SyncWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      dynamicType("SyncWebhook"),
      name,
      {
        ...args,
        // Wrapped here so that the input is encrypted in state and shown as [secret], whatever the caller passed.
        // The provider never returns it as an output: the SDK logs every RegisterResource response, secret outputs
        // included, as a debug event that `pulumi up --json` prints (@pulumi/pulumi 3.248, runtime/resource.js).
        secret: args.secret === undefined ? undefined : pulumi.secret(args.secret),
        codes: args.codes === undefined ? undefined : args.codes.map(codeRecord),
        // Fixes the webhook's id and its events' ids where the stack delivers (one per stack and resource).
        deliveryScope: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        __provider: serializedProvider("syncWebhook"),
        webhookId: undefined,
        status: undefined,
        secretVersion: undefined,
        secretSet: undefined,
        dateCreated: undefined,
        dateModified: undefined,
        audit: undefined,
        pendingEvents: undefined,
        lastDelivery: undefined,
      },
      opts,
    );
  }
}

/**
 * A code as the webhook reports it (the stack's view, platform id included), once the code is applied. A plain object
 * of outputs, not one output: in a preview the key (from the URN) is known while the values the run will decide are
 * not, so the preview can tell a changed code from a removed one.
 */
function codeRecord(code: WrapUpCode): Record<string, pulumi.Input<unknown>> {
  return {
    key: code.urn.apply((urn) => urn.split("::").pop() ?? urn),
    codeId: code.codeId,
    name: code.name,
    code: code.code,
    category: code.category,
    reportingTags: code.reportingTags,
    queueIds: code.queueIds,
    divisionId: code.divisionId,
    mandatory: code.mandatory,
    validFrom: code.validFrom,
    validThrough: code.validThrough,
    description: code.description,
    createdBy: code.createdBy,
    modifiedBy: code.modifiedBy,
    writtenAt: code.audit.apply((audit) => audit?.time),
  };
}
