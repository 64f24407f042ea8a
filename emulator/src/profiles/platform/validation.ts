/**
 * Body and query validation of the platform profile. A WrapupCodeRequest is `{name, description?, division?:
 * {id}}`; every other field is ignored (read-only fields such as `id` or `dateCreated`, and the tutorial's).
 */
import { ErrorDetail, FieldError } from "../../errors";
import { isRecord } from "../../model";
import { ApiError } from "../../errors";
import { PlatformCode as Codes } from "./errors";
import { PlatformDivision, ROUTING_LIMITS } from "./model";

export interface CodeRequest {
  name: string;
  description: string | null;
  /** Undefined: not in the body. */
  divisionId: string | undefined;
}

export type Result<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

/** Length in characters (code points), so that "é" or an emoji counts as one. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A wrap-up code name: any characters, 1..255, not only white space. */
export function nameProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return Codes.required;
  if (typeof v !== "string") return Codes.invalid;
  const n = charLength(v);
  if (n < 1 || n > ROUTING_LIMITS.nameMax || v.trim() === "") return Codes.invalid;
  return undefined;
}

export function validateCodeRequest(
  body: unknown,
  divisions: ReadonlyMap<string, PlatformDivision>,
): Result<CodeRequest> {
  if (!isRecord(body)) {
    return { ok: false, details: [{ errorCode: FieldError.type, fieldName: "(body)" }] };
  }
  const details: ErrorDetail[] = [];
  const namePb = nameProblem(body.name);
  if (namePb) details.push({ errorCode: namePb, fieldName: "name" });

  let description: string | null = null;
  const desc = body.description;
  if (desc !== undefined && desc !== null) {
    if (typeof desc !== "string" || charLength(desc) > ROUTING_LIMITS.descriptionMax)
      details.push({ errorCode: Codes.invalid, fieldName: "description" });
    else description = desc;
  }

  let divisionId: string | undefined;
  const div = body.division;
  if (div !== undefined && div !== null) {
    const id = isRecord(div) ? div.id : undefined;
    if (typeof id !== "string" || !divisions.has(id.toLowerCase()))
      details.push({ errorCode: Codes.invalid, fieldName: "division.id" });
    else divisionId = id.toLowerCase();
  }

  if (details.length > 0) return { ok: false, details };
  return { ok: true, value: { name: body.name as string, description, divisionId } };
}

/** The body of a membership POST: `[{"id": codeId}, …]`, 1..100 entries; the distinct ids in order. */
export function validateMembershipBody(body: unknown): string[] {
  const max = ROUTING_LIMITS.membershipRequestMax;
  if (!Array.isArray(body)) {
    throw new ApiError(400, Codes.badRequest, 'The request body must be a JSON array of {"id": codeId}.', {
      details: [{ errorCode: FieldError.type, fieldName: "(body)" }],
    });
  }
  if (body.length === 0) {
    throw new ApiError(400, Codes.badRequest, "The request body names no wrap-up code; send 1 to 100.");
  }
  if (body.length > max) {
    throw new ApiError(
      400,
      Codes.badRequest,
      `At most ${max} wrap-up codes may be added per request; got ${body.length}.`,
    );
  }
  const details: ErrorDetail[] = [];
  const ids: string[] = [];
  body.forEach((entry: unknown, i) => {
    const id = isRecord(entry) ? entry.id : undefined;
    if (typeof id !== "string" || id === "") details.push({ errorCode: Codes.invalid, fieldName: `[${i}].id` });
    else ids.push(id.toLowerCase());
  });
  if (details.length > 0) {
    throw new ApiError(400, Codes.badRequest, 'Every entry must be {"id": codeId}.', { details });
  }
  return [...new Set(ids)];
}

/** Values of a repeatable query parameter; each may also be a comma-separated list (the JS SDK joins arrays). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return values.length > 0 ? values : undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Code listing `name`: a case-insensitive substring match, `*` matching any run of characters. */
export function substringMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(pattern.toLowerCase().split("*").map(escape).join(".*"), "s");
  return (name) => re.test(name.toLowerCase());
}

/** Queue `name`: case-insensitive, exact unless it starts and/or ends with `*`. */
export function edgeWildcardMatcher(pattern: string, allowLeading = true): (name: string) => boolean {
  let p = pattern.toLowerCase();
  const leading = allowLeading && p.startsWith("*");
  if (leading) p = p.replace(/^\*+/, "");
  const trailing = p.endsWith("*");
  if (trailing) p = p.replace(/\*+$/, "");
  return (name) => {
    const n = name.toLowerCase();
    if (leading && trailing) return n.includes(p);
    if (leading) return n.endsWith(p);
    if (trailing) return n.startsWith(p);
    return n === p;
  };
}
