/**
 * The reviewed catalogue of wrap-up codes (catalogue/wrapup-codes.yaml): reading it and checking it.
 *
 * The catalogue says WHAT the contact centre's codes are, grouped by queue key; the stack config says WHERE
 * (`wrapup-codes:queues` maps each queue key to the queue's id in that organisation). `parseCatalogue` checks the
 * file's shape (types, required and unknown keys, duplicates); `checkCodeValues` checks the values' own rules
 * (characters, lengths, categories, dates) with the provider's rules. Every problem names its entry and field, and
 * all of them are reported at once.
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";
import { DispositionMatrix, validateWrapUpCode } from "pulumi-genesys-wrapup";

/** One wrap-up code of the catalogue, in `WrapUpCode`'s words. */
export interface CatalogueCode {
  /** Queue key (under `queues:`), mapped to a queue id by the stack config. */
  readonly queue: string;
  /** The entry's key in its queue: with the queue key, the code's identity in the stack (`<queue>/<key>`). */
  readonly key: string;
  readonly name: string;
  readonly code: string;
  readonly category: string;
  readonly mandatory?: boolean;
  readonly tags?: string[];
  readonly validFrom?: string;
  readonly validThrough?: string;
  readonly description?: string;
  readonly onConflict?: "fail" | "adopt";
}

/** The BI-sync webhook of the catalogue; declared by the stack only where a callback URL is configured. */
export interface CatalogueWebhook {
  readonly name: string;
  readonly description?: string;
  /** `created`, `updated`, `deleted`. */
  readonly eventTypes?: string[];
  /** Queue keys whose codes' events are sent; absent: every queue's. */
  readonly queues?: string[];
  readonly enabled?: boolean;
}

export interface Catalogue {
  /** Every code, queue by queue, in file order. */
  readonly codes: CatalogueCode[];
  readonly webhook?: CatalogueWebhook;
}

/** The catalogue breaks a rule; the message lists every problem with the path of the entry and field. */
export class CatalogueError extends Error {
  override readonly name = "CatalogueError";
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

/** Queue keys and entry keys: they become part of resource names, so they stay short and plain. */
const KEY = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const KEY_RULE = "keys are 1..63 characters of [a-z0-9_-], starting with a letter or digit";

const CODE_FIELDS = {
  name: "string",
  code: "string",
  category: "string",
  mandatory: "boolean",
  tags: "string[]",
  validFrom: "string",
  validThrough: "string",
  description: "string",
  onConflict: "fail|adopt",
} as const;
const REQUIRED_CODE_FIELDS = ["name", "code", "category"] as const;

const WEBHOOK_FIELDS = {
  name: "string",
  description: "string",
  eventTypes: "string[]",
  queues: "string[]",
  enabled: "boolean",
} as const;

type FieldKind = "string" | "boolean" | "string[]" | "fail|adopt";

/** Reads and checks the catalogue file. */
export function loadCatalogue(file: string, displayName: string = file): Catalogue {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CatalogueError(displayName, [`cannot be read: ${(err as Error).message}`]);
  }
  return parseCatalogue(text, displayName);
}

