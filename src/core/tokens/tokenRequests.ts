/**
 * OAuth 2.0 token requests to a Fortellis (Okta-style) authorization server.
 * node-fetch goes through Node's http/https modules, where VS Code applies the user's proxy settings.
 */
import { transportProblem } from '../http/urlPolicy';
import { tokenEndpoint } from '../profiles/environments';
import { fetchWithLimits, type HttpAnswer, HttpRequestError, headerValue } from '../http/limitedFetch';
import type { TokensCallback } from '../signIn/signInCallback';
import { TokenRequestError } from './tokenErrors';
import { networkFailure } from '../http/networkFailures';
import { printable } from '../text/printable';
import { isB64Token, type IssuedToken } from './token';
import { messageOf } from '../text/errorMessage';

export interface ClientCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface TokenRequestOptions {
  readonly timeoutMs: number;
  /** Attempts in all, for failures worth retrying (502, 503, 504, 429, a reset connection). 1 = no retry. */
  readonly maxAttempts: number;
  /** The proxy VS Code is configured with, named in messages when the server cannot be reached. */
  readonly proxy?: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (message: string) => void;
}

/** The only scope Fortellis accepts for client credentials; a request without one gets 400. */
export const CLIENT_CREDENTIALS_SCOPE = 'anonymous';

/** The scope Fortellis expects on a refresh request. */
const REFRESH_SCOPE = 'offline_access';

/** A token response is a few KB; anything far larger is not a token response. */
const MAX_RESPONSE_BYTES = 256 * 1024;
/** Longest wait between attempts: beyond it, the failure is reported instead. */
const MAX_RETRY_WAIT_MS = 10_000;
const FIRST_RETRY_WAIT_MS = 500;

export function requestClientCredentialsToken(issuer: string, credentials: ClientCredentials, options: TokenRequestOptions): Promise<IssuedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: CLIENT_CREDENTIALS_SCOPE });
  return requestToken(tokenEndpoint(issuer), credentials, form, options);
}

export interface AuthorizationCodeGrant {
  readonly code: string;
  /** The redirect_uri of the authorize request, exactly. */
  readonly redirectUri: string;
  /** The PKCE verifier, when the authorize request had a code challenge. */
  readonly codeVerifier?: string;
}

/** Exchanges a sign-in's code. Never retried: a code works once, and a retry after a lost response would fail anyway. */
export function requestAuthorizationCodeToken(
  issuer: string,
  credentials: ClientCredentials,
  grant: AuthorizationCodeGrant,
  options: TokenRequestOptions,
): Promise<IssuedToken> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri });
  if (grant.codeVerifier !== undefined) {
    form.set('code_verifier', grant.codeVerifier);
  }
  return requestToken(tokenEndpoint(issuer), credentials, form, { ...options, maxAttempts: 1 });
}

/**
 * Renews a signed-in user's token. The server may send a new refresh token, which replaces the old one
 * (RFC 6749 §6); when it does not, the old one stays valid and is returned with the new token.
 */
export async function requestRefreshToken(
  issuer: string,
  credentials: ClientCredentials,
  refreshToken: string,
  options: TokenRequestOptions,
): Promise<IssuedToken> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: REFRESH_SCOPE });
  const token = await requestToken(tokenEndpoint(issuer), credentials, form, options);
  return token.refreshToken ? token : { ...token, refreshToken };
}

/** The tokens of an implicit sign-in, checked like a token response; their lifetime counts from `receivedAt`. */
export function issuedTokenFromCallback(issuer: string, tokens: TokensCallback, receivedAt: number): IssuedToken {
  const expiresIn = tokens.expiresIn !== undefined && /^\d+$/.test(tokens.expiresIn) ? Number(tokens.expiresIn) : tokens.expiresIn;
  const response = {
    access_token: tokens.accessToken,
    id_token: tokens.idToken,
    token_type: tokens.tokenType,
    scope: tokens.scope,
    expires_in: expiresIn,
  };
  return issuedToken(new URL(issuer).host, response, receivedAt);
}

/**
 * The Basic header of RFC 6749 §2.3.1: key and secret are form-urlencoded, then joined as key:secret
 * (key first), then base64-encoded.
 */
export function basicAuthorization({ apiKey, apiSecret }: ClientCredentials): string {
  return `Basic ${Buffer.from(`${formEncode(apiKey)}:${formEncode(apiSecret)}`).toString('base64')}`;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export async function requestToken(
  endpoint: string,
  credentials: ClientCredentials,
  form: URLSearchParams,
  options: TokenRequestOptions,
): Promise<IssuedToken> {
  const url = secureEndpoint(endpoint);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestOnce(url, credentials, form, options);
    } catch (error) {
      const wait = retryWait(error, attempt, options.maxAttempts);
      if (wait === undefined) {
        throw error;
      }
      options.onRetry?.(`${(error as Error).message} Trying again in ${Math.ceil(wait / 1000)} s (attempt ${attempt + 1} of ${options.maxAttempts}).`);
      await sleep(wait);
    }
  }
}

