/** Stored entities shared by both profiles (the shape kept in memory and in the journal). */

/** The API an emulator serves: the public Genesys Cloud Platform API, or the tutorial's API. */
export type ProfileName = "platform" | "tutorial";
export const PROFILE_NAMES: readonly ProfileName[] = ["platform", "tutorial"];

export interface Client {
  clientId: string;
  clientSecret: string;
  /** Tutorial grants (`routing:wrapupcode` …). */
  scopes: string[];
  /** Platform grants (`routing:wrapupCode:add` …); absent in journals written before the platform profile. */
  permissions?: string[];
}

export interface Division {
  id: string;
  name: string;
}

export interface Queue {
  id: string;
  name: string;
  division: Division;
  memberCount: number;
  dateCreated: string;
}

export interface TokenRecord {
  /** sha256 of the access token (the token itself is never stored). */
  hash: string;
  clientId: string;
  scopes: string[];
  /** Absent on tokens issued before the platform profile existed. */
  permissions?: string[];
  expiresAt: number;
}

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
