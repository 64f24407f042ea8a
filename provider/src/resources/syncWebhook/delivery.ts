import { createHmac } from "node:crypto";
import got from "got";
import { CodeRecord, StackEvent, eventBody } from "./events";

/** Where and how events go. The secret signs; it never leaves this process otherwise. */
export interface Destination {
  readonly callbackUrl: string;
  readonly secret?: string;
  readonly webhookId: string;
}

/** What became of one event. */
export interface DeliveryOutcome {
  readonly event: StackEvent;
  readonly delivered: boolean;
  /** Why not: the callback's status or the network error. */
  readonly reason?: string;
}

/** Attempts per event within one run (the first and two retries, 0.5 s then 1 s apart); then it waits for a later run. */
const ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;
/** Events of different codes go out side by side; one code's events go in order. */
const PARALLEL = 8;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the tutorial platform's signature scheme. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * POSTs one event, signed, with the tutorial platform's headers (`X-Genesys-Event-Type`, `X-Genesys-Delivery-Id`,
 * `X-Genesys-Signature`), so one receiver serves both profiles. A 2xx is an acknowledgement; anything else is
 * retried briefly, then reported.
 */
export async function deliver(
  destination: Destination,
  event: StackEvent,
  entity: CodeRecord,
): Promise<DeliveryOutcome> {
  const body = JSON.stringify(eventBody(event, entity, destination.webhookId, new Date().toISOString()));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-genesys-event-type": `routing:wrapupcode:${event.type}`,
    "x-genesys-delivery-id": event.id,
    "user-agent": "pulumi-genesys-wrapup (BI sync)",
  };
  if (destination.secret !== undefined) headers["x-genesys-signature"] = signature(destination.secret, body);
  try {
    await got.post(destination.callbackUrl, {
      body,
      headers,
      timeout: { request: TIMEOUT_MS },
      followRedirect: false,
      retry: {
        limit: ATTEMPTS - 1,
        methods: ["POST"],
        // The receiver de-duplicates by delivery id, so a repeated POST is safe.
        statusCodes: [408, 429, 500, 502, 503, 504],
        calculateDelay: ({ attemptCount, computedValue }) => (computedValue === 0 ? 0 : 500 * attemptCount),
      },
    });
    return { event, delivered: true };
  } catch (error) {
    const e = error as { response?: { statusCode: number; statusMessage?: string }; code?: string; message?: string };
    const reason = e.response
      ? `${e.response.statusCode}${e.response.statusMessage ? ` ${e.response.statusMessage}` : ""}`
      : (e.code ?? e.message ?? "error");
    return { event, delivered: false, reason };
  }
}

/**
 * Delivers the events, one code's in order (an event whose predecessor failed waits with it), codes side by side.
 * `entityOf` gives the code as reported for events that do not carry one.
 */
export async function deliverAll(
  destination: Destination,
  events: readonly StackEvent[],
  entityOf: (event: StackEvent) => CodeRecord | undefined,
): Promise<DeliveryOutcome[]> {
  const byKey = new Map<string, StackEvent[]>();
  for (const event of events) byKey.set(event.key, [...(byKey.get(event.key) ?? []), event]);
  const queues = [...byKey.values()];
  const outcomes: DeliveryOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queues.length) {
      const queue = queues[next++];
      let blocked: string | undefined;
      for (const event of queue) {
        const entity = entityOf(event);
        if (blocked !== undefined || entity === undefined) {
          outcomes.push({ event, delivered: false, reason: blocked ?? "the code's record is missing" });
          continue;
        }
        const outcome = await deliver(destination, event, entity);
        outcomes.push(outcome);
        if (!outcome.delivered) blocked = `an earlier event of the code was not delivered (${outcome.reason})`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queues.length) }, worker));
  return outcomes;
}
