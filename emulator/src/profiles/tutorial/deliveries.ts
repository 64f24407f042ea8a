/**
 * Webhook delivery: for each matching event a delivery (with its own uuid) is POSTed to the
 * webhook's callbackUrl, asynchronously, and retried with exponential backoff on a non-2xx
 * answer or a network error. Every attempt of one delivery carries the same id and body.
 */
import { createHmac, randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { WebhookRetryConfig } from "../../config";
import { EventType, Webhook } from "./model";
import { CodeView } from "./views";

export interface DeliveryAttempt {
  deliveryId: string;
  webhookId: string;
  eventType: EventType;
  entityId: string;
  attempt: number;
  /** HTTP status of the callback's answer, when there was one. */
  status?: number;
  /** Network error (e.g. `ECONNREFUSED`, `timeout`), when there was no answer. */
  error?: string;
  /** `delivered` (2xx), `retrying` (another attempt is scheduled) or `failed` (attempts exhausted / webhook gone). */
  outcome: "delivered" | "retrying" | "failed";
  time: string;
  durationMs: number;
}

/** The code fields a filter may name (see validation.FILTER_FIELDS). */
function fieldValues(entity: CodeView, field: string): string[] {
  if (field === "routingQueue.id") return entity.routingQueue?.id ? [entity.routingQueue.id] : [];
  const v = (entity as unknown as Record<string, unknown>)[field];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/**
 * Whether a webhook wants an event: it is enabled, lists the event type, and its filters match.
 * Filters on the same field are alternatives (OR); filters on different fields must all match (AND).
 * `exact` compares whole values (ids case-insensitively), `prefix` tests `startsWith`.
 */
export function webhookMatches(w: Webhook, eventType: EventType, entity: CodeView): boolean {
  if (!w.enabled || !w.eventTypes.includes(eventType)) return false;
  if (!w.filters || w.filters.filters.length === 0) return true;
  const byField = new Map<string, string[]>();
  for (const f of w.filters.filters) byField.set(f.field, [...(byField.get(f.field) ?? []), f.value]);
  for (const [field, wanted] of byField) {
    const ci = field === "id" || field === "routingQueue.id";
    const norm = (s: string) => (ci ? s.toLowerCase() : s);
    const actual = fieldValues(entity, field).map(norm);
    const hit = wanted.some((want) =>
      actual.some((a) => (w.filters!.matchType === "prefix" ? a.startsWith(norm(want)) : a === norm(want))),
    );
    if (!hit) return false;
  }
  return true;
}

export function signature(secret: string, rawBody: string): string {
  return "sha256=" + createHmac("sha256", secret).update(rawBody).digest("hex");
}

interface Delivery {
  id: string;
  webhookId: string;
  eventType: EventType;
  entityId: string;
  url: string;
  secret: string | null;
  body: string;
}

const MAX_LOG = 10_000;

export class Dispatcher {
  private readonly log: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<http.ClientRequest>();
  private closed = false;

  constructor(
    private readonly retryConfig: () => WebhookRetryConfig,
    private readonly webhookExists: (id: string) => boolean,
  ) {}

  /** Queues deliveries for every matching webhook; returns their ids. Never blocks on the network. */
  dispatch(eventType: EventType, entity: CodeView, webhooks: Iterable<Webhook>): string[] {
    const ids: string[] = [];
    for (const w of webhooks) {
      if (!webhookMatches(w, eventType, entity)) continue;
      const id = randomUUID();
      const body = JSON.stringify({ id, eventType, timestamp: new Date().toISOString(), webhookId: w.id, entity });
      const d: Delivery = {
        id,
        webhookId: w.id,
        eventType,
        entityId: entity.id,
        url: w.callbackUrl,
        secret: w.secret,
        body,
      };
      ids.push(id);
      this.schedule(d, 1, 0);
    }
    return ids;
  }

  attempts(filter: { webhookId?: string; deliveryId?: string } = {}): DeliveryAttempt[] {
    return this.log.filter(
      (a) =>
        (filter.webhookId === undefined || a.webhookId === filter.webhookId) &&
        (filter.deliveryId === undefined || a.deliveryId === filter.deliveryId),
    );
  }

  clearLog(): void {
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.inflight) r.destroy();
    this.inflight.clear();
  }

  private schedule(d: Delivery, attempt: number, delayMs: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(d, attempt);
    }, delayMs);
    this.timers.add(t);
  }

  private async attempt(d: Delivery, attempt: number): Promise<void> {
    if (this.closed) return;
    const cfg = this.retryConfig();
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    if (!this.webhookExists(d.webhookId)) {
      error = "webhook deleted";
    } else {
      try {
        status = await this.post(d, cfg.timeoutMs);
      } catch (e) {
        error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      }
    }
    if (this.closed) return;
    const ok = status !== undefined && status >= 200 && status < 300;
    const retry = !ok && attempt < cfg.attempts && error !== "webhook deleted";
    this.log.push({
      deliveryId: d.id,
      webhookId: d.webhookId,
      eventType: d.eventType,
      entityId: d.entityId,
      attempt,
      ...(status !== undefined && { status }),
      ...(error !== undefined && { error }),
      outcome: ok ? "delivered" : retry ? "retrying" : "failed",
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    if (retry) this.schedule(d, attempt + 1, cfg.baseDelayMs * 2 ** (attempt - 1));
  }

  private post(d: Delivery, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const url = new URL(d.url);
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(d.body)),
        "User-Agent": "genesys-emulator-webhooks/1",
        "X-Genesys-Event-Type": d.eventType,
        "X-Genesys-Delivery-Id": d.id,
      };
      if (d.secret) headers["X-Genesys-Signature"] = signature(d.secret, d.body);
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(url, { method: "POST", headers, agent: false, timeout: timeoutMs });
      this.inflight.add(req);
      const done = () => this.inflight.delete(req);
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (e) => {
        done();
        reject(e);
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => {
          done();
          resolve(res.statusCode ?? 0);
        });
        res.on("error", (e) => {
          done();
          reject(e);
        });
      });
      req.end(d.body);
    });
  }
}