function secureEndpoint(endpoint: string): URL {
  const url = new URL(endpoint);
  const insecure = transportProblem(url, 'send your API secret');
  if (insecure) {
    throw new TokenRequestError('insecure-endpoint', insecure);
  }
  return url;
}

function retryWait(error: unknown, attempt: number, maxAttempts: number): number | undefined {
  if (!(error instanceof TokenRequestError) || !error.retryable || attempt >= maxAttempts) {
    return undefined;
  }
  const backoff = FIRST_RETRY_WAIT_MS * 2 ** (attempt - 1);
  const wait = error.details.retryAfterSeconds !== undefined ? error.details.retryAfterSeconds * 1000 : backoff;
  return wait <= MAX_RETRY_WAIT_MS ? wait : undefined;
}

async function requestOnce(url: URL, credentials: ClientCredentials, form: URLSearchParams, options: TokenRequestOptions): Promise<IssuedToken> {
  let answer: HttpAnswer;
  try {
    // fetchWithLimits follows no redirect: following one would send the credentials on to wherever it points.
    answer = await fetchWithLimits(
      url,
      {
        method: 'POST',
        headers: {
          Authorization: basicAuthorization(credentials),
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
      },
      { timeoutMs: options.timeoutMs, proxy: options.proxy, maxBodyBytes: MAX_RESPONSE_BYTES },
    );
  } catch (error) {
    throw transportError(error);
  }
  if (answer.truncated) {
    throw new TokenRequestError(
      'malformed-response',
      `${url.host} sent a response larger than ${MAX_RESPONSE_BYTES / 1024} KB: that is not a token response. Check the issuer URL.`,
    );
  }
  const headers = { get: (name: string) => headerValue(answer.headers, name) ?? null };
  // A server that echoes what it received must not put the secret into a message, not even a truncated part of it.
  const body = withoutCredentials(answer.bodyText, credentials);
  return parseTokenResponse(url.host, answer.status, headers, body, (options.now ?? Date.now)(), form.get('grant_type') ?? undefined);
}

/** The body with the secret removed in every form it was sent in (raw, form-encoded, URI-encoded, in the Basic header). */
function withoutCredentials(body: string, credentials: ClientCredentials): string {
  const forms = [
    credentials.apiSecret,
    formEncode(credentials.apiSecret),
    encodeURIComponent(credentials.apiSecret),
    basicAuthorization(credentials).slice('Basic '.length),
  ];
  return forms.filter((form) => form.length >= 8).reduce((text, form) => text.split(form).join('[redacted]'), body);
}

/** A failure below HTTP, as fetchWithLimits worded it; a reset connection is worth another attempt. */
function transportError(error: unknown): TokenRequestError {
  if (!(error instanceof HttpRequestError)) {
    return new TokenRequestError('unreachable', messageOf(error));
  }
  const kind = error.kind === 'timeout' || error.kind === 'tls' || error.kind === 'proxy' ? error.kind : 'unreachable';
  return new TokenRequestError(kind, error.message, { retryable: networkFailure(error.cause).code === 'ECONNRESET' });
}

interface OAuthErrorBody {
  readonly error?: unknown;
  readonly error_description?: unknown;
}

/**
 * Turns an HTTP answer from a token endpoint into a token, or into the error that explains it.
 * `grantType` (the request's grant_type) makes an invalid_grant message specific.
 */
export function parseTokenResponse(
  host: string,
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  receivedAt: number,
  grantType?: string,
): IssuedToken {
  if (status >= 300 && status < 400) {
    const target = safeHost(headers.get('location'));
    throw new TokenRequestError(
      'redirect',
      `${host} redirected the token request${target ? ` to ${target}` : ''}. A token endpoint does not redirect: check the issuer URL (https, exact host and /oauth2/<id> path).`,
      { status },
    );
  }
  if (status === 407) {
    throw new TokenRequestError('proxy', 'The proxy asks for authentication (HTTP 407). Set the proxy credentials in VS Code\'s "http.proxy" setting.', {
      status,
    });
  }
  const json = parseJson(body);
  if (status >= 200 && status < 300) {
    if (json === undefined) {
      throw notJson(host, status, body, headers);
    }
    return issuedToken(host, json, receivedAt);
  }
  const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'), receivedAt);
  if (status === 429) {
    throw new TokenRequestError(
      'rate-limited',
      `${host} is rate-limiting token requests (HTTP 429)${retryAfterSeconds !== undefined ? `; it asks to wait ${retryAfterSeconds} s` : ''}. Cached tokens are reused; avoid requesting a new token per API call.`,
      { status, retryAfterSeconds, retryable: true },
    );
  }
  if (status >= 500) {
    const retryable = status === 502 || status === 503 || status === 504;
    throw new TokenRequestError(
      'server-error',
      `${host} failed with HTTP ${status}${json === undefined && body.trim().startsWith('<') ? ' (an HTML error page)' : ''}. This is on the server's side: try again in a moment.`,
      { status, retryAfterSeconds, retryable },
    );
  }
  if (json === undefined) {
    if (status === 401) {
      throw invalidCredentials(host, status);
    }
    throw notJson(host, status, body, headers);
  }
  throw oauthError(host, status, json as OAuthErrorBody, grantType);
}

const TOKEN_FIELDS = [
  ['access_token', 'an access token'],
  ['refresh_token', 'a refresh token'],
  ['id_token', 'an ID token'],
] as const;

function issuedToken(host: string, json: unknown, receivedAt: number): IssuedToken {
  const body = json as Record<string, unknown>;
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new TokenRequestError(
      'malformed-response',
      `${host} answered without an access_token. Check that the issuer URL is the Fortellis authorization server.`,
    );
  }
  for (const [field, which] of TOKEN_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && value.length > 0 && !isB64Token(value)) {
      throw new TokenRequestError(
        'malformed-response',
        `${host} sent ${which} with characters a token cannot have (RFC 6750 allows letters, digits, - . _ ~ + / and "=" at the end). No token from this answer was used. Check that the issuer URL is the Fortellis authorization server.`,
      );
    }
  }
  const expiresIn = body.expires_in;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 1) {
    throw new TokenRequestError(
      'malformed-response',
      `${host} sent a token without a valid expires_in (${describe(expiresIn)}), so its expiry is unknown. The token was not used. Check that the issuer URL is the Fortellis authorization server.`,
    );
  }
  const tokenType = typeof body.token_type === 'string' ? body.token_type : 'Bearer';
  return {
    accessToken,
    tokenType,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    receivedAt,
    // Kept finite for any number (1e306 s would overflow in ms); the lifecycle caps the lifetime at 24 h and says so.
    expiresAt: receivedAt + Math.min(expiresIn, Number.MAX_SAFE_INTEGER) * 1000,
    ...optionalString('refreshToken', body.refresh_token),
    ...optionalString('idToken', body.id_token),
  };
}

