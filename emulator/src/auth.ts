/** Access tokens: issued as random strings, stored and looked up as sha256 hashes. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { TokenRecord } from "./model";
import { Store } from "./store";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares secrets in constant time (whatever their lengths). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The live token of an `Authorization: Bearer …` header, if any (unknown, expired or client gone: none). */
export function lookupToken(store: Store, header: string | undefined): TokenRecord | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return undefined;
  const rec = store.tokens.get(hashToken(m[1]));
  if (!rec || rec.expiresAt <= Date.now()) return undefined;
  if (!store.clients.has(rec.clientId)) return undefined;
  return rec;
}
