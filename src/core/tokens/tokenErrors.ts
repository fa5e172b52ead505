/** Why a token request failed, in terms a developer can act on; and each way the token lifecycle refuses one. */
import type { Profile } from '../profiles/profiles';
import { messageOf } from '../text/errorMessage';

export type TokenErrorKind =
  | 'invalid-credentials' // 401 / invalid_client: wrong key or secret
  | 'invalid-scope'
  | 'invalid-grant' // an authorization code or refresh token that is expired, used or revoked
  | 'oauth-error' // any other OAuth error the server named
  | 'insecure-endpoint' // plain http to a host that is not loopback
  | 'unreachable'
  | 'timeout'
  | 'proxy'
  | 'tls'
  | 'redirect'
  | 'rate-limited'
  | 'server-error'
  | 'not-json'
  | 'malformed-response';

export class TokenRequestError extends Error {
  constructor(
    readonly kind: TokenErrorKind,
    message: string,
    readonly details: {
      readonly status?: number;
      /** Seconds the server asked us to wait (Retry-After). */
      readonly retryAfterSeconds?: number;
      /** The same request may succeed shortly: a transient gateway failure, a rate limit, a reset connection. */
      readonly retryable?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }

  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
}

/** A profile's API secret is not in the store (new window after sign-out, profile from settings sync). */
export class MissingSecretError extends Error {
  constructor(readonly profile: Profile) {
    super(`No API secret is stored for profile "${profile.name}". Enter it to get a token.`);
    this.name = 'MissingSecretError';
  }
}

/** The profile changed while a sign-in waited: its code and secret are not sent anywhere. */
export class SignInProfileChangedError extends Error {
  constructor(name: string, what: string) {
    super(`Profile "${name}" ${what} while the sign-in waited, so the sign-in was stopped and nothing was sent. Sign in again.`);
    this.name = 'SignInProfileChangedError';
  }
}

/** An edit changed the profile's issuer or API key: the secret, entered for the old ones only, is not moved. */
export class CredentialsNotMovableError extends Error {
  constructor(name: string) {
    super(`The issuer or API key of "${name}" changed: enter the API secret for the new one.`);
    this.name = 'CredentialsNotMovableError';
  }
}

/** The settings name another issuer for the profile than the request was for: nothing is sent. */
export class IssuerChangedError extends Error {
  constructor(name: string) {
    super(`The issuer of "${name}" changed: nothing was sent. Try again.`);
    this.name = 'IssuerChangedError';
  }
}

/** The profile (or its browser user) was signed out while its token was requested: the answer is not kept. */
export class SignedOutDuringRequestError extends Error {
  constructor(name: string, subject: 'app' | 'user') {
    super(
      subject === 'app'
        ? `Profile "${name}" was signed out while its token was requested: the token was dropped.`
        : `The browser user of "${name}" was signed out while the token was renewed: the new token was dropped.`,
    );
    this.name = 'SignedOutDuringRequestError';
  }
}

/** The window is closing: no request is started and no renewal waited for. */
export class WindowClosingError extends Error {
  constructor(consequence: string) {
    super(`The window is closing: ${consequence}`);
    this.name = 'WindowClosingError';
  }
}

/** How a failure reads in the log: a token request's kind and status first. */
export function describeFailure(error: unknown): string {
  if (error instanceof TokenRequestError) {
    return `[${error.kind}${error.details.status ? ` ${error.details.status}` : ''}] ${error.message}`;
  }
  return messageOf(error);
}
