/**
 * Process-wide state shared by every client instance: cached tokens and rate limiters.
 *
 * It lives on `globalThis` under a registered Symbol, not in a module-level variable, because the Pulumi dynamic
 * provider host deserialises and re-evaluates provider modules per resource operation; a module-level `let` would
 * start empty each time (one token request and one limiter per resource), an object on `globalThis` survives.
 * The key is versioned so a different release of this library loaded into the same process keeps its own shape.
 */
const SHARED_STATE_KEY = Symbol.for("pulumi-genesys-wrapup.client.shared-state.v1");

/** A named map of process-wide entries. */
export type SharedRegistry = Map<string, unknown>;

interface SharedState {
  readonly registries: Map<string, SharedRegistry>;
}

function sharedState(): SharedState {
  const holder = globalThis as unknown as Record<symbol, SharedState | undefined>;
  let state = holder[SHARED_STATE_KEY];
  if (state === undefined) {
    state = { registries: new Map() };
    // Not enumerable: nothing that walks globalThis (loggers, serialisers) stumbles on cached tokens.
    Object.defineProperty(globalThis, SHARED_STATE_KEY, { value: state, enumerable: false, configurable: true });
  }
  return state;
}

/** The process-wide entry `key` of registry `name`, created by `create` on first use. */
export function sharedEntry<T>(name: string, key: string, create: () => T): T {
  const { registries } = sharedState();
  let registry = registries.get(name);
  if (registry === undefined) {
    registry = new Map();
    registries.set(name, registry);
  }
  if (!registry.has(key)) registry.set(key, create());
  return registry.get(key) as T;
}

/** Forgets every cached token and limiter of this process (tests; a rotated secret). */
export function resetSharedClientState(): void {
  sharedState().registries.clear();
}
