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

/** Node's error codes for "no route to the server", with what each means. */
const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
};

const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|SSL/;

/** Maps a failure below HTTP (DNS, TCP, TLS, proxy) to a TokenRequestError. */
export function networkError(host: string, error: unknown, proxy: string | undefined): TokenRequestError {
  const code = errorCode(error);
  if (code && TLS_ERROR.test(code)) {
    return new TokenRequestError(
      'tls',
      `The TLS certificate of ${host} was not accepted (${code}). If a corporate proxy inspects TLS, add its CA to your system store; otherwise check the issuer URL.`,
    );
  }
  const what = (code && NETWORK_ERRORS[code]) ?? 'the request failed';
  if (proxy) {
    return new TokenRequestError(
      'proxy',
      `Could not reach ${host} through the proxy ${proxy}: ${what}${code ? ` (${code})` : ''}. Check VS Code's "http.proxy" setting or the HTTPS_PROXY variable.`,
    );
  }
  return new TokenRequestError(
    'unreachable',
    `Could not reach ${host}: ${what}${code ? ` (${code})` : ''}. Check your network and the profile's issuer URL.`,
    { retryable: code === 'ECONNRESET' },
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code === 'string') {
    return code;
  }
  return typeof errno === 'string' ? errno : undefined;
}
