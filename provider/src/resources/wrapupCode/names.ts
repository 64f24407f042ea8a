import * as pulumi from "@pulumi/pulumi";
import type { CodeTraits } from "../../profiles/traits";

/** A name a program declared, and where (for the tutorial's per-queue uniqueness). */
interface Declared {
  readonly resource: string;
  readonly queues: readonly string[];
}

/**
 * Names the program declared so far, lower-cased. A platform keeps names unique (in the organisation, or in a queue
 * on the tutorial's API): a program that declares one twice would have its second code refused mid-`up`, after
 * other writes, or both resources would fight over one code. The constructor checks at declaration, before any
 * request, so `pulumi preview` fails naming both resources.
 */
const declared = new Map<string, Declared[]>();

/** Records the declaration, or throws a RunError naming the name and both resources. */
export function declareName(resource: string, name: string, queueIds: readonly string[], traits: CodeTraits): void {
  const key = name.toLowerCase();
  const queues = queueIds.map((q) => q.toLowerCase());
  const earlier = (declared.get(key) ?? []).find(
    (other) =>
      other.resource !== resource &&
      (traits.nameUnique === "organisation" || other.queues.some((q) => queues.includes(q))),
  );
  if (earlier) {
    const where = traits.nameUnique === "organisation" ? "in the organisation" : "in a queue";
    throw new pulumi.RunError(
      `wrap-up code name "${name}" is declared twice, by resources "${earlier.resource}" and "${resource}"; names are ` +
        `unique ${where}, compared case-insensitively: give one of them another name`,
    );
  }
  declared.set(key, [...(declared.get(key) ?? []), { resource, queues }]);
}

/** Forgets every declaration (tests). */
export function forgetDeclaredNames(): void {
  declared.clear();
}
