import * as pulumi from "@pulumi/pulumi";
import type { CodeTraits } from "../../profiles/traits";

/** A name a program declared, and where (for the tutorial's per-queue uniqueness). */
interface Declared extends NameDeclaration {
  readonly resource: string;
}

/**
 * Names the program declared so far, lower-cased. A platform keeps names unique (in the organisation, or in a queue
 * on the tutorial's API): a program that declares one twice would have its second code refused mid-`up`, after
 * other writes, or both resources would fight over one code. The constructor checks at declaration, before any
 * request, so `pulumi preview` fails naming both resources.
 */
const declared = new Map<string, Declared[]>();

/** A code's name and the queues that offer it, as a program or a catalogue declares them. */
export interface NameDeclaration {
  readonly name: string;
  readonly queues: readonly string[];
}

/**
 * The first of `earlier` whose name clashes with `next`'s where the platform keeps names unique (`scope`: in the
 * organisation, or in a queue they share, as on the tutorial's API); names compare case-insensitively, queues exactly.
 * The rule of the resource's own check and of the root stack's catalogue.
 */
export function findNameClash<T extends NameDeclaration>(
  earlier: Iterable<T>,
  next: NameDeclaration,
  scope: CodeTraits["nameUnique"],
): T | undefined {
  const name = next.name.toLowerCase();
  for (const other of earlier) {
    if (other.name.toLowerCase() !== name) continue;
    if (scope === "organisation" || other.queues.some((q) => next.queues.includes(q))) return other;
  }
  return undefined;
}

/** Records the declaration, or throws a RunError naming the name and both resources. */
export function declareName(resource: string, name: string, queueIds: readonly string[], traits: CodeTraits): void {
  const key = name.toLowerCase();
  const queues = queueIds.map((q) => q.toLowerCase());
  const others = (declared.get(key) ?? []).filter((other) => other.resource !== resource);
  const earlier = findNameClash(others, { name, queues }, traits.nameUnique);
  if (earlier) {
    const where = traits.nameUnique === "organisation" ? "in the organisation" : "in a queue";
    throw new pulumi.RunError(
      `wrap-up code name "${name}" is declared twice, by resources "${earlier.resource}" and "${resource}"; names are ` +
        `unique ${where}, compared case-insensitively: give one of them another name`,
    );
  }
  declared.set(key, [...(declared.get(key) ?? []), { resource, name, queues }]);
}

/** Forgets every declaration (tests). */
export function forgetDeclaredNames(): void {
  declared.clear();
}
