/**
 * A minimal BI-side receiver for the events a `SyncWebhook` sends (contract section 8):
 *
 * - verifies `X-Genesys-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the shared secret (timing-safe),
 *   answering 401 when it is missing or wrong; during a rotation it accepts the old and the new secret;
 * - records each delivery once: deliveries are at least once, and a retry carries the same delivery id, so an id
 *   already in the events file is acknowledged (200) without being recorded again, across restarts too;
 * - appends every new event as one JSON line to the events file (the file is also the record of seen ids).
 *
 * Only node's standard library is used: the receiver is meant to be read, copied and adapted.
 *
 * Run it (from the repository root):
 *   BI_SYNC_SECRET=... npx ts-node examples/bi-sync/receiver.ts --port 8787 --file events.jsonl
 * or compile first: npx tsc -p examples/bi-sync && BI_SYNC_SECRET=... node examples/bi-sync/dist/receiver.js ...
 * The secret is read from the environment, not the command line, where other users of the machine could see it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** How to start a receiver. */
export interface ReceiverOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default loopback only. */
  host?: string;
  /** The JSONL file events are appended to (created when missing). */
  file: string;
  /** The shared secret, or several during a rotation (any of them verifies). */
  secret: string | readonly string[];
  /** Bodies larger than this are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
}

/** One line of the events file. */
export interface RecordedEvent {
  /** The delivery id (body `id`, also sent as `X-Genesys-Delivery-Id`). */
  deliveryId: string;
  /** `routing:wrapupcode:created` | `…:updated` | `…:deleted`. */
  eventType: string;
  webhookId: string;
  /** When the platform produced the event. */
  timestamp: string;
  /** When this receiver recorded it. */
  receivedAt: string;
  /** The wrap-up code as the platform's GET returns it. */
  entity: Record<string, unknown>;
}

/** What happened to requests so far, for operators and tests. */
export interface ReceiverCounts {
  recorded: number;
  duplicates: number;
  rejected: number;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:8787`; any path is accepted. */
  readonly url: string;
  readonly port: number;
  counts(): ReceiverCounts;
  /** Stops listening and waits for open requests to finish. */
  close(): Promise<void>;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Whether `header` is a valid signature of `body` under one of `secrets`; compares in constant time. */
export function verifySignature(body: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  const match = header === undefined ? null : SIGNATURE.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1].toLowerCase(), "hex");
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(body).digest();
    // No early exit: every secret is tried, so the timing does not tell which one matched.
    ok = timingSafeEqual(expected, given) || ok;
  }
  return ok;
}

/** The signature header value the platform sends for `body` (for senders and tests). */
export function sign(body: string | Buffer, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

/** Delivery ids already in the events file. A torn last line (crash mid-write) is skipped and later overwritten. */
function loadSeenIds(file: string): Set<string> {
  const seen = new Set<string>();
  if (!fs.existsSync(file)) return seen;
  const text = fs.readFileSync(file, "utf8");
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as Partial<RecordedEvent>;
      if (typeof event.deliveryId === "string") seen.add(event.deliveryId);
    } catch {
      // A partial line from a crash: its delivery was never acknowledged, so the platform sends it again.
    }
  }
  // Make sure the next append starts on a line of its own.
  if (text.length > 0 && !text.endsWith("\n")) fs.appendFileSync(file, "\n");
  return seen;
}

function answer(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Starts a receiver; resolves once it listens. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const secrets = (typeof options.secret === "string" ? [options.secret] : [...options.secret]).filter(Boolean);
  if (secrets.length === 0)
    throw new Error("startReceiver: secret is required (the receiver accepts only signed events)");
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const seen = loadSeenIds(options.file);
  const counts: ReceiverCounts = { recorded: 0, duplicates: 0, rejected: 0 };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void => {
    if (!verifySignature(body, req.headers["x-genesys-signature"] as string | undefined, secrets)) {
      counts.rejected += 1;
      return answer(res, 401, { error: "missing or invalid X-Genesys-Signature" });
    }
    let event: Partial<RecordedEvent> & { id?: unknown };
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch {
      counts.rejected += 1;
      return answer(res, 400, { error: "body is not JSON" });
    }
    // The body is what the signature covers, so its id is authoritative; a header that disagrees is an error.
    const deliveryId = event.id;
    const headerId = req.headers["x-genesys-delivery-id"];
    if (typeof deliveryId !== "string" || deliveryId === "" || (headerId !== undefined && headerId !== deliveryId)) {
      counts.rejected += 1;
      return answer(res, 400, { error: "delivery id missing, or body id and X-Genesys-Delivery-Id differ" });
    }
    if (seen.has(deliveryId)) {
      counts.duplicates += 1;
      return answer(res, 200, { status: "duplicate", deliveryId });
    }
    const line: RecordedEvent = {
      deliveryId,
      eventType: String(event.eventType ?? req.headers["x-genesys-event-type"] ?? ""),
      webhookId: String(event.webhookId ?? ""),
      timestamp: String(event.timestamp ?? ""),
      receivedAt: new Date().toISOString(),
      entity: (event.entity ?? {}) as Record<string, unknown>,
    };
    try {
      // One synchronous append per event: no two requests interleave, and the id is marked seen only once stored.
      fs.appendFileSync(options.file, JSON.stringify(line) + "\n");
    } catch (err) {
      // Not stored: a 5xx makes the platform retry later.
      return answer(res, 500, { error: `could not record the event: ${(err as Error).message}` });
    }
    seen.add(deliveryId);
    counts.recorded += 1;
    answer(res, 200, { status: "recorded", deliveryId });
  };

  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return answer(res, 405, { error: "only POST" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return answer(res, 413, { error: `body larger than ${maxBodyBytes} bytes` });
      handle(req, res, Buffer.concat(chunks));
    });
    req.on("error", () => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** `--port N --file F [--host H]`; secrets from BI_SYNC_SECRET (and BI_SYNC_PREVIOUS_SECRET during a rotation). */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = arg("file") ?? "events.jsonl";
  const secret = [process.env.BI_SYNC_SECRET, process.env.BI_SYNC_PREVIOUS_SECRET].filter(
    (s): s is string => typeof s === "string" && s !== "",
  );
  if (secret.length === 0) {
    process.stderr.write("set BI_SYNC_SECRET to the webhook's secret (the stack's webhookSecret config)\n");
    process.exit(2);
  }
  const receiver = await startReceiver({ port: Number(arg("port") ?? 8787), host: arg("host"), file, secret });
  process.stdout.write(`bi-sync receiver listening on ${receiver.url}, recording to ${file}\n`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
