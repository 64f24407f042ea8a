import type { CodeRecord, StackEvent } from "./events";
import { deliver, type Destination } from "./delivery";

/**
 * Deleted events waiting for their code's delete, in this process.
 *
 * The engine deletes removed resources after every other step, so when a webhook's update sees a code gone from the
 * program, the code still exists on the platform: its `deleted` event waits (in the webhook's state, as pending). The
 * code's own delete, later in the same run and in the same provider process, hands the event over here as soon as
 * the platform has deleted the code, so the BI platform hears of it in that run. The webhook's next update confirms
 * the deletion and delivers the event again under the same id (receivers de-duplicate), since nothing in this
 * process can tell the state that it went out already.
 */
interface Waiting {
  readonly destination: Destination;
  readonly event: StackEvent;
  readonly entity: CodeRecord;
}

const KEY = Symbol.for("pulumi-genesys-wrapup.bi-outbox");
const waiting: Map<string, Waiting[]> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Map()) as Map<
  string,
  Waiting[]
>;

/** Holds a deleted event until the code with `codeId` is deleted in this process. */
export function awaitDelete(codeId: string, destination: Destination, event: StackEvent, entity: CodeRecord): void {
  const key = codeId.toLowerCase();
  waiting.set(key, [...(waiting.get(key) ?? []), { destination, event, entity }]);
}

/** The code is deleted on the platform: delivers what waited for it (failures wait for the webhook's next run). */
export async function codeDeleted(codeId: string): Promise<void> {
  const key = codeId.toLowerCase();
  const events = waiting.get(key) ?? [];
  waiting.delete(key);
  await Promise.all(events.map(({ destination, event, entity }) => deliver(destination, event, entity)));
}
