/** What the last write to an object through this provider was; kept in state as the audit record. */
export interface Audit {
  /** `create`, `adopt` (took over an existing object), or `update`. */
  readonly action: "create" | "adopt" | "update";
  /** When the provider finished the write (ISO 8601). */
  readonly time: string;
  /** The OAuth client that made the write. */
  readonly clientId: string;
  /** The platform's correlation id of the final request: what Genesys support asks for. */
  readonly contextId: string;
  /** HTTP attempts the write took, retries included. */
  readonly attempts: number;
  /** Wall time of the write in milliseconds. */
  readonly latencyMs: number;
}

/** Builds the audit record from a client call's envelope. */
export function audit(
  action: Audit["action"],
  clientId: string,
  call: { contextId?: string; attempts: number; latencyMs: number },
): Audit {
  return {
    action,
    time: new Date().toISOString(),
    clientId,
    contextId: call.contextId ?? "",
    attempts: call.attempts,
    latencyMs: Math.round(call.latencyMs),
  };
}
