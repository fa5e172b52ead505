/** Why a token request failed, in terms a developer can act on. */
import { networkFailure } from './networkFailures';

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

/** Maps a failure below HTTP (DNS, TCP, TLS, proxy) to a TokenRequestError. */
export function networkError(host: string, error: unknown, proxy: string | undefined): TokenRequestError {
  const { code, tls, what } = networkFailure(error);
  if (tls) {
    return new TokenRequestError(
      'tls',
      `The TLS certificate of ${host} was not accepted (${code}). If a corporate proxy inspects TLS, add its CA to your system store; otherwise check the issuer URL.`,
    );
  }
  if (proxy) {
    return new TokenRequestError(
      'proxy',
      `Could not reach ${host} through the proxy ${proxy}: ${what}. Check VS Code's "http.proxy" setting or the HTTPS_PROXY variable.`,
    );
  }
  return new TokenRequestError('unreachable', `Could not reach ${host}: ${what}. Check your network and the profile's issuer URL.`, {
    retryable: code === 'ECONNRESET',
  });
}
