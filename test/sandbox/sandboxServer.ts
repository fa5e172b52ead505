import { createPublicKey, generateKeyPair, type JsonWebKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { ClientMetadata, Configuration, KoaContextWithOIDC, Middleware, Provider, ResourceServerInfo, TokenPolicy } from 'oidc-provider';
import { API_BASE_PATH, type ApiGateway, API_REQUESTS_PATH, type ApiRequestRecord, createApiGateway, SUBSCRIPTIONS_PATH } from './apiServer';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** Without redirect URIs the client can only use client credentials. */
  redirectUris?: string[];
}

export interface SandboxOptions {
  /**
   * A loopback address; default 127.0.0.1. code-server opens a sign-in page on localhost or 127.0.0.1 through its
   * port proxy (/proxy/<port>/…): the sandbox sends such a visit on to its own address (see sendProxiedVisitsHome).
   */
  host?: string;
  /** 0 or undefined: a random free port. */
  port?: number;
  /** Default '/oauth2/sandbox' (Fortellis issuers look like https://host/oauth2/<id>). */
  issuerPath?: string;
  /** Default: [DEMO_CLIENT]. */
  clients?: SandboxClient[];
  /** Default 3600, as Fortellis. */
  accessTokenTtlSeconds?: number;
  /** Default 60: Fortellis codes must be exchanged within 60 seconds. */
  authorizationCodeTtlSeconds?: number;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:4512/oauth2/sandbox (no trailing slash). */
  issuer: string;
  /** `${issuer}/v1/token` */
  tokenEndpoint: string;
  /** GET: `{ tokenRequests }`, for tests in another process (the extension host). */
  statsUrl: string;
  port: number;
  /** Every POST to the token endpoint, successful or not, and every access token issued (for secret scans). */
  stats(): { tokenRequests: number; issuedAccessTokens: string[] };
  resetStats(): void;
  /** POST: revokeRefreshTokens(), for tests in another process; answers `{ revokedGrants }`. */
  revokeRefreshTokensUrl: string;
  /**
   * Test-only: destroys every grant a refresh token was issued under, and its tokens, so that refreshing gets
   * invalid_grant (as after a revocation or an expiry). Resolves to how many grants it destroyed.
   */
  revokeRefreshTokens(): Promise<number>;
  /** e.g. http://127.0.0.1:4512/api: the Fortellis-like gateway, which checks tokens from this issuer. */
  apiBaseUrl: string;
  /** GET with a sandbox token: `{ subscriptions: [...] }`, as Fortellis' subscriptions API. */
  subscriptionsUrl: string;
  /** GET: the API requests received (a JSON array of ApiRequestRecord, never tokens), for tests in another process. */
  apiRequestsUrl: string;
  /** Every request to the API base, in order. */
  apiRequests(): ApiRequestRecord[];
  resetApiRequests(): void;
  close(): Promise<void>;
}

/** Public, demo-only credentials of the sandbox's default app. */
export const DEMO_CLIENT: SandboxClient = {
  clientId: 'sandbox-demo-key',
  clientSecret: 'sandbox-demo-secret',
  redirectUris: ['http://127.0.0.1:8123/callback'],
};

/**
 * The extension's URI-handler callback, which the sandbox accepts for every app that signs users in, registered or not:
 * - desktop VS Code: `<uriScheme>://fortellis-auth.fortellis-auth/callback` (vscode, vscode-insiders, code-oss, …);
 * - code-server: what asExternalUri maps that to, `http://127.0.0.1:<port>/<commit path>/callback?vscode-reqid=<n>&…`,
 *   whose request id changes with every sign-in, so that no exact URL can be registered (Fortellis would refuse it:
 *   use the loopback mode there).
 */
export function isUriHandlerCallback(redirectUri: string): boolean {
  return isDesktopCallback(redirectUri) || isCodeServerCallback(redirectUri);
}

function isDesktopCallback(redirectUri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/fortellis-auth\.fortellis-auth\/callback$/.test(redirectUri) && !/^https?:/.test(redirectUri);
}

