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
 *
 * The store holds what both profiles share (clients, queues, tokens, the data dir's profile); each
 * profile keeps its own entities in a {@link StoreSection} whose records go through the same journal.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Client, ProfileName, Queue, TokenRecord } from "./model";

/** A journal line: `t` names the record type. */
export interface JournalRecord {
  t: string;
}

export type SharedRecord =
  | { t: "meta"; version: 1; createdAt: string; profile?: ProfileName }
  | { t: "client"; v: Client }
  | { t: "queue"; v: Queue }
  | { t: "token"; v: TokenRecord };

/** Where a profile's records go and come from. */
export interface Journal {
  /** Writes the record (synchronously), then hands it to the section's `apply`. */
  commit(rec: JournalRecord): void;
  /** Writes the records in one write, then applies them in order. */
  commitMany(recs: JournalRecord[]): void;
}

/** A profile's part of the state. */
export interface StoreSection {
  /** Applies one of its records (replay and commit); false when the type is not its own. */
  apply(rec: JournalRecord): boolean;
  /** Its live state as records (for compaction). */
  records(): Iterable<JournalRecord>;
  /** Number of live records (decides when to compact). */
  size(): number;
}

export const JOURNAL_FILE = "journal.jsonl";
export const LOCK_FILE = "emulator.lock";

const openDirs = new Set<string>();

export type Logger = (msg: string) => void;

export class Store<S extends StoreSection = StoreSection> implements Journal {
  readonly clients = new Map<string, Client>();
  readonly queues = new Map<string, Queue>();
  readonly tokens = new Map<string, TokenRecord>();
  createdAt = new Date().toISOString();
  /** True when the data dir held no usable journal (first start): the caller seeds it. */
  fresh = true;
  /** The profile's part of the state. */
  data!: S;

  private sortedQueuesCache: Queue[] | null = null;
  private fd: number | null = null;
  private journalLines = 0;
  private readonly journalPath: string;
  private readonly lockPath: string;
  private readonly dir: string;

  private constructor(
    dataDir: string,
    readonly profile: ProfileName,
    private readonly log: Logger,
  ) {
    this.dir = path.resolve(dataDir);
    this.journalPath = path.join(this.dir, JOURNAL_FILE);
    this.lockPath = path.join(this.dir, LOCK_FILE);
  }

  /**
   * Opens (creates) a data dir for `profile`. Fails when another emulator uses it, or when it holds the other
   * profile's organisation (a journal without a recorded profile is a tutorial one).
   */
  static open<S extends StoreSection>(
    dataDir: string,
    log: Logger,
    profile: ProfileName,
    section: (journal: Journal) => S,
  ): Store<S> {
    const store = new Store<S>(dataDir, profile, log);
    store.data = section(store);
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
    const r = rec as SharedRecord;
    switch (r.t) {
      case "meta": {
        // Data dirs written before profiles existed are tutorial ones.
        const stored = r.profile ?? "tutorial";
        if (stored !== this.profile) {
          throw new Error(
            `data dir ${this.dir} holds a ${stored}-profile organisation; start it with --profile ${stored}, ` +
              `or give --profile ${this.profile} a new data dir`,
          );
        }
        this.fresh = false;
        this.createdAt = r.createdAt;
        return;
      }
      case "client":
        this.clients.set(r.v.clientId, r.v);
        return;
      case "queue":
        this.queues.set(r.v.id, r.v);
        this.sortedQueuesCache = null;
        return;
      case "token":
        this.tokens.set(r.v.hash, r.v);
        return;
    }
    if (!this.data.apply(rec)) this.log(`journal: ignoring record of unknown type ${String(rec.t)}`);
  }

  commit(rec: JournalRecord): void {
    this.commitMany([rec]);
  }

  commitMany(recs: JournalRecord[]): void {
    if (this.fd === null) throw new Error("store is closed");
    if (recs.length === 0) return;
    writeAll(this.fd, recs.map((r) => JSON.stringify(r) + "\n").join(""));
    this.journalLines += recs.length;
    for (const rec of recs) this.apply(rec);
    const live = this.clients.size + this.queues.size + this.tokens.size + this.data.size() + 1;
    if (this.journalLines > 20_000 && this.journalLines > 4 * live) this.compact();
  }

  private *liveRecords(): Generator<JournalRecord> {
    yield* this.sharedRecords();
    yield* this.data.records();
  }

  private *sharedRecords(): Generator<SharedRecord> {
    yield { t: "meta", version: 1, createdAt: this.createdAt, profile: this.profile };
    for (const v of this.clients.values()) yield { t: "client", v };
    for (const v of this.queues.values()) yield { t: "queue", v };
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

  // ---- shared mutations and queries ---------------------------------------------------------

  putClient(v: Client): void {
    this.commit(shared({ t: "client", v }));
  }
  putQueue(v: Queue): void {
    this.commit(shared({ t: "queue", v }));
  }
  putQueues(vs: Queue[]): void {
    this.commitMany(vs.map((v) => shared({ t: "queue", v })));
  }
  putToken(v: TokenRecord): void {
    if (this.tokens.size > 10_000) {
      const now = Date.now();
      for (const [h, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(h);
    }
    this.commit(shared({ t: "token", v }));
  }

  /** Queues ordered by name (case-insensitive), then id. */
  sortedQueues(): Queue[] {
    return (this.sortedQueuesCache ??= [...this.queues.values()].sort(byName<Queue>((q) => q.name)));
  }
}

function shared(rec: SharedRecord): JournalRecord {
  return rec;
}

/** A comparator by a name (case-insensitive), then id. */
export function byName<T extends { id: string }>(key: (x: T) => string) {
  return (a: T, b: T) => {
    const ka = key(a).toLowerCase();
    const kb = key(b).toLowerCase();
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
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
