/**
 * The reviewed catalogue of wrap-up codes (catalogue/wrapup-codes.yaml): reading it and checking it.
 *
 * The catalogue says WHAT the contact centre's codes are: under `codes:` one entry per code with the queue keys it
 * is offered on (a code several queues use is one platform code on several queues), or, in the older shape, under
 * `queues:` grouped by queue key; the stack config says WHERE (`wrapup-codes:queues` maps each queue key to the
 * queue's id in that organisation, `wrapup-codes:divisions` each division key to a division id). `parseCatalogue` checks the
 * file's shape (types, required and unknown keys, duplicates); `checkCodeValues` checks the values' own rules
 * (characters, lengths, categories, dates) with the provider's rules. Every problem names its entry and field, and
 * all of them are reported at once.
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";
import {
  DispositionMatrix,
  findNameClash,
  validateWrapUpCode,
  type ApiProfileName,
  type WrapUpCodeArgs,
} from "pulumi-genesys-wrapup";

/** One wrap-up code of the catalogue, in `WrapUpCode`'s words. */
export interface CatalogueCode {
  /** The code's identity in the stack: `<key>` under `codes:`, `<queue>/<key>` under `queues:`. Keep it stable. */
  readonly resourceName: string;
  /** Where the entry is in the file (`codes.<key>` or `queues.<queue>.<key>`), for messages. */
  readonly path: string;
  /** Queue keys, mapped to queue ids by the stack config (`wrapup-codes:queues`). */
  readonly queues: string[];
  /** Division key, mapped to a division id by the stack config (`wrapup-codes:divisions`). */
  readonly division?: string;
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
  /** Every code: those under `codes:` in file order, then those under `queues:`, queue by queue. */
  readonly codes: CatalogueCode[];
  readonly webhook?: CatalogueWebhook;
}

/** Where names must be unique: the organisation (the platform), or a queue (the tutorial's API). */
export type NameScope = "organisation" | "queue";

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

/** Queue, code and division keys: they become part of resource names, so they stay short and plain. */
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
/** Under `codes:` an entry also names its queues and, optionally, its division. */
const SHARED_CODE_FIELDS = { ...CODE_FIELDS, queues: "string[]", division: "string" } as const;
const REQUIRED_CODE_FIELDS = ["name", "code", "category"] as const;

const WEBHOOK_FIELDS = {
  name: "string",
  description: "string",
  eventTypes: "string[]",
  queues: "string[]",
  enabled: "boolean",
} as const;

type FieldKind = "string" | "boolean" | "string[]" | "fail|adopt";

/** How a catalogue is read. */
export interface CatalogueOptions {
  /** Where names must be unique (default: the organisation, as on the platform). */
  readonly nameScope?: NameScope;
}

/** Reads and checks the catalogue file. */
export function loadCatalogue(file: string, displayName: string = file, options: CatalogueOptions = {}): Catalogue {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CatalogueError(displayName, [`cannot be read: ${(err as Error).message}`]);
  }
  return parseCatalogue(text, displayName, options);
}

/** Parses and checks catalogue text; `file` is the name used in messages. */
export function parseCatalogue(text: string, file: string, options: CatalogueOptions = {}): Catalogue {
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
    throw new CatalogueError(file, ["must be a mapping with `codes:` and/or `queues:` (and optionally `webhook:`)"]);
  }
  for (const key of Object.keys(doc)) {
    if (key !== "codes" && key !== "queues" && key !== "webhook") {
      problems.push(`${key}: unknown top-level key; known: codes, queues, webhook`);
    }
  }

  const codes: CatalogueCode[] = [];
  const { codes: shared, queues } = doc;
  if ((shared === undefined || shared === null) && (queues === undefined || queues === null)) {
    problems.push("codes: is required (a mapping of code key -> code with its queues), or the older queues:");
  }
  if (shared !== undefined && shared !== null) {
    if (!isRecord(shared)) problems.push(`codes: must be a mapping of code key -> code, got ${describe(shared)}`);
    else codes.push(...checkSharedCodes(shared, problems));
  }
  const queueKeys = new Set(codes.flatMap((c) => c.queues));
  if (queues !== undefined && queues !== null) {
    if (!isRecord(queues)) {
      problems.push(`queues: must be a mapping of queue key -> codes, got ${describe(queues)}`);
    } else {
      for (const [queue, entries] of Object.entries(queues)) {
        queueKeys.add(queue);
        codes.push(...checkQueue(queue, entries, problems));
      }
    }
  }
  problems.push(...nameClashes(codes, options.nameScope ?? "organisation"));

  let webhook: CatalogueWebhook | undefined;
  if (doc.webhook !== undefined && doc.webhook !== null) {
    webhook = checkWebhook(doc.webhook, [...queueKeys], problems);
  }

  if (problems.length > 0) throw new CatalogueError(file, problems);
  return { codes, webhook };
}