/** code-server's callback for the URI handler (on the loopback address the browser opened code-server on). */
export function isCodeServerCallback(redirectUri: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/[^?#]*\/callback\?vscode-reqid=\d+&vscode-scheme=[\w-]+&vscode-authority=fortellis-auth\.fortellis-auth&vscode-path=%2Fcallback(&|$)/.test(
    redirectUri,
  );
}

/** The only scope Fortellis accepts for client credentials. */
const CLIENT_CREDENTIALS_SCOPE = 'anonymous';
/** Fortellis' access tokens carry aud=api_providers; a resource indicator must be an absolute URI, so the resource is a URN. */
const API_PROVIDERS_RESOURCE = 'urn:fortellis:api_providers';
const API_PROVIDERS_AUDIENCE = 'api_providers';

const ROUTES = {
  authorization: '/v1/authorize',
  token: '/v1/token',
  jwks: '/v1/keys',
  introspection: '/v1/introspect',
  revocation: '/v1/revoke',
  end_session: '/v1/logout',
} as const;

const DAY_SECONDS = 24 * 60 * 60;

/** Messages oidc-provider prints about choices a local test server makes on purpose (and Node 20, which it warns about but runs on). */
const EXPECTED_WARNINGS = ['Unsupported runtime', 'development-only in-memory adapter', 'development-only feature devInteractions'];

/** Outside the issuer path: how many token requests the sandbox has answered, for tests in another process. */
const STATS_PATH = '/__sandbox/stats';
/** Outside the issuer path: POST revokes every refresh token issued so far. */
const REVOKE_REFRESH_TOKENS_PATH = '/__sandbox/revoke-refresh-tokens';

interface Stats {
  tokenRequests: number;
  issuedAccessTokens: string[];
}

