import * as pulumi from "@pulumi/pulumi";
import { dynamicType, serializedProvider } from "../../shim";
import type { Audit } from "../audit";

/** The arguments of a wrap-up code. Rules are checked at preview, before any request. */
export interface WrapUpCodeArgs {
  /** Display name (API `codeName`): 1..255 of letters, digits, spaces, `_`, `-`, not only spaces; unique per queue, case-insensitively. Updates in place. */
  name: pulumi.Input<string>;
  /** Reporting code: 1..128 of letters, digits, spaces, `_`, `-`. A change REPLACES the code (reporting joins on it). */
  code: pulumi.Input<string>;
  /** Disposition category (API `codeCategoryName`), one of the disposition matrix, matched exactly. Updates in place. */
  category: pulumi.Input<string>;
  /** Id (UUID) of the routing queue that holds the code (API `routingQueue.id`). Updates in place. */
  queueId: pulumi.Input<string>;
  /** Whether agents must pick this code (API `mandatoryField`). Default `false`. Updates in place. */
  mandatory?: pulumi.Input<boolean>;
  /** The user's own reporting tags (1..100 of `[a-z0-9:_.-]`, no repeats), sent after the category-derived tags. Updates in place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Start of validity: ISO 8601 date-time with offset. Updates in place. */
  validFrom?: pulumi.Input<string>;
  /** End of validity: ISO 8601 date-time with offset, later than `validFrom`. Updates in place. */
  validThrough?: pulumi.Input<string>;
  /** Free text, at most 512 characters. Updates in place. */
  description?: pulumi.Input<string>;
  /** When a code with this name already exists in the queue: `"fail"` (default) or `"adopt"` it into this stack. */
  onConflict?: pulumi.Input<"fail" | "adopt">;
}

/**
 * A Genesys Cloud routing wrap-up code, declared as code.
 *
 * `pulumi preview` validates every field and shows the effective reporting tags; `up` creates, updates in place,
 * or replaces (when `code` changes); `refresh` reports changes made outside Pulumi.
 */
export class WrapUpCode extends pulumi.CustomResource {
  /** Display name (API `codeName`). */
  declare public readonly name: pulumi.Output<string>;
  /** Reporting code. */
  declare public readonly code: pulumi.Output<string>;
  /** Disposition category. */
  declare public readonly category: pulumi.Output<string>;
  /** Routing queue id. */
  declare public readonly queueId: pulumi.Output<string>;
  /** Whether agents must pick the code. */
  declare public readonly mandatory: pulumi.Output<boolean>;
  /** The user's own tags. */
  declare public readonly tags: pulumi.Output<string[]>;
  /** Start of validity, if set. */
  declare public readonly validFrom: pulumi.Output<string | undefined>;
  /** End of validity, if set. */
  declare public readonly validThrough: pulumi.Output<string | undefined>;
  /** Description, if set. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** Conflict policy used at create. */
  declare public readonly onConflict: pulumi.Output<"fail" | "adopt">;
  /** Effective reporting tags: category-derived tags, then `tags`. */
  declare public readonly reportingTags: pulumi.Output<string[]>;
  /** The platform's id of the code. */
  declare public readonly codeId: pulumi.Output<string>;
  /** When the platform created the code. */
  declare public readonly dateCreated: pulumi.Output<string>;
  /** When the platform last modified the code. */
  declare public readonly dateModified: pulumi.Output<string>;
  /** OAuth client that created the code. */
  declare public readonly createdBy: pulumi.Output<string>;
  /** OAuth client that last modified the code. */
  declare public readonly modifiedBy: pulumi.Output<string>;
  /** The last write made through this provider: action, time, client, contextId, attempts, latency. */
  declare public readonly audit: pulumi.Output<Audit>;

  constructor(name: string, args: WrapUpCodeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      dynamicType("WrapUpCode"),
      name,
      {
        ...args,
        __provider: serializedProvider("wrapUpCode"),
        reportingTags: undefined,
        codeId: undefined,
        dateCreated: undefined,
        dateModified: undefined,
        createdBy: undefined,
        modifiedBy: undefined,
        audit: undefined,
      },
      opts,
    );
  }
}
