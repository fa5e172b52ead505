/** A token as the extension holds it: what the server issued, and when it expires. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly scope: string | undefined;
  /** Epoch ms when the response arrived: the lifetime counts from here, not from when the request was sent. */
  readonly receivedAt: number;
  readonly expiresAt: number;
  /** Sign-in with offline_access only. */
  readonly refreshToken?: string;
  /** Sign-in with openid only. */
  readonly idToken?: string;
}

/**
 * RFC 6750's b64token, the characters an access, refresh or ID token may hold: letters, digits, - . _ ~ + /, then
 * "=" only at the end. A token outside it is refused where it is accepted: it could carry a line into a .env file
 * or a header.
 */
export function isB64Token(value: string): boolean {
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(value);
}

/** A token with less than this left is not handed out: it could expire on its way to the server. */
export const MIN_USEFUL_LIFETIME_MS = 30_000;

/** A token received more than this far in the future (by this clock) is not trusted. */
const MAX_CLOCK_AHEAD_MS = 60_000;

/** Received while the clock was ahead and since set back: its expiry cannot be trusted, and it is renewed. */
export function stampedInTheFuture(token: Pick<IssuedToken, 'receivedAt'>, now: number): boolean {
  return token.receivedAt > now + MAX_CLOCK_AHEAD_MS;
}

/** Longest lifetime believed: a server's larger expires_in is capped to it (and the cap logged). */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Whether the token can still be handed out: at least 30 s left, or half its lifetime for a token that lives less
 * than a minute (such a token could otherwise never be used).
 */
export function isUsable(token: IssuedToken | undefined, now: number): boolean {
  if (token === undefined) {
    return false;
  }
  if (stampedInTheFuture(token, now)) {
    return false;
  }
  const threshold = Math.min(MIN_USEFUL_LIFETIME_MS, (token.expiresAt - token.receivedAt) / 2);
  return token.expiresAt - now >= threshold && token.expiresAt > now;
}
