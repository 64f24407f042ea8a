/**
 * The platform profile's state: divisions, wrap-up codes (deleted ones kept: deletes are soft) and queue
 * membership (a code is on any number of queues), with the indexes the routes need.
 */
import { byName, Journal, JournalRecord, StoreSection } from "../../store";
import { PlatformCode, PlatformDivision } from "./model";

export type PlatformRecord =
  | { t: "division"; v: PlatformDivision }
  | { t: "wrapupcode"; v: PlatformCode }
  | { t: "members.add"; queueId: string; codeIds: string[] }
  | { t: "members.del"; queueId: string; codeIds: string[] };

const byCodeName = byName<PlatformCode>((c) => c.name);

export class PlatformData implements StoreSection {
  readonly divisions = new Map<string, PlatformDivision>();
  /** Every code, deleted ones included. */
  readonly codes = new Map<string, PlatformCode>();

  /** lower-case name -> id of the active code holding it */
  private readonly activeNames = new Map<string, string>();
  /** queueId -> ids of its (active) codes */
  private readonly members = new Map<string, Set<string>>();
  /** codeId -> ids of the queues it is on */
  private readonly codeQueues = new Map<string, Set<string>>();
  private deletedCount = 0;
  private activeSortedCache: PlatformCode[] | null = null;
  private allSortedCache: PlatformCode[] | null = null;
  private readonly queueCache = new Map<string, PlatformCode[]>();

  constructor(private readonly journal: Journal) {}

  apply(rec: JournalRecord): boolean {
    const r = rec as PlatformRecord;
    switch (r.t) {
      case "division":
        this.divisions.set(r.v.id, r.v);
        return true;
      case "wrapupcode":
        this.applyCode(r.v);
        return true;
      case "members.add":
      case "members.del": {
        let set = this.members.get(r.queueId);
        if (!set) this.members.set(r.queueId, (set = new Set()));
        for (const id of r.codeIds) {
          let queues = this.codeQueues.get(id);
          if (!queues) this.codeQueues.set(id, (queues = new Set()));
          if (r.t === "members.add") {
            set.add(id);
            queues.add(r.queueId);
          } else {
            set.delete(id);
            queues.delete(r.queueId);
          }
        }
        this.queueCache.delete(r.queueId);
        return true;
      }
      default:
        return false;
    }
  }

  private applyCode(v: PlatformCode): void {
    const old = this.codes.get(v.id);
    if (old?.state === "active") this.activeNames.delete(old.name.toLowerCase());
    if (old?.state === "deleted") this.deletedCount--;
    this.codes.set(v.id, v);
    if (v.state === "active") this.activeNames.set(v.name.toLowerCase(), v.id);
    else {
      this.deletedCount++;
      // A deleted code leaves every queue.
      for (const q of this.codeQueues.get(v.id) ?? []) {
        this.members.get(q)?.delete(v.id);
        this.queueCache.delete(q);
      }
      this.codeQueues.delete(v.id);
    }
    for (const q of this.codeQueues.get(v.id) ?? []) this.queueCache.delete(q);
    this.activeSortedCache = null;
    this.allSortedCache = null;
  }

  *records(): Generator<PlatformRecord> {
    for (const v of this.divisions.values()) yield { t: "division", v };
    for (const v of this.codes.values()) yield { t: "wrapupcode", v };
    for (const [queueId, ids] of this.members) if (ids.size > 0) yield { t: "members.add", queueId, codeIds: [...ids] };
  }

  size(): number {
    return this.divisions.size + this.codes.size + this.members.size;
  }

  // ---- mutations --------------------------------------------------------------------------

  commit(recs: PlatformRecord[]): void {
    this.journal.commitMany(recs);
  }

  // ---- queries ----------------------------------------------------------------------------

  homeDivision(): PlatformDivision {
    for (const d of this.divisions.values()) if (d.home) return d;
    throw new Error("the organisation has no home division");
  }

  activeCode(id: string): PlatformCode | undefined {
    const c = this.codes.get(id.toLowerCase());
    return c?.state === "active" ? c : undefined;
  }

  /** The active code whose name equals `name` case-insensitively. */
  findActiveByName(name: string): PlatformCode | undefined {
    const id = this.activeNames.get(name.toLowerCase());
    return id === undefined ? undefined : this.codes.get(id);
  }

  /** Active codes by name (case-insensitive), then id. */
  activeSorted(): PlatformCode[] {
    return (this.activeSortedCache ??= [...this.codes.values()].filter((c) => c.state === "active").sort(byCodeName));
  }

  /** Every code, deleted ones included, by name, then id. */
  allSorted(): PlatformCode[] {
    return (this.allSortedCache ??= [...this.codes.values()].sort(byCodeName));
  }

  hasDeleted(): boolean {
    return this.deletedCount > 0;
  }

  /** The active codes of a queue by name, then id. */
  queueCodes(queueId: string): PlatformCode[] {
    let list = this.queueCache.get(queueId);
    if (!list) {
      list = [...(this.members.get(queueId) ?? [])]
        .map((id) => this.codes.get(id))
        .filter((c): c is PlatformCode => c !== undefined)
        .sort(byCodeName);
      this.queueCache.set(queueId, list);
    }
    return list;
  }

  isMember(queueId: string, codeId: string): boolean {
    return this.members.get(queueId)?.has(codeId) ?? false;
  }

  queueCodeCount(queueId: string): number {
    return this.members.get(queueId)?.size ?? 0;
  }

  /** The queues a code is on. */
  queuesOf(codeId: string): string[] {
    return [...(this.codeQueues.get(codeId) ?? [])];
  }
}