/** Parses and checks catalogue text; `file` is the name used in messages. */
export function parseCatalogue(text: string, file: string): Catalogue {
  let doc: unknown;
  try {
    // The YAML 1.2 core schema (js-yaml's default): dates stay strings, `no` stays a string, duplicate keys fail.
    doc = yaml.load(text, { filename: file });
  } catch (err) {
    const e = err as Error & { reason?: string; mark?: { line: number; column: number } };
    const where = e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : "";
    throw new CatalogueError(file, [`is not valid YAML: ${e.reason ?? e.message}${where}`]);
  }

  const problems: string[] = [];
  if (!isRecord(doc)) {
    throw new CatalogueError(file, ["must be a mapping with `queues:` (and optionally `webhook:`) at the top"]);
  }
  for (const key of Object.keys(doc)) {
    if (key !== "queues" && key !== "webhook") problems.push(`${key}: unknown top-level key; known: queues, webhook`);
  }

  const codes: CatalogueCode[] = [];
  const queues = doc.queues;
  if (queues === undefined || queues === null) {
    problems.push("queues: is required (a mapping of queue key -> codes)");
  } else if (!isRecord(queues)) {
    problems.push(`queues: must be a mapping of queue key -> codes, got ${describe(queues)}`);
  } else {
    for (const [queue, entries] of Object.entries(queues)) {
      codes.push(...checkQueue(queue, entries, problems));
    }
  }

  let webhook: CatalogueWebhook | undefined;
  if (doc.webhook !== undefined && doc.webhook !== null) {
    webhook = checkWebhook(doc.webhook, isRecord(queues) ? Object.keys(queues) : [], problems);
  }

  if (problems.length > 0) throw new CatalogueError(file, problems);
  return { codes, webhook };
}

function checkQueue(queue: string, entries: unknown, problems: string[]): CatalogueCode[] {
  const at = `queues.${queue}`;
  if (!KEY.test(queue)) problems.push(`${at}: "${queue}" is not a valid queue key; ${KEY_RULE}`);
  if (entries === null || entries === undefined) return [];
  if (!isRecord(entries)) {
    problems.push(`${at}: must be a mapping of code key -> code, got ${describe(entries)}`);
    return [];
  }
  const codes: CatalogueCode[] = [];
  const names = new Map<string, string>();
  for (const [key, entry] of Object.entries(entries)) {
    const where = `${at}.${key}`;
    if (!KEY.test(key)) problems.push(`${where}: "${key}" is not a valid code key; ${KEY_RULE}`);
    if (!isRecord(entry)) {
      problems.push(`${where}: must be a mapping with name, code and category, got ${describe(entry)}`);
      continue;
    }
    const before = problems.length;
    checkFields(where, entry, CODE_FIELDS, problems);
    for (const field of REQUIRED_CODE_FIELDS) {
      if (entry[field] === undefined || entry[field] === null) problems.push(`${where}.${field}: is required`);
    }
    if (problems.length > before) continue;
    // The platform keeps names unique per queue, case-insensitively: two entries would fight over one code.
    const name = (entry.name as string).toLowerCase();
    const clash = names.get(name);
    if (clash !== undefined) {
      problems.push(
        `${where}.name: "${entry.name as string}" is also the name of ${at}.${clash}; names are unique per queue ` +
          "(case-insensitively)",
      );
    }
    names.set(name, key);
    codes.push({ queue, key, ...(entry as Omit<CatalogueCode, "queue" | "key">) });
  }
  return codes;
}

function checkWebhook(webhook: unknown, queueKeys: string[], problems: string[]): CatalogueWebhook | undefined {
  if (!isRecord(webhook)) {
    problems.push(`webhook: must be a mapping with name, eventTypes and queues, got ${describe(webhook)}`);
    return undefined;
  }
  const before = problems.length;
  checkFields("webhook", webhook, WEBHOOK_FIELDS, problems);
  if (webhook.name === undefined || webhook.name === null) problems.push("webhook.name: is required");
  if (Array.isArray(webhook.queues)) {
    webhook.queues.forEach((q, i) => {
      if (typeof q === "string" && !queueKeys.includes(q)) {
        problems.push(`webhook.queues[${i}]: "${q}" is not a queue of this catalogue; known: ${queueKeys.join(", ")}`);
      }
    });
  }
  return problems.length > before ? undefined : (webhook as unknown as CatalogueWebhook);
}

function checkFields(
  where: string,
  entry: Record<string, unknown>,
  fields: Record<string, FieldKind>,
  problems: string[],
): void {
  for (const [field, value] of Object.entries(entry)) {
    const kind = fields[field];
    if (kind === undefined) {
      problems.push(`${where}.${field}: unknown field; known: ${Object.keys(fields).join(", ")}`);
    } else if (value !== null && value !== undefined) {
      const rule = breaks(kind, value);
      if (rule) problems.push(`${where}.${field}: ${rule}`);
    }
  }
}

