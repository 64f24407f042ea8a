/**
 * The two files the export writes, as YAML documents edited in place with the `yaml` package: what the export does
 * not own (comments, the catalogue's `webhook:`, every other stack setting, encrypted secrets) stays as it was.
 */
import * as YAML from "yaml";
import type { FillableField, PlannedEntry } from "./model";
import { FILLED_MARK } from "./previous";

/** How both files are printed: no folding of long lines (diffs stay one line per value), `[a, b]` lists. */
const PRINT: YAML.ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

/** The comment after a value made by a rule. */
const MARKS: Record<FillableField, string> = {
  code: ` ${FILLED_MARK} (--code-from): check it, then delete this comment`,
  category: ` ${FILLED_MARK} (--category-default): check it, then delete this comment`,
};

/** The head of a catalogue the export writes from nothing: the format, as the repository's own catalogue has it. */
const NEW_CATALOGUE_HEAD = `Wrap-up codes of the contact centre: the reviewed source of truth. Written by
\`genesys-wrapup export\` from the organisation; from now on, edit it in pull requests.

  codes:
    <code key>:             # the code's identity in the stack (resource name): keep it stable
      name: ...             # display name, unique in the organisation (case-insensitive); edit = update
      queues: [...]         # queue keys (wrapup-codes:queues in Pulumi.<stack>.yaml) that offer the code
      division: ...         # division key (wrapup-codes:divisions in Pulumi.<stack>.yaml)
      code: ...             # short reporting code, kept by the stack (the platform does not hold it)
      category: ...         # disposition category, kept by the stack (the platform does not hold it)
      mandatory: false      # optional; tags: [...], validFrom, validThrough: optional, kept by the stack
      description: ...      # optional; at most 512 characters
      onConflict: adopt     # the first up takes over the code of that name that already exists

Values marked "${FILLED_MARK}" were made by a rule of the export, not read from the organisation.`;

/** The catalogue with `codes:` replaced by the plan's entries (and the older `queues:` folded into it). */
export function renderCatalogue(doc: YAML.Document | undefined, entries: readonly PlannedEntry[]): string {
  const target = doc && YAML.isMap(doc.contents) ? doc : newDocument(NEW_CATALOGUE_HEAD);
  const codes = new YAML.YAMLMap();
  // Keys are unique by construction: `items.push`, not `add`, which looks for the key first (quadratic at 5000 codes).
  for (const entry of entries)
    codes.items.push(target.createPair(entry.key, entry.verbatim ?? entryNode(target, entry)));
  const root = target.contents as YAML.YAMLMap;
  const pair = target.createPair("codes", codes);
  const isCodes = (p: YAML.Pair) => keyText(p.key) === "codes" || keyText(p.key) === "queues";
  const first = root.items.find(isCodes);
  // The section takes the place (and the comment before it) of `codes:`, or of the older `queues:` it replaces.
  if (first && YAML.isNode(first.key) && YAML.isNode(pair.key)) pair.key.commentBefore = first.key.commentBefore;
  const at = first ? root.items.indexOf(first) : 0;
  root.items = root.items.filter((p) => !isCodes(p));
  root.items.splice(at, 0, pair);
  return target.toString(PRINT);
}

function entryNode(doc: YAML.Document, e: PlannedEntry): YAML.YAMLMap {
  const map = new YAML.YAMLMap();
  const add = (field: string, value: unknown) => {
    if (value === undefined) return;
    const node = doc.createNode(value) as YAML.Node;
    if (YAML.isSeq(node)) node.flow = true;
    if (field in MARKS && e.filled.has(field as FillableField)) node.comment = MARKS[field as FillableField];
    map.items.push(doc.createPair(field, node));
  };
  add("name", e.name);
  add("queues", [...e.queues]);
  add("division", e.division);
  add("code", e.code);
  add("category", e.category);
  add("mandatory", e.mandatory);
  add("tags", e.tags === undefined ? undefined : [...e.tags]);
  add("validFrom", e.validFrom);
  add("validThrough", e.validThrough);
  add("description", e.description);
  add("onConflict", e.onConflict);
  return map;
}

/**
 * The stack's settings file with `<project>:queues` (and `<project>:divisions` when given) replaced by the plan's
 * maps; every other line (secrets, comments, the salt) as it was.
 */
export function renderStackConfig(
  doc: YAML.Document | undefined,
  project: string,
  queues: readonly (readonly [string, string])[],
  divisions: readonly (readonly [string, string])[] | undefined,
): string {
  const target = doc && YAML.isMap(doc.contents) ? doc : newDocument(undefined);
  if (!YAML.isMap(target.get("config", true))) target.set("config", new YAML.YAMLMap());
  target.setIn(["config", `${project}:queues`], idMap(target, queues));
  if (divisions !== undefined && (divisions.length > 0 || target.hasIn(["config", `${project}:divisions`]))) {
    target.setIn(["config", `${project}:divisions`], idMap(target, divisions));
  }
  return target.toString(PRINT);
}

/** key → id; a key that starts with a digit is quoted, so that no YAML reader takes it for a number or a date. */
function idMap(doc: YAML.Document, entries: readonly (readonly [string, string])[]): YAML.YAMLMap {
  const map = new YAML.YAMLMap();
  for (const [key, id] of entries) {
    const keyNode = doc.createNode(key) as YAML.Scalar;
    if (/^[0-9]/.test(key)) keyNode.type = YAML.Scalar.QUOTE_DOUBLE;
    map.items.push(doc.createPair(keyNode, id));
  }
  return map;
}

function newDocument(head: string | undefined): YAML.Document {
  const doc = new YAML.Document(new YAML.YAMLMap());
  if (head !== undefined) doc.commentBefore = head.replace(/^/gm, " ").replace(/^ $/gm, "");
  return doc;
}

function keyText(node: unknown): string | undefined {
  if (YAML.isScalar(node)) return String(node.value);
  return typeof node === "string" ? node : undefined;
}
