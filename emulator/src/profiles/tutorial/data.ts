/** The tutorial profile's state: disposition matrix, codes (one queue each) and webhooks, with their indexes. */
import { byName, Journal, JournalRecord, StoreSection } from "../../store";
import { DispositionMatrix, Webhook, WrapupCode } from "./model";

export type TutorialRecord =
  | { t: "matrix"; v: DispositionMatrix }
  | { t: "code"; v: WrapupCode }
  | { t: "code.del"; id: string }
  | { t: "webhook"; v: Webhook }
  | { t: "webhook.del"; id: string };

export class TutorialData implements StoreSection {
  matrix: DispositionMatrix = {};
  readonly codes = new Map<string, WrapupCode>();
  readonly webhooks = new Map<string, Webhook>();

  /** queueId -> lower-case codeName -> code id */
  private readonly codeNames = new Map<string, Map<string, string>>();
  /** lower-case webhook name -> webhook id */
  private readonly webhookNames = new Map<string, string>();
  private sortedCodesCache: WrapupCode[] | null = null;
  /** queueId -> that queue's codes sorted like sortedCodes(); dropped when the queue's codes change */
  private readonly queueCodesCache = new Map<string, WrapupCode[]>();
  private sortedWebhooksCache: Webhook[] | null = null;

  constructor(private readonly journal: Journal) {}

  apply(rec: JournalRecord): boolean {
    const r = rec as TutorialRecord;
    switch (r.t) {
      case "matrix":
        this.matrix = r.v;
        return true;
      case "code": {
        const old = this.codes.get(r.v.id);
        if (old) {
          this.codeNames.get(old.routingQueue.id)?.delete(old.codeName.toLowerCase());
          this.queueCodesCache.delete(old.routingQueue.id);
        }
        this.queueCodesCache.delete(r.v.routingQueue.id);
        this.codes.set(r.v.id, r.v);
        let names = this.codeNames.get(r.v.routingQueue.id);
        if (!names) this.codeNames.set(r.v.routingQueue.id, (names = new Map()));
        names.set(r.v.codeName.toLowerCase(), r.v.id);
        this.sortedCodesCache = null;
        return true;
      }
      case "code.del": {
        const old = this.codes.get(r.id);
        if (old) {
          this.codeNames.get(old.routingQueue.id)?.delete(old.codeName.toLowerCase());
          this.queueCodesCache.delete(old.routingQueue.id);
          this.codes.delete(r.id);
          this.sortedCodesCache = null;
        }
        return true;
      }
      case "webhook": {
        const old = this.webhooks.get(r.v.id);
        if (old) this.webhookNames.delete(old.name.toLowerCase());
        this.webhooks.set(r.v.id, r.v);
        this.webhookNames.set(r.v.name.toLowerCase(), r.v.id);
        this.sortedWebhooksCache = null;
        return true;
      }
      case "webhook.del": {
        const old = this.webhooks.get(r.id);
        if (old) {
          this.webhookNames.delete(old.name.toLowerCase());
          this.webhooks.delete(r.id);
          this.sortedWebhooksCache = null;
        }
        return true;
      }
      default:
        return false;
    }
  }

  *records(): Generator<TutorialRecord> {
    yield { t: "matrix", v: this.matrix };
    for (const v of this.codes.values()) yield { t: "code", v };
    for (const v of this.webhooks.values()) yield { t: "webhook", v };
  }

  size(): number {
    return 1 + this.codes.size + this.webhooks.size;
  }

  // ---- mutations --------------------------------------------------------------------------

  private commit(rec: TutorialRecord): void {
    this.journal.commit(rec);
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

  sortedWebhooks(): Webhook[] {
    return (this.sortedWebhooksCache ??= [...this.webhooks.values()].sort(byName<Webhook>((w) => w.name)));
  }
}
