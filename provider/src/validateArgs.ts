/**
 * The rules `pulumi preview` applies to a resource's arguments, callable from a program before it declares the
 * resources. The engine stops a preview at the first resource whose `check` fails, so a program that declares many
 * codes from a file (a catalogue) shows one broken entry per preview; checking them all first reports every broken
 * entry at once. The rules are the providers' own (`checkWrapUpCode`, `checkSyncWebhook`): nothing is written twice.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DispositionMatrix } from "./matrix";
import { codeTraits, type ApiProfileName } from "./profiles/traits";
import type { SyncWebhookArgs } from "./resources/syncWebhook";
import { checkSyncWebhook } from "./resources/syncWebhook/schema";
import type { CheckFailure } from "./resources/validate";
import type { WrapUpCodeArgs } from "./resources/wrapupCode";
import { checkWrapUpCode } from "./resources/wrapupCode/schema";
import { stackApiProfile, stackDispositionMatrix } from "./stackConfig";
import { UNKNOWN } from "./unknown";

export { stackApiProfile, stackDispositionMatrix } from "./stackConfig";

export type { CheckFailure };

export interface ValidateOptions {
  /** The matrix categories are checked against; default: the running stack's (see {@link stackDispositionMatrix}). */
  readonly dispositionMatrix?: DispositionMatrix;
  /** The API profile whose rules apply (queues per code, divisions); default: the running stack's. */
  readonly apiProfile?: ApiProfileName;
}

/**
 * A wrap-up code's arguments checked by the rules its preview applies, without any request: one failure per broken
 * field, each naming the field and every rule it breaks (the same text the preview shows); empty when valid. An
 * argument that is an `Output` or a promise is not known yet and passes, as it does in a preview.
 */
export function validateWrapUpCode(args: WrapUpCodeArgs, options: ValidateOptions = {}): CheckFailure[] {
  const matrix = options.dispositionMatrix ?? stackDispositionMatrix();
  const traits = codeTraits(options.apiProfile ?? stackApiProfile());
  return checkWrapUpCode(knownValues(args), matrix, traits).failures;
}

/** A BI-sync webhook's arguments checked like {@link validateWrapUpCode} (the secret is never echoed). */
export function validateSyncWebhook(args: SyncWebhookArgs, options: ValidateOptions = {}): CheckFailure[] {
  const { codes, ...rest } = args;
  const inputs = { ...knownValues(rest), ...(codes === undefined ? {} : { codes: codes.map(() => UNKNOWN) }) };
  return checkSyncWebhook({}, inputs, codeTraits(options.apiProfile ?? stackApiProfile())).failures;
}

/** The arguments with every value not known yet (an Output, a promise) replaced by the preview's unknown. */
function knownValues(args: object): Record<string, unknown> {
  return known(args) as Record<string, unknown>;
}

function known(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || isPromiseLike(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(known);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, known(v)]),
    );
  }
  return value;
}

function isPromiseLike(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