/** `{ [key]: value }` for a non-empty string, else nothing: absent fields stay absent. */
function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' && value.length > 0 ? ({ [key]: value } as { [P in K]: string }) : {};
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'missing';
  }
  if (typeof value === 'string') {
    return `the string "${printable(value.slice(0, 20))}"`;
  }
  // An object or list is named, never converted: a server's {"toString": …} would throw.
  if (typeof value === 'object' && value !== null) {
    return Array.isArray(value) ? 'a list' : 'an object';
  }
  return String(value);
}

/** What invalid_grant means for each grant type that can get it. */
const INVALID_GRANT_CAUSES: ReadonlyMap<string, string> = new Map([
  ['authorization_code', 'the sign-in code expired (Fortellis codes last 60 seconds) or was already used'],
  ['refresh_token', 'the refresh token expired or was revoked'],
]);

function oauthError(host: string, status: number, body: OAuthErrorBody, grantType: string | undefined): TokenRequestError {
  // Server text: shortened and without control characters wherever it is quoted (a blank code counts as none).
  const code = typeof body.error === 'string' ? printable(body.error) || undefined : undefined;
  const description = typeof body.error_description === 'string' ? ` (${printable(body.error_description)})` : '';
  switch (code) {
    case 'invalid_client':
    case 'unauthorized_client':
      return invalidCredentials(host, status, code);
    case 'invalid_scope':
      return new TokenRequestError(
        'invalid-scope',
        `${host} rejected the requested scope${description}. Client-credentials tokens need scope "anonymous"; for sign-in, check the app's allowed scopes.`,
        { status },
      );
    case 'invalid_grant':
      return new TokenRequestError(
        'invalid-grant',
        `${host} rejected the grant${description}: ${INVALID_GRANT_CAUSES.get(grantType ?? '') ?? 'it expired, was already used or was revoked'}. Sign in again.`,
        { status },
      );
    default:
      if (status === 401) {
        return invalidCredentials(host, status, code);
      }
      return new TokenRequestError(
        'oauth-error',
        code
          ? `${host} refused the token request: ${code}${description}.`
          : `${host} answered HTTP ${status} without an OAuth error code. Check the issuer URL.`,
        { status },
      );
  }
}

function invalidCredentials(host: string, status: number, code = 'HTTP 401'): TokenRequestError {
  return new TokenRequestError(
    'invalid-credentials',
    `${host} rejected the API key or secret (${code}). Re-enter them from the app's page on Fortellis: the key goes first, then the secret.`,
    { status },
  );
}

function notJson(host: string, status: number, body: string, headers: { get(name: string): string | null }): TokenRequestError {
  const type = headers.get('content-type') ?? 'no content type';
  const looksHtml = /^\s*</.test(body) || type.includes('html');
  const what = body.trim().length === 0 ? 'an empty body' : looksHtml ? 'an HTML page' : `a body that is not JSON (${type.split(';')[0]})`;
  return new TokenRequestError(
    'not-json',
    `${host} answered HTTP ${status} with ${what} instead of a JSON token response. The issuer URL is probably not a Fortellis authorization server: it ends with /oauth2/<id>, without /v1/token.`,
    { status },
  );
}

function parseJson(body: string): unknown {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function safeHost(location: string | null): string | undefined {
  if (!location) {
    return undefined;
  }
  try {
    return new URL(location).host;
  } catch {
    return undefined;
  }
}
