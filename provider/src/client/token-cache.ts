import { sharedEntry } from "./shared-state";

/** Tokens are refreshed when less than this much of their life remains (API contract, section 2). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** An OAuth access token and the moment it expires (epoch milliseconds). */
export interface AccessToken {
  readonly value: string;
  readonly expiresAt: number;
  /** The life the server granted (`expires_in`), in milliseconds; it scales the refresh margin when short. */
  readonly lifetimeMs?: number;
}

interface TokenSlot {
  token?: AccessToken;
  inFlight?: Promise<AccessToken>;
}

/**
 * How long before expiry a token is replaced: the contract's 5 minutes, but at most half the token's life. With
 * the platform's day-long tokens that is the 5 minutes; a token granted for 10 minutes or less (an organisation's
 * short token policy, the emulator's `tokenLifetimeSeconds`) would otherwise count as stale the moment it arrives,
 * and every API call would fetch a new one. Half its life still refreshes it well ahead of expiry.
 */
export function refreshMarginMs(token: AccessToken): number {
  return token.lifetimeMs === undefined
    ? TOKEN_REFRESH_MARGIN_MS
    : Math.min(TOKEN_REFRESH_MARGIN_MS, token.lifetimeMs / 2);
}

/** True while the token has more than its refresh margin (or `marginMs`) of life left. */
export function isTokenFresh(token: AccessToken | undefined, now: number, marginMs?: number): boolean {
  return token !== undefined && token.expiresAt - now > (marginMs ?? refreshMarginMs(token));
}

/**
 * The process-wide token for one (authUrl, clientId): every client instance with that pair shares it.
 * At most one token request is in flight; concurrent callers await the same promise. A failed request is not
 * cached, so the next caller tries again.
 */
export class SharedTokenCache {
  readonly #slot: TokenSlot;
  readonly #requestToken: () => Promise<AccessToken>;
  readonly #now: () => number;

  constructor(
    authUrl: string,
    clientId: string,
    requestToken: () => Promise<AccessToken>,
    now: () => number = Date.now,
  ) {
    this.#slot = sharedEntry<TokenSlot>("tokens", `${authUrl}\n${clientId}`, () => ({}));
    this.#requestToken = requestToken;
    this.#now = now;
  }

  /** A usable access token: the cached one while fresh, else the result of the (single) in-flight request. */
  async accessToken(): Promise<string> {
    const slot = this.#slot;
    if (isTokenFresh(slot.token, this.#now())) return slot.token!.value;
    if (slot.inFlight === undefined) {
      const request = this.#requestToken().then((token) => {
        slot.token = token;
        return token;
      });
      slot.inFlight = request;
      // Clear the in-flight marker whatever happens, but only if no newer request replaced it.
      void request.then(
        () => this.#settle(request),
        () => this.#settle(request),
      );
    }
    // The caller that waited for a refresh uses its result even when the server grants less than the margin.
    return (await slot.inFlight).value;
  }

  /** Drops the cached token if it is still `staleValue` (the API answered 401 to it); a newer token is kept. */
  invalidate(staleValue: string): void {
    if (this.#slot.token?.value === staleValue) this.#slot.token = undefined;
  }

  #settle(request: Promise<AccessToken>): void {
    if (this.#slot.inFlight === request) this.#slot.inFlight = undefined;
  }
}
