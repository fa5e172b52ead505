/** Why a token request failed, in terms a developer can act on. */

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
