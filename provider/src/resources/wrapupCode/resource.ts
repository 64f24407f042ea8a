import * as pulumi from "@pulumi/pulumi";
import { codeTraits } from "../../profiles/traits";
import { dynamicType, serializedProvider } from "../../shim";
import { stackApiProfile } from "../../stackConfig";
import type { Audit } from "../audit";
import { declareName } from "./names";

/**
 * The arguments of a wrap-up code. Every rule is checked at preview, before any request.
 *
 * On the `platform` profile (a real organisation) a code is a name, a description and a division, offered on any
 * number of queues; `code`, `category`, `mandatory`, `tags`, `validFrom` and `validThrough` have no field on the
 * platform: they live in the stack (its state is their record) and travel to BI with the code's events, and editing
 * only them sends no request. On the `tutorial` profile every field is sent to the API.
 */
export interface WrapUpCodeArgs {
  /**
   * Display name, sent as the code's name: 1..255 of letters, digits, spaces, `_`, `-`, not only spaces. Unique
   * case-insensitively in the organisation (platform) or in the queue (tutorial). Updates in place.
   */
  name: pulumi.Input<string>;
  /**
   * Short reporting code: 1..128 of letters, digits, spaces, `_`, `-`. Platform: kept in the stack, an edit is an
   * update without request. Tutorial: a change REPLACES the code (new id).
   */
  code: pulumi.Input<string>;
  /** Disposition category, one of the disposition matrix. Platform: kept in the stack. Updates in place. */
  category: pulumi.Input<string>;
  /**
   * The queues that offer the code (ids), 0..n on the platform, exactly one on the tutorial profile. Adding the code
   * to a queue, removing it or moving it is an update (same code id). Give this or `queueId`, not both.
   */
  queueIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** The one queue that offers the code: shorthand of `queueIds: [queueId]`. Updates in place. */
  queueId?: pulumi.Input<string>;
  /**
   * Platform only: the division (id) the code belongs to. When not given the platform decides (its home division)
   * and the output reports it. Updates in place.
   */
  divisionId?: pulumi.Input<string>;
  /** Whether agents must pick this code. Default `false`. Platform: kept in the stack. Updates in place. */
  mandatory?: pulumi.Input<boolean>;
  /**
   * The user's own reporting tags (1..100 of `[a-z0-9:_.-]`, no repeats), after the category-derived tags.
   * Platform: kept in the stack. Updates in place.
   */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Start of validity: ISO 8601 date-time with offset. Platform: kept in the stack. Updates in place. */
  validFrom?: pulumi.Input<string>;
  /** End of validity, later than `validFrom`. Platform: kept in the stack. Updates in place. */
  validThrough?: pulumi.Input<string>;
  /** Free text, at most 512 characters. Updates in place. */
  description?: pulumi.Input<string>;
  /** When a code with this name already exists: `"fail"` (default) or `"adopt"` it into this stack. */
  onConflict?: pulumi.Input<"fail" | "adopt">;
}

/**
 * A Genesys Cloud routing wrap-up code, declared as code.
 *
 * `pulumi preview` validates every field and shows the effective reporting tags; `up` creates the code, puts it on
 * its queues, updates it in place, or (tutorial profile, `code` changed) replaces it; `refresh` reports changes made
 * outside Pulumi, queue membership included.
 */
export class WrapUpCode extends pulumi.CustomResource {
  /** Display name. */
  declare public readonly name: pulumi.Output<string>;
  /** Reporting code. */
  declare public readonly code: pulumi.Output<string>;
  /** Disposition category. */
  declare public readonly category: pulumi.Output<string>;
  /** The queues that offer the code, as the platform reported or was made to hold them. */
  declare public readonly queueIds: pulumi.Output<string[]>;
  /** The one queue, when the code is on exactly one. */
  declare public readonly queueId: pulumi.Output<string | undefined>;
  /** The division the code belongs to, as the platform reports it (platform profile). */
  declare public readonly divisionId: pulumi.Output<string | undefined>;
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
  /** OAuth client (or user) that created the code. */
  declare public readonly createdBy: pulumi.Output<string>;
  /** OAuth client (or user) that last modified the code. */
  declare public readonly modifiedBy: pulumi.Output<string>;
  /** The last write made through this provider: action, time, client, contextId, attempts, latency. */
  declare public readonly audit: pulumi.Output<Audit>;

  constructor(name: string, args: WrapUpCodeArgs, opts?: pulumi.CustomResourceOptions) {
    if (!opts?.urn) checkUniqueName(name, args);
    super(
      dynamicType("WrapUpCode"),
      name,
      {
        ...args,
        __provider: serializedProvider("wrapUpCode"),
        queueIds: args.queueIds,
        queueId: args.queueId,
        divisionId: args.divisionId,
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

/**
 * Two codes of one program with one name fail the preview here, naming both (see names.ts): at once when the
 * values are plain, else when they become known.
 */
function checkUniqueName(resource: string, args: WrapUpCodeArgs): void {
  const traits = codeTraits(stackApiProfile());
  const queues = args.queueIds ?? (args.queueId === undefined ? [] : [args.queueId]);
  const plainQueues = Array.isArray(queues) && queues.every((q) => typeof q === "string");
  if (typeof args.name === "string" && plainQueues) {
    declareName(resource, args.name, queues as string[], traits);
    return;
  }
  pulumi.all([args.name, queues]).apply(([name, queueIds]) => {
    if (typeof name === "string") declareName(resource, name, (queueIds ?? []) as string[], traits);
  });
}
