/** HTTP helpers of the server: reading bodies with a size limit, JSON answers, resets and held sockets. */
import * as http from "node:http";
import { Socket } from "node:net";
import { badRequest } from "./errors";

/** Largest request body of the API and the token endpoint. */
export const MAX_API_BODY = 1 << 20;
/** Largest request body of the admin endpoints (seeding thousands of codes at once). */
export const MAX_ADMIN_BODY = 64 << 20;
/** How long a `timeout-*` fault holds a socket before it is destroyed. */
export const TIMEOUT_HOLD_MS = 120_000;

/** The client went away while its request body was being read: nothing to answer. */
export class ClientGone extends Error {}

/** A request body, or the fact that it was over the limit (the rest is drained). */
export type Body = { tooLarge: false; raw: Buffer } | { tooLarge: true; limit: number };

export function readBody(req: http.IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve({ tooLarge: true, limit });
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve({ tooLarge: false, raw: Buffer.concat(chunks) }));
    req.on("error", () => reject(new ClientGone()));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Answers JSON (or no body when `body` is undefined). */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined || status === 204) {
    // 204 must not carry Content-Length (RFC 9110); a bodiless 200 says 0 instead of being chunked.
    if (status === 204) res.writeHead(status);
    else res.writeHead(status, { "Content-Length": 0 });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Parses a JSON body; 400 bad.request when it is empty or not JSON. */
export function parseJson(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  if (text.trim() === "") throw badRequest("The request body is empty; a JSON value is expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}

/** Resets the connection (TCP RST where node supports it). */
export function resetSocket(req: http.IncomingMessage): void {
  const s = req.socket;
  if (typeof s.resetAndDestroy === "function") s.resetAndDestroy();
  else s.destroy();
}

/** Sockets left unanswered by `timeout-*` faults, destroyed after TIMEOUT_HOLD_MS or at shutdown. */
export class HeldSockets {
  private readonly held = new Set<Socket>();

  hold(req: http.IncomingMessage): void {
    const s = req.socket;
    this.held.add(s);
    const t = setTimeout(() => s.destroy(), TIMEOUT_HOLD_MS);
    t.unref();
    s.once("close", () => {
      clearTimeout(t);
      this.held.delete(s);
    });
  }

  destroyAll(): void {
    for (const s of this.held) s.destroy();
    this.held.clear();
  }
}