/** Starts a Fortellis-like (Okta-style) authorization server on loopback, built on oidc-provider. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const issuerPath = validIssuerPath(options.issuerPath ?? '/oauth2/sandbox');
  const accessTokenTtlSeconds = validTtl(options.accessTokenTtlSeconds ?? 3600);
  const clients = options.clients ?? [DEMO_CLIENT];

  const server = createServer();
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0);
  const origin = `http://${host}:${port}`;
  const issuer = `${origin}${issuerPath}`;
  const stats: Stats = { tokenRequests: 0, issuedAccessTokens: [] };
  let gateway: ApiGateway;
  let revokeRefreshTokens: () => Promise<number>;
  try {
    const key = await signingKey();
    gateway = await createApiGateway(issuer, { keys: [publicKey(key)] });
    const provider = await createProvider(issuer, clients, key, {
      accessToken: accessTokenTtlSeconds,
      authorizationCode: validTtl(options.authorizationCodeTtlSeconds ?? 60),
    });
    // Sandbox-only, for every app that signs users in: the extension's URI-handler callback counts as registered.
    const registered = provider.Client.prototype.redirectUriAllowed;
    provider.Client.prototype.redirectUriAllowed = function (redirectUri) {
      return registered.call(this, redirectUri) || isUriHandlerCallback(redirectUri);
    };
    provider.use(recordTokenTraffic(stats));
    revokeRefreshTokens = refreshTokenRevoker(provider as unknown as RefreshTokenGrants);
    const app = provider.callback();
    const authorizePath = `${issuerPath}${ROUTES.authorization}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET' && req.url === STATS_PATH) {
        // Counts only, never tokens: the extension host's tests read this over HTTP.
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ tokenRequests: stats.tokenRequests }));
        return;
      }
      if (req.method === 'POST' && req.url === REVOKE_REFRESH_TOKENS_PATH) {
        void revokeRefreshTokens().then(
          (revokedGrants) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ revokedGrants })),
          () => res.writeHead(500).end(),
        );
        return;
      }
      if (gateway.handle(req, res)) {
        return;
      }
      if (sendProxiedVisitsHome(req, res, { origin, port, issuerPath })) {
        return;
      }
      req.url = askConsentForOfflineAccess(req.url ?? '/', authorizePath);
      serveUnder(issuerPath, app, req, res);
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  return {
    issuer,
    tokenEndpoint: `${issuer}${ROUTES.token}`,
    statsUrl: `${origin}${STATS_PATH}`,
    port,
    stats: () => ({ tokenRequests: stats.tokenRequests, issuedAccessTokens: [...stats.issuedAccessTokens] }),
    resetStats: () => {
      stats.tokenRequests = 0;
      stats.issuedAccessTokens = [];
    },
    revokeRefreshTokensUrl: `${origin}${REVOKE_REFRESH_TOKENS_PATH}`,
    revokeRefreshTokens,
    apiBaseUrl: `${origin}${API_BASE_PATH}`,
    subscriptionsUrl: `${origin}${SUBSCRIPTIONS_PATH}`,
    apiRequestsUrl: `${origin}${API_REQUESTS_PATH}`,
    apiRequests: () => gateway.requests(),
    resetApiRequests: () => gateway.resetRequests(),
    close: () => closeServer(server),
  };
}

function validIssuerPath(path: string): string {
  if (!/^(\/[\w.~-]+)+$/.test(path)) {
    throw new Error(`issuerPath must look like /oauth2/<id>, without a trailing slash: ${path}`);
  }
  return path;
}

function validTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`accessTokenTtlSeconds must be a positive integer: ${seconds}`);
  }
  return seconds;
}

async function createProvider(
  issuer: string,
  clients: SandboxClient[],
  key: JsonWebKey,
  ttlSeconds: { accessToken: number; authorizationCode: number },
): Promise<Provider> {
  const { Provider, errors } = await withoutExpectedWarnings(() => import('oidc-provider'));

  async function getResourceServerInfo(ctx: KoaContextWithOIDC, resourceIndicator: string): Promise<ResourceServerInfo> {
    if (resourceIndicator !== API_PROVIDERS_RESOURCE) {
      throw new errors.InvalidTarget();
    }
    if (ctx.oidc?.route === 'token' && ctx.oidc.params.grant_type === 'client_credentials') {
      assertClientCredentialsScope(ctx.oidc.params.scope);
    }
    return {
      // Like Okta's scp, tokens from a user's sign-in carry openid and offline_access too.
      scope: `${CLIENT_CREDENTIALS_SCOPE} openid offline_access`,
      audience: API_PROVIDERS_AUDIENCE,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'RS256' } },
    };
  }

  /** Fortellis answers 400 to a client credentials request without scope, and accepts only "anonymous". */
  function assertClientCredentialsScope(scope: string | string[] | undefined): void {
    if (scope === undefined || scope === '') {
      throw new errors.InvalidScope(`scope is required: request scope=${CLIENT_CREDENTIALS_SCOPE}`);
    }
    if (scope !== CLIENT_CREDENTIALS_SCOPE) {
      throw new errors.InvalidScope(`the only valid scope for client credentials is ${CLIENT_CREDENTIALS_SCOPE}`, String(scope));
    }
  }

  const configuration: Configuration = {
    clients: clients.map(clientMetadata),
    clientAuthMethods: ['client_secret_basic'],
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: ROUTES,
    responseTypes: ['code', 'id_token token'],
    // Fortellis does not document PKCE: accept it, never require it.
    pkce: { required: () => false },
    ttl: {
      AccessToken: ttlSeconds.accessToken,
      ClientCredentials: ttlSeconds.accessToken,
      AuthorizationCode: ttlSeconds.authorizationCode,
      IdToken: 3600,
      // Fortellis' refresh token lifetime is not documented: oidc-provider's default.
      RefreshToken: 14 * DAY_SECONDS,
      Grant: 14 * DAY_SECONDS,
      Session: 14 * DAY_SECONDS,
      Interaction: 3600,
    },
    // devInteractions' login page accepts any user name: that name is the account.
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    extraTokenClaims: async (_ctx, token) => ({ cid: token.clientId, scp: token.scope?.split(' ') ?? [] }),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: true },
      introspection: { enabled: true, allowedPolicy: ownTokensOnly },
      revocation: { enabled: true, allowedPolicy: ownTokensOnly },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => API_PROVIDERS_RESOURCE,
        getResourceServerInfo,
      },
      // With userinfo on, oidc-provider gives openid requests an opaque token for userinfo instead of a JWT for api_providers.
      userinfo: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
  };
  return withoutExpectedWarnings(() => new Provider(issuer, configuration));
}