/** Why `value` is not of `kind`, or undefined when it is. */
function breaks(kind: FieldKind, value: unknown): string | undefined {
  switch (kind) {
    case "string":
      if (typeof value === "string") return undefined;
      // YAML reads `code: 404` as a number and `name: yes` as a boolean; quoting keeps the text.
      return typeof value === "number" || typeof value === "boolean"
        ? `must be text, got the ${typeof value} ${String(value)}; quote it: "${String(value)}"`
        : `must be text, got ${describe(value)}`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${describe(value)}`;
    case "string[]":
      if (!Array.isArray(value)) return `must be a list of text, e.g. [a, b], got ${describe(value)}`;
      return value.every((v) => typeof v === "string")
        ? undefined
        : `must be a list of text; item ${value.findIndex((v) => typeof v !== "string")} is ${describe(value.find((v) => typeof v !== "string"))}`;
    case "fail|adopt":
      return value === "fail" || value === "adopt" ? undefined : `must be "fail" or "adopt", got ${describe(value)}`;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value}"`;
  return `the ${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** RFC 4122-shaped id (8-4-4-4-12 hex), as queue ids are. */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Maps the catalogue's queue keys to queue ids from the stack config value `configKey` (a mapping). Every queue the
 * catalogue (or its webhook) uses needs an id; extra ids are allowed (a stack may configure queues for later).
 */
export function resolveQueueIds(catalogue: Catalogue, queues: unknown, configKey: string): Record<string, string> {
  const used = [...new Set([...catalogue.codes.map((c) => c.queue), ...(catalogue.webhook?.queues ?? [])])];
  const setHint = (queue: string) => `set it with: pulumi config set --path '${configKey}.${queue}' <queue id>`;
  if (queues === undefined || queues === null) {
    if (used.length === 0) return {};
    throw new CatalogueError("stack config", [
      `${configKey}: is not set; it maps each queue key of the catalogue (${used.join(", ")}) to a queue id: ${setHint(used[0])}`,
    ]);
  }
  if (!isRecord(queues)) {
    throw new CatalogueError("stack config", [
      `${configKey}: must be a mapping of queue key -> queue id, got ${describe(queues)}`,
    ]);
  }
  const problems: string[] = [];
  for (const queue of used) {
    const id = queues[queue];
    if (id === undefined || id === null) {
      problems.push(`${configKey}.${queue}: no queue id for queue "${queue}" of the catalogue; ${setHint(queue)}`);
    } else if (typeof id !== "string" || !UUID.test(id)) {
      problems.push(
        `${configKey}.${queue}: ${describe(id)} is not a queue id (a UUID, 8-4-4-4-12 hex); find the id in Admin > Queues or ` +
          `with GET /api/v2/routing/queues?name=<queue name>`,
      );
    }
  }
  if (problems.length > 0) throw new CatalogueError("stack config", problems);
  return Object.fromEntries(used.map((q) => [q, queues[q] as string]));
}

/**
 * Checks every code's values with the provider's own rules (the messages a preview shows, see
 * `validateWrapUpCode`), before any resource is declared: the engine stops a preview at the first resource whose
 * check fails, so without this a catalogue with several broken entries would show one per preview.
 */
export function checkCodeValues(
  catalogue: Catalogue,
  queueIds: Record<string, string>,
  file: string,
  dispositionMatrix: DispositionMatrix,
): void {
  const problems: string[] = [];
  for (const { queue, key, ...args } of catalogue.codes) {
    for (const failure of validateWrapUpCode({ ...args, queueId: queueIds[queue] }, { dispositionMatrix })) {
      problems.push(`queues.${queue}.${key}.${failure.reason}`);
    }
  }
  if (problems.length > 0) throw new CatalogueError(file, problems);
}
