/** What a failure below HTTP (DNS, TCP, TLS) means, for the messages of token requests and API calls alike. */

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

export interface NetworkFailure {
  /** Node's error code, e.g. ECONNREFUSED. */
  readonly code: string | undefined;
  /** The server's certificate was refused. */
  readonly tls: boolean;
  /** e.g. "the connection was refused (ECONNREFUSED)". */
  readonly what: string;
}

export function networkFailure(error: unknown): NetworkFailure {
  const code = errorCode(error);
  const meaning = (code && NETWORK_ERRORS[code]) ?? 'the request failed';
  return { code, tls: code !== undefined && TLS_ERROR.test(code), what: `${meaning}${code ? ` (${code})` : ''}` };
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
