/** What a route handler gets and gives: shared by the /api/v2 routes of both profiles and the admin routes. */
import { Params } from "./router";
import { TokenRecord } from "./model";

export interface ApiContext {
  params: Params;
  query: URLSearchParams;
  token: TokenRecord;
  /** The parsed JSON body; throws the profile's 4xx when it is missing, not JSON (or not sent as JSON). */
  json(): unknown;
}

export interface ApiResult {
  status: number;
  /** Undefined: no body. */
  body?: unknown;
}

export interface ApiRoute {
  /** The scope (tutorial) or permission (platform) the route needs; undefined: any valid token. */
  requires?: string;
  handle(ctx: ApiContext): ApiResult;
}

export interface AdminContext {
  query: URLSearchParams;
  json(): unknown;
}

export type AdminHandler = (ctx: AdminContext) => ApiResult;

export function ok(body?: unknown): ApiResult {
  return { status: 200, body };
}

/** A query parameter; empty counts as absent. */
export function param(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === "" ? undefined : v;
}
