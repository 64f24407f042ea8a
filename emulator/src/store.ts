/**
 * In-memory state with an append-only JSONL journal in the data dir.
 *
 * - `journal.jsonl`: one JSON record per line. Every mutation is appended (synchronous write)
 *   before the in-memory state changes and before the API answers.
 * - At start the journal is replayed (a torn or unparsable line is skipped with a warning; only
 *   the last line can be torn by a crash) and compacted: the live state is written to
 *   `journal.jsonl.tmp`, fsynced and renamed over the journal (atomic on POSIX file systems).
 * - While running, the journal is compacted again when it holds far more lines than live records.
 * - `emulator.lock` holds the pid of the process using the dir; a second emulator on the same dir fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Client, DispositionMatrix, Queue, TokenRecord, Webhook, WrapupCode } from "./model";

export type JournalRecord =
  | { t: "meta"; version: 1; createdAt: string }
  | { t: "client"; v: Client }
  | { t: "queue"; v: Queue }
  | { t: "matrix"; v: DispositionMatrix }
  | { t: "code"; v: WrapupCode }
  | { t: "code.del"; id: string }
  | { t: "webhook"; v: Webhook }
  | { t: "webhook.del"; id: string }
  | { t: "token"; v: TokenRecord };

export const JOURNAL_FILE = "journal.jsonl";
export const LOCK_FILE = "emulator.lock";

const openDirs = new Set<string>();

export type Logger = (msg: string) => void;

function byName<T extends { id: string }>(key: (x: T) => string) {
  return (a: T, b: T) => {
    const ka = key(a).toLowerCase();
    const kb = key(b).toLowerCase();
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

export class Store {
  readonly clients = new Map<string, Client>();
  readonly queues = new Map<string, Queue>();
  matrix: DispositionMatrix = {};
  readonly codes = new Map<string, WrapupCode>();
  readonly webhooks = new Map<string, Webhook>();
  readonly tokens = new Map<string, TokenRecord>();
  createdAt = new Date().toISOString();
  /** True when the data dir held no usable journal (first start): the caller seeds it. */
  fresh = true;

  /** queueId -> lower-case codeName -> code id */
  private readonly codeNames = new Map<string, Map<string, string>>();
  /** lower-case webhook name -> webhook id */
  private readonly webhookNames = new Map<string, string>();
  private sortedCodesCache: WrapupCode[] | null = null;
  /** queueId -> that queue's codes sorted like sortedCodes(); dropped when the queue's codes change */
  private readonly queueCodesCache = new Map<string, WrapupCode[]>();
  private sortedQueuesCache: Queue[] | null = null;
  private sortedWebhooksCache: Webhook[] | null = null;
  private fd: number | null = null;
  private journalLines = 0;
  private readonly journalPath: string;
  private readonly lockPath: string;
  private readonly dir: string;

  private constructor(
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.dir = path.resolve(dataDir);
    this.journalPath = path.join(this.dir, JOURNAL_FILE);
    this.lockPath = path.join(this.dir, LOCK_FILE);
  }

  static open(dataDir: string, log: Logger): Store {
    const store = new Store(dataDir, log);
    store.lock();
    try {
      store.load();
      if (store.clients.size === 0) store.fresh = true;
      store.compact();
    } catch (e) {
      store.unlock();
      throw e;
    }
    return store;
  }

  // ---- locking ----------------------------------------------------------------------------

  private lock(): void {
    if (openDirs.has(this.dir)) throw new Error(`data dir ${this.dir} is already used by this process`);
    fs.mkdirSync(this.dir, { recursive: true });
    try {
      const pid = Number(fs.readFileSync(this.lockPath, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new Error(`data dir ${this.dir} is in use by another emulator (pid ${pid})`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    fs.writeFileSync(this.lockPath, `${process.pid}\n`);
    openDirs.add(this.dir);
  }

  private unlock(): void {
    openDirs.delete(this.dir);
    try {
      if (fs.readFileSync(this.lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(this.lockPath);
    } catch {
      // already gone
    }
  }

  // ---- journal ----------------------------------------------------------------------------

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.journalPath, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    const lines = text.split("\n");
    let skipped = 0;
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let rec: JournalRecord;
      try {
        rec = JSON.parse(line) as JournalRecord;
      } catch {
        skipped++;
        this.log(`journal: skipping unreadable line ${i + 1}${i >= lines.length - 2 ? " (torn last write)" : ""}`);
        return;
      }
      this.apply(rec);
    });
    if (skipped > 0) this.log(`journal: ${skipped} unreadable line(s) skipped`);
  }

  private apply(rec: JournalRecord): void {
    switch (rec.t) {
      case "meta":
        this.fresh = false;
        this.createdAt = rec.createdAt;
        break;
      case "client":
        this.clients.set(rec.v.clientId, rec.v);
        break;
      case "queue":
        this.queues.set(rec.v.id, rec.v);
        this.sortedQueuesCache = null;
        break;
      case "matrix":
        this.matrix = rec.v;
        break;
      case "code": {
        const old = this.codes.get(rec.v.id);
        if (old) {
          this.codeNames.get(old.routingQueue.id)?.delete(old.codeName.toLowerCase());
          this.queueCodesCache.delete(old.routingQueue.id);
        }
        this.queueCodesCache.delete(rec.v.routingQueue.id);
        this.codes.set(rec.v.id, rec.v);
        let names = this.codeNames.get(rec.v.routingQueue.id);
        if (!names) this.codeNames.set(rec.v.routingQueue.id, (names = new Map()));
        names.set(rec.v.codeName.toLowerCase(), rec.v.id);
        this.sortedCodesCache = null;
        break;
      }
      case "code.del": {
        const old = this.codes.get(rec.id);
        if (old) {
          this.codeNames.get(old.routingQueue.id)?.delete(old.codeName.toLowerCase());
          this.queueCodesCache.delete(old.routingQueue.id);
          this.codes.delete(rec.id);
          this.sortedCodesCache = null;
        }
        break;
      }
      case "webhook": {
        const old = this.webhooks.get(rec.v.id);
        if (old) this.webhookNames.delete(old.name.toLowerCase());
        this.webhooks.set(rec.v.id, rec.v);
        this.webhookNames.set(rec.v.name.toLowerCase(), rec.v.id);
        this.sortedWebhooksCache = null;
        break;
      }
      case "webhook.del": {
        const old = this.webhooks.get(rec.id);
        if (old) {
          this.webhookNames.delete(old.name.toLowerCase());
          this.webhooks.delete(rec.id);
          this.sortedWebhooksCache = null;
        }
        break;
      }
      case "token":
        this.tokens.set(rec.v.hash, rec.v);
        break;
      default:
        this.log(`journal: ignoring record of unknown type ${(rec as { t?: unknown }).t}`);
    }
  }

  /** Writes the record to the journal (synchronously), then applies it to memory. */
  private commit(rec: JournalRecord): void {
    if (this.fd === null) throw new Error("store is closed");
    writeAll(this.fd, JSON.stringify(rec) + "\n");
    this.journalLines++;
    this.apply(rec);
    const live = this.clients.size + this.queues.size + this.codes.size + this.webhooks.size + this.tokens.size + 2;
    if (this.journalLines > 20_000 && this.journalLines > 4 * live) this.compact();
  }

  private *liveRecords(): Generator<JournalRecord> {
    yield { t: "meta", version: 1, createdAt: this.createdAt };
    for (const v of this.clients.values()) yield { t: "client", v };
    for (const v of this.queues.values()) yield { t: "queue", v };
    yield { t: "matrix", v: this.matrix };
    for (const v of this.codes.values()) yield { t: "code", v };
    for (const v of this.webhooks.values()) yield { t: "webhook", v };
    const now = Date.now();
    for (const v of this.tokens.values()) if (v.expiresAt > now) yield { t: "token", v };
  }

  /** Rewrites the journal as the live state (tmp file + fsync + rename). */
  compact(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    const tmp = this.journalPath + ".tmp";
    const fd = fs.openSync(tmp, "w");
    let lines = 0;
    let chunk = "";
    for (const rec of this.liveRecords()) {
      chunk += JSON.stringify(rec) + "\n";
      lines++;
      if (chunk.length > 1 << 20) {
        writeAll(fd, chunk);
        chunk = "";
      }
    }
    writeAll(fd, chunk);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.journalPath);
    try {
      const dfd = fs.openSync(this.dir, "r");
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      // directory fsync is best effort
    }
    this.fd = fs.openSync(this.journalPath, "a");
    this.journalLines = lines;
  }

  close(): void {
    if (this.fd !== null) {
      try {
        fs.fsyncSync(this.fd);
      } catch {
        // ignore
      }
      fs.closeSync(this.fd);
      this.fd = null;
    }
    this.unlock();
  }

  // ---- mutations --------------------------------------------------------------------------

  putClient(v: Client): void {
    this.commit({ t: "client", v });
  }
  putQueue(v: Queue): void {
    this.commit({ t: "queue", v });
  }
  setMatrix(v: DispositionMatrix): void {
    this.commit({ t: "matrix", v });
  }
  putCode(v: WrapupCode): void {
    this.commit({ t: "code", v });
  }
  deleteCode(id: string): void {
    this.commit({ t: "code.del", id });
  }
  putWebhook(v: Webhook): void {
    this.commit({ t: "webhook", v });
  }
  deleteWebhook(id: string): void {
    this.commit({ t: "webhook.del", id });
  }
  putToken(v: TokenRecord): void {
    if (this.tokens.size > 10_000) {
      const now = Date.now();
      for (const [h, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(h);
    }
    this.commit({ t: "token", v });
  }

  // ---- queries ----------------------------------------------------------------------------

  /** The existing code of the queue whose codeName equals `codeName` case-insensitively. */
  findCodeByName(queueId: string, codeName: string): WrapupCode | undefined {
    const id = this.codeNames.get(queueId)?.get(codeName.toLowerCase());
    return id === undefined ? undefined : this.codes.get(id);
  }

  queueCodeCount(queueId: string): number {
    return this.codeNames.get(queueId)?.size ?? 0;
  }

  findWebhookByName(name: string): Webhook | undefined {
    const id = this.webhookNames.get(name.toLowerCase());
    return id === undefined ? undefined : this.webhooks.get(id);
  }

  /** Codes ordered by codeName (case-insensitive), then id. */
  sortedCodes(): WrapupCode[] {
    return (this.sortedCodesCache ??= [...this.codes.values()].sort(byName<WrapupCode>((c) => c.codeName)));
  }

  /** The codes of one queue, ordered like sortedCodes(); cached per queue. */
  codesOfQueue(queueId: string): WrapupCode[] {
    let list = this.queueCodesCache.get(queueId);
    if (!list) {
      const ids = this.codeNames.get(queueId);
      list = ids ? [...ids.values()].map((id) => this.codes.get(id)!).sort(byName<WrapupCode>((c) => c.codeName)) : [];
      this.queueCodesCache.set(queueId, list);
    }
    return list;
  }

  /** Codes whose codeName equals `codeName` case-insensitively, in any queue (index lookups only). */
  codesNamed(codeName: string): WrapupCode[] {
    const key = codeName.toLowerCase();
    const found: WrapupCode[] = [];
    for (const names of this.codeNames.values()) {
      const id = names.get(key);
      if (id !== undefined) found.push(this.codes.get(id)!);
    }
    return found.sort(byName<WrapupCode>((c) => c.codeName));
  }

  sortedQueues(): Queue[] {
    return (this.sortedQueuesCache ??= [...this.queues.values()].sort(byName<Queue>((q) => q.name)));
  }

  sortedWebhooks(): Webhook[] {
    return (this.sortedWebhooksCache ??= [...this.webhooks.values()].sort(byName<Webhook>((w) => w.name)));
  }
}

/** writeSync until every byte is written (a short write would otherwise leave a torn record). */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