/** A client introspects and revokes its own tokens only (other clients' tokens look inactive). */
const ownTokensOnly: TokenPolicy = async (_ctx, client, token) => token.clientId === client.clientId;

/**
 * Clients with redirect URIs can also sign users in. They are "native" apps (RFC 8252), the only kind
 * oidc-provider lets use implicit with http loopback redirect URIs.
 */
function clientMetadata(client: SandboxClient): ClientMetadata {
  const credentials = {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
  } as const;
  if (!client.redirectUris?.length) {
    return { ...credentials, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
  }
  return {
    ...credentials,
    application_type: 'native',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token', 'implicit'],
    response_types: ['code', 'id_token token'],
    redirect_uris: client.redirectUris,
  };
}

/** A fresh RS256 key pair per start, kept in memory only. */
async function signingKey(): Promise<JsonWebKey> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(16).toString('base64url'), alg: 'RS256', use: 'sig' };
}

/** The public half of the signing key, as the JWKS endpoint publishes it. */
function publicKey(key: JsonWebKey): JsonWebKey {
  const { kid, alg, use } = key;
  return { ...createPublicKey({ key, format: 'jwk' }).export({ format: 'jwk' }), kid, alg, use };
}

/** The part of oidc-provider's Provider (an EventEmitter) that revoking refresh tokens needs; oidc-provider.d.ts leaves it out. */
interface RefreshTokenGrants {
  on(event: 'refresh_token.saved', listener: (token: { readonly grantId: string }) => void): unknown;
  readonly RefreshToken: { revokeByGrantId(grantId: string): Promise<void> };
  readonly Grant: { readonly adapter: { destroy(grantId: string): Promise<void> } };
}

/** Remembers the grant of every refresh token saved; the returned function destroys those grants and their refresh tokens. */
function refreshTokenRevoker(provider: RefreshTokenGrants): () => Promise<number> {
  const grants = new Set<string>();
  provider.on('refresh_token.saved', (token) => grants.add(token.grantId));
  return async () => {
    const revoking = [...grants];
    grants.clear();
    await Promise.all(revoking.map((grantId) => Promise.all([provider.RefreshToken.revokeByGrantId(grantId), provider.Grant.adapter.destroy(grantId)])));
    return revoking.length;
  };
}

/** Counts token endpoint POSTs before oidc-provider handles them, and notes the access tokens it answered with. */
function recordTokenTraffic(stats: Stats): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === ROUTES.token) {
      stats.tokenRequests += 1;
    }
    await next();
    const accessToken = issuedAccessToken(ctx);
    if (accessToken) {
      stats.issuedAccessTokens.push(accessToken);
    }
  };
}

/** From the token endpoint's JSON, or from the redirect's fragment (implicit). */
function issuedAccessToken(ctx: KoaContextWithOIDC): string | undefined {
  const { body } = ctx;
  if (typeof body === 'object' && body !== null && 'access_token' in body && typeof body.access_token === 'string') {
    return body.access_token;
  }
  const location = ctx.response.get('Location');
  const fragment = typeof location === 'string' ? location.split('#')[1] : undefined;
  return fragment ? (new URLSearchParams(fragment).get('access_token') ?? undefined) : undefined;
}

/**
 * Fortellis (Okta) issues a refresh token when the authorize request's scope has offline_access. oidc-provider
 * follows OpenID Connect Core §11 and drops offline_access unless prompt has consent: ask for consent when
 * the request has no prompt.
 */