/** `codes:` entries: one platform code each, on the queues it lists. */
function checkSharedCodes(entries: Record<string, unknown>, problems: string[]): CatalogueCode[] {
  const codes: CatalogueCode[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const where = `codes.${key}`;
    if (!KEY.test(key)) problems.push(`${where}: "${key}" is not a valid code key; ${KEY_RULE}`);
    if (!isRecord(entry)) {
      problems.push(`${where}: must be a mapping with name, code, category and queues, got ${describe(entry)}`);
      continue;
    }
    const before = problems.length;
    checkFields(where, entry, SHARED_CODE_FIELDS, problems);
    for (const field of REQUIRED_CODE_FIELDS) {
      if (entry[field] === undefined || entry[field] === null) problems.push(`${where}.${field}: is required`);
    }
    const queues = (entry.queues ?? []) as string[];
    if (Array.isArray(queues)) {
      const seen = new Set<string>();
      queues.forEach((q, i) => {
        if (typeof q !== "string") return;
        if (!KEY.test(q)) problems.push(`${where}.queues[${i}]: "${q}" is not a valid queue key; ${KEY_RULE}`);
        if (seen.has(q)) problems.push(`${where}.queues[${i}]: "${q}" is listed twice`);
        seen.add(q);
      });
    }
    if (typeof entry.division === "string" && !KEY.test(entry.division)) {
      problems.push(`${where}.division: "${entry.division}" is not a valid division key; ${KEY_RULE}`);
    }
    if (problems.length > before) continue;
    const { queues: _queues, division, ...fields } = entry;
    codes.push({
      resourceName: key,
      path: where,
      queues: [...queues],
      ...(division === undefined || division === null ? {} : { division: division as string }),
      ...(fields as Omit<CatalogueCode, "resourceName" | "path" | "queues" | "division">),
    });
  }
  return codes;
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
    codes.push({
      resourceName: `${queue}/${key}`,
      path: where,
      queues: [queue],
      ...(entry as Omit<CatalogueCode, "resourceName" | "path" | "queues">),
    });
  }
  return codes;
}

/**
 * Two entries with one name (case-insensitively) where the platform keeps names unique: in the organisation, or
 * (tutorial) in a queue they share. They would fight over one code; both entries are named.
 */
function nameClashes(codes: readonly CatalogueCode[], scope: NameScope): string[] {
  const problems: string[] = [];
  const seen: CatalogueCode[] = [];
  for (const code of codes) {
    const earlier = findNameClash(seen, code, scope);
    if (earlier) {
      const rule = scope === "organisation" ? "names are unique in the organisation" : "names are unique per queue";
      problems.push(
        `${code.path}.name: "${code.name}" is also the name of ${earlier.path}; ${rule} (case-insensitively)`,
      );
    }
    seen.push(code);
  }
  return problems;
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

/** RFC 4122-shaped id (8-4-4-4-12 hex), as queue and division ids are. */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Maps the catalogue's queue keys to queue ids from the stack config value `configKey` (a mapping). Every queue the
 * catalogue (or its webhook) uses needs an id; extra ids are allowed (a stack may configure queues for later).
 */
export function resolveQueueIds(catalogue: Catalogue, queues: unknown, configKey: string): Record<string, string> {
  const used = [...new Set([...catalogue.codes.flatMap((c) => c.queues), ...(catalogue.webhook?.queues ?? [])])];
  return resolveIds(used, queues, configKey, {
    what: "queue",
    find: "find the id in Admin > Queues or with GET /api/v2/routing/queues?name=<queue name>",
  });
}

/** Maps the catalogue's division keys to division ids from the stack config value `configKey`, as for queues. */
export function resolveDivisionIds(
  catalogue: Catalogue,
  divisions: unknown,
  configKey: string,
): Record<string, string> {
  const used = [...new Set(catalogue.codes.flatMap((c) => (c.division === undefined ? [] : [c.division])))];
  return resolveIds(used, divisions, configKey, {
    what: "division",
    find: "find the id in Admin > Divisions or with GET /api/v2/authorization/divisions?name=<division name>",
  });
}

function resolveIds(
  used: readonly string[],
  configured: unknown,
  configKey: string,
  words: { what: string; find: string },
): Record<string, string> {
  const setHint = (key: string) => `set it with: pulumi config set --path '${configKey}.${key}' <${words.what} id>`;
  if (configured === undefined || configured === null) {
    if (used.length === 0) return {};
    throw new CatalogueError("stack config", [
      `${configKey}: is not set; it maps each ${words.what} key of the catalogue (${used.join(", ")}) to a ` +
        `${words.what} id: ${setHint(used[0])}`,
    ]);
  }
  if (!isRecord(configured)) {
    throw new CatalogueError("stack config", [
      `${configKey}: must be a mapping of ${words.what} key -> ${words.what} id, got ${describe(configured)}`,
    ]);
  }
  const problems: string[] = [];
  for (const key of used) {
    const id = configured[key];
    if (id === undefined || id === null) {
      problems.push(
        `${configKey}.${key}: no ${words.what} id for ${words.what} "${key}" of the catalogue; ${setHint(key)}`,
      );
    } else if (typeof id !== "string" || !UUID.test(id)) {
      problems.push(
        `${configKey}.${key}: ${describe(id)} is not a ${words.what} id (a UUID, 8-4-4-4-12 hex); ${words.find}`,
      );
    }
  }
  if (problems.length > 0) throw new CatalogueError("stack config", problems);
  return Object.fromEntries(used.map((q) => [q, configured[q] as string]));
}

/** The arguments of the code's `WrapUpCode`: the catalogue entry with its queue and division keys resolved. */
export function codeArgs(
  code: CatalogueCode,
  queueIds: Record<string, string>,
  divisionIds: Record<string, string> = {},
): WrapUpCodeArgs {
  const { resourceName: _name, path: _path, queues, division, ...fields } = code;
  return {
    ...fields,
    queueIds: queues.map((q) => queueIds[q]),
    ...(division === undefined ? {} : { divisionId: divisionIds[division] }),
  };
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
  options: { divisionIds?: Record<string, string>; apiProfile?: ApiProfileName } = {},
): void {
  const problems: string[] = [];
  for (const code of catalogue.codes) {
    const args = codeArgs(code, queueIds, options.divisionIds);
    for (const failure of validateWrapUpCode(args, { dispositionMatrix, apiProfile: options.apiProfile })) {
      problems.push(`${code.path}.${failure.reason}`);
    }
  }
  if (problems.length > 0) throw new CatalogueError(file, problems);
}
