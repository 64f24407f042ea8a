/**
 * What the stack declared before the export: the catalogue's entries (with the YAML nodes, to keep an entry byte for
 * byte and to see which values still carry the "filled" mark) and the WrapUpCodes of the stack's state.
 */
import * as YAML from "yaml";
import { isRecord } from "../../util";
import { CommandError } from "../command";
import type { PreviousEntry, StateCode } from "./model";

/** The comment the export puts after a value it made by a rule; a reviewer removes it once the value is checked. */
export const FILLED_MARK = "filled by export";

/** The resource type of WrapUpCode in a state (see shim.ts). */
const WRAPUP_TYPE = "pulumi-nodejs:dynamic/genesys:WrapUpCode";

/** The catalogue's entries, under `codes:` and the older `queues:`. Lenient: what is not an entry is skipped. */
export function catalogueEntries(doc: YAML.Document | undefined): PreviousEntry[] {
  if (!doc) return [];
  const entries: PreviousEntry[] = [];
  const codes = doc.get("codes", true);
  if (YAML.isMap(codes)) {
    for (const pair of codes.items) {
      const key = scalarText(pair.key);
      if (key !== undefined && YAML.isMap(pair.value)) entries.push(entryOf(key, key, pair.value, undefined));
    }
  }
  const queues = doc.get("queues", true);
  if (YAML.isMap(queues)) {
    for (const group of queues.items) {
      const queue = scalarText(group.key);
      if (queue === undefined || !YAML.isMap(group.value)) continue;
      for (const pair of group.value.items) {
        const key = scalarText(pair.key);
        if (key !== undefined && YAML.isMap(pair.value)) {
          entries.push(entryOf(`${queue}/${key}`, key, pair.value, queue));
        }
      }
    }
  }
  return entries;
}

function entryOf(resourceName: string, key: string, node: YAML.YAMLMap, queue: string | undefined): PreviousEntry {
  const value = node.toJSON() as Record<string, unknown>;
  const text = (field: string) => (typeof value[field] === "string" ? (value[field] as string) : undefined);
  const texts = (field: string) =>
    Array.isArray(value[field]) && value[field].every((v) => typeof v === "string")
      ? (value[field] as string[])
      : undefined;
  const filled = new Set<string>();
  for (const pair of node.items) {
    const field = scalarText(pair.key);
    if (field !== undefined && YAML.isScalar(pair.value) && pair.value.comment?.includes(FILLED_MARK))
      filled.add(field);
  }
  return {
    resourceName,
    key,
    name: text("name"),
    queues: queue === undefined ? (texts("queues") ?? []) : [queue],
    division: text("division"),
    code: text("code"),
    category: text("category"),
    mandatory: typeof value.mandatory === "boolean" ? value.mandatory : undefined,
    tags: texts("tags"),
    validFrom: text("validFrom"),
    validThrough: text("validThrough"),
    description: text("description"),
    onConflict: text("onConflict"),
    filled,
    node,
  };
}

function scalarText(node: unknown): string | undefined {
  if (YAML.isScalar(node)) return node.value === null || node.value === undefined ? undefined : String(node.value);
  return typeof node === "string" ? node : undefined;
}

/** Parses a YAML file the export rewrites; a file that is not YAML stops the export before anything is written. */
export function parseYamlFile(text: string, file: string): YAML.Document {
  // The parser's own check of duplicate keys compares every key of a mapping with every other (seconds at 5000
  // codes): the mappings are checked below in one pass each instead.
  const doc = YAML.parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
    throw new CommandError(
      `${file} is not valid YAML${where}: ${e.message.split("\n")[0]}. Fix it, then export again; nothing was written.`,
    );
  }
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = scalarText(pair.key);
        if (key !== undefined && seen.has(key)) {
          throw new CommandError(
            `${file}: the key "${key}" appears twice in one mapping. Fix it, then export again; nothing was written.`,
          );
        }
        if (key !== undefined) seen.add(key);
      }
    },
  });
  return doc;
}

/** The WrapUpCodes of a `pulumi stack export` document. */
export function stateCodes(exported: unknown): StateCode[] {
  const deployment = isRecord(exported) ? exported.deployment : undefined;
  const resources = isRecord(deployment) && Array.isArray(deployment.resources) ? deployment.resources : [];
  const codes: StateCode[] = [];
  for (const r of resources) {
    if (!isRecord(r) || r.type !== WRAPUP_TYPE || r.delete === true) continue;
    const urn = typeof r.urn === "string" ? r.urn : "";
    const outputs = isRecord(r.outputs) ? r.outputs : {};
    const id =
      typeof r.id === "string" && r.id !== "" ? r.id : typeof outputs.codeId === "string" ? outputs.codeId : "";
    if (id === "") continue;
    codes.push({ resourceName: urn.split("::").pop() ?? "", id, inputs: isRecord(r.inputs) ? r.inputs : {} });
  }
  return codes;
}