function askConsentForOfflineAccess(url: string, authorizePath: string): string {
  const parsed = new URL(url, 'http://127.0.0.1');
  const { searchParams } = parsed;
  if (parsed.pathname !== authorizePath || searchParams.has('prompt') || !searchParams.get('scope')?.split(' ').includes('offline_access')) {
    return url;
  }
  searchParams.set('prompt', 'consent');
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * code-server (4.139.1) opens a loopback URL, such as the sign-in page at http://127.0.0.1:4500/oauth2/sandbox/v1/authorize?…,
 * through its port proxy: http://127.0.0.1:<code-server port>/proxy/4500/oauth2/sandbox/v1/authorize?…. The proxy
 * strips its prefix, and oidc-provider's pages link with absolute paths (/oauth2/sandbox/interaction/…) that then
 * miss it. A browser request for the issuer that came through another host (its Host header names code-server's
 * port, not the sandbox's) is sent on to the same path on the sandbox's own address, which that browser reaches
 * directly: code-server on loopback is opened by a browser on the same machine. Returns whether it answered.
 *
 * On the way, code-server's rewrite decodes the URL's query and encodes it again, which splits a redirect_uri that has
 * a query of its own (the URI handler's callback, .../callback?vscode-reqid=1&vscode-scheme=…) into separate
 * parameters: the redirect to the sandbox's own address puts it back together (see repairedAuthorizeQuery).
 */
function sendProxiedVisitsHome(req: IncomingMessage, res: ServerResponse, own: { origin: string; port: number; issuerPath: string }): boolean {
  const url = req.url ?? '/';
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !url.startsWith(`${own.issuerPath}/`)) {
    return false;
  }
  const forwardedHost = String(req.headers['x-forwarded-host'] ?? '')
    .split(',')[0]
    .trim();
  const host = forwardedHost || req.headers.host || '';
  const hostPort = /:(\d+)$/.exec(host)?.[1];
  if (hostPort === undefined || Number(hostPort) === own.port) {
    return false;
  }
  const [path, query] = splitOnce(url, '?');
  const repaired = query === undefined ? url : `${path}?${repairedAuthorizeQuery(query)}`;
  res.writeHead(303, { Location: `${own.origin}${repaired}`, 'Cache-Control': 'no-store' }).end();
  return true;
}

/**
 * An authorize query as code-server's rewrite leaves it, with the URI handler's callback put back into redirect_uri:
 * `redirect_uri=http://127.0.0.1:<port>/<commit>/callback%253Fvscode-reqid=1&vscode-scheme=code-oss&…&vscode-path=%252Fcallback`
 * becomes `redirect_uri=` + the encoded `http://127.0.0.1:<port>/<commit>/callback?vscode-reqid=1&vscode-scheme=code-oss&…&vscode-path=%2Fcallback`.
 * Anything else is left as it came.
 */
export function repairedAuthorizeQuery(query: string): string {
  const parts = query.split('&');
  const at = parts.findIndex((part) => part.startsWith('redirect_uri='));
  if (at < 0) {
    return query;
  }
  const callbackParts = parts.slice(at + 1).filter((part) => part.startsWith('vscode-'));
  const decodeTwice = (text: string) => safeDecode(safeDecode(text));
  const redirectUri = [decodeTwice(parts[at].slice('redirect_uri='.length)), ...callbackParts.map(safeDecode)].join('&');
  if (callbackParts.length === 0 || !isCodeServerCallback(redirectUri)) {
    return query;
  }
  const params = new URLSearchParams(parts.filter((part, index) => index !== at && !callbackParts.includes(part)).join('&'));
  params.set('redirect_uri', redirectUri);
  return params.toString();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Serves the provider under the issuer's path, as oidc-provider's docs mount it in express (req.originalUrl keeps the full path). */
function serveUnder(path: string, app: (req: IncomingMessage, res: ServerResponse) => Promise<void>, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (url !== path && !url.startsWith(`${path}/`) && !url.startsWith(`${path}?`)) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
    return;
  }
  Object.assign(req, { originalUrl: url });
  req.url = url.slice(path.length) || '/';
  void app(req, res);
}

let quietActions = 0;
let consoleWarn = console.warn;

/** Filters EXPECTED_WARNINGS out of console.warn while the action runs (sandboxes may start concurrently). */
async function withoutExpectedWarnings<T>(action: () => T | Promise<T>): Promise<T> {
  if (quietActions++ === 0) {
    consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!EXPECTED_WARNINGS.some((expected) => String(args[0]).includes(expected))) {
        consoleWarn(...args);
      }
    };
  }
  try {
    return await action();
  } finally {
    if (--quietActions === 0) {
      console.warn = consoleWarn;
    }
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
