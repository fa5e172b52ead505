import assert from 'node:assert/strict';
import { createHash, createPublicKey, type JsonWebKey, randomBytes, verify } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DEMO_CLIENT, isUriHandlerCallback, repairedAuthorizeQuery, type Sandbox, type SandboxClient, startSandbox } from '../sandbox/sandboxServer';
import { SignInBrowser } from './helpers/signInBrowser';

/** Characters that change meaning when form-decoded: `+` becomes a space, `%41` becomes `A`. */
const SPECIAL_CLIENT: SandboxClient = { clientId: 'special-key', clientSecret: 'plus+percent%41dollar$' };
const REDIRECT_URI = DEMO_CLIENT.redirectUris?.[0] ?? '';
const CLIENT_CREDENTIALS = 'grant_type=client_credentials&scope=anonymous';

type Json = Record<string, unknown>;

/** `Basic base64(id:secret)`, form-urlencoding both first as RFC 6749 §2.3.1 says, unless `raw`. */
function basic({ clientId, clientSecret }: SandboxClient, { raw = false } = {}): string {
  const encode = raw ? (value: string) => value : encodeURIComponent;
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

async function postForm(url: string, authorization: string, body: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function getJson(url: string): Promise<Json> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return (await response.json()) as Json;
}

function accessTokenOf(body: Json): string {
  assert.equal(typeof body.access_token, 'string', 'an access_token');
  return body.access_token as string;
}

function decodeJwt(token: string) {
  const [header, payload, signature] = token.split('.');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Json;
  return { header: decode(header), payload: decode(payload), signingInput: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
}

/** Signs in on the sandbox's pages and returns the URL it redirected to. */
async function signInRedirect(authorizeUrl: string, redirectUri: string): Promise<URL> {
  const landing = await new SignInBrowser().signIn(authorizeUrl, redirectUri);
  assert.ok(landing.kind === 'redirect', 'a redirect to the callback');
  return landing.url;
}

describe('sandbox authorization server', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox({ clients: [DEMO_CLIENT, SPECIAL_CLIENT] });
  });
  after(() => sandbox.close());

  const requestToken = (authorization: string, body = CLIENT_CREDENTIALS) => postForm(sandbox.tokenEndpoint, authorization, body);

  it('answers client credentials like Fortellis: Bearer, 3600 s, scope anonymous, an RS256 JWT for api_providers', async () => {
    const { status, body } = await requestToken(basic(DEMO_CLIENT));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    const { token_type, expires_in, scope } = body;
    assert.deepEqual({ token_type, expires_in, scope }, { token_type: 'Bearer', expires_in: 3600, scope: 'anonymous' });

    const token = accessTokenOf(body);
    assert.equal(token.split('.').length, 3, 'a JWT');
    const { header, payload } = decodeJwt(token);
    assert.equal(header.alg, 'RS256');
    const { aud, iss, sub, cid, scp, iat, exp } = payload;
    assert.deepEqual(
      { aud, iss, sub, cid, scp },
      { aud: 'api_providers', iss: sandbox.issuer, sub: DEMO_CLIENT.clientId, cid: DEMO_CLIENT.clientId, scp: ['anonymous'] },
    );
    assert.equal(Number(exp) - Number(iat), 3600);
  });

  it('signs access tokens with a key published at {issuer}/v1/keys', async () => {
    const { header, signingInput, signature } = decodeJwt(accessTokenOf((await requestToken(basic(DEMO_CLIENT))).body));
    const { keys } = (await getJson(`${sandbox.issuer}/v1/keys`)) as { keys: (JsonWebKey & { kid?: string })[] };
    const jwk = keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, 'the key named by the token is published');
    assert.equal(jwk.d, undefined, 'only the public key is published');
    assert.ok(verify('sha256', Buffer.from(signingInput), createPublicKey({ key: jwk, format: 'jwk' }), signature), 'the signature verifies');
  });

  it('refuses a request without scope with 400, saying scope is required', async () => {
    const { status, body } = await requestToken(basic(DEMO_CLIENT), 'grant_type=client_credentials');
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_scope');
    assert.match(String(body.error_description), /scope is required/);
  });

  it('refuses any scope but anonymous with invalid_scope', async () => {
    for (const scope of ['openid', 'api', 'anonymous openid']) {
      const { status, body } = await requestToken(basic(DEMO_CLIENT), `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`);
      assert.deepEqual({ status, error: body.error }, { status: 400, error: 'invalid_scope' }, scope);
    }
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const { status, body } = await requestToken(basic({ ...DEMO_CLIENT, clientSecret: 'wrong-secret' }));
    assert.deepEqual({ status, error: body.error }, { status: 401, error: 'invalid_client' });
  });

  it('accepts a secret with + % $ only when form-urlencoded before base64 (RFC 6749 §2.3.1)', async () => {
    const encoded = await requestToken(basic(SPECIAL_CLIENT));
    assert.equal(encoded.status, 200);
    const raw = await requestToken(basic(SPECIAL_CLIENT, { raw: true }));
    assert.deepEqual({ status: raw.status, error: raw.body.error }, { status: 401, error: 'invalid_client' });
  });

  it('publishes discovery at {issuer}/.well-known/openid-configuration with Okta-style /v1/ endpoints', async () => {
    const discovery = await getJson(`${sandbox.issuer}/.well-known/openid-configuration`);
    assert.equal(discovery.issuer, sandbox.issuer);
    assert.equal(discovery.token_endpoint, sandbox.tokenEndpoint);
    assert.equal(sandbox.tokenEndpoint, `${sandbox.issuer}/v1/token`);
    assert.equal(discovery.authorization_endpoint, `${sandbox.issuer}/v1/authorize`);
    assert.equal(discovery.jwks_uri, `${sandbox.issuer}/v1/keys`);
    assert.equal(discovery.introspection_endpoint, `${sandbox.issuer}/v1/introspect`);
    assert.equal(discovery.revocation_endpoint, `${sandbox.issuer}/v1/revoke`);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_basic']);
  });

  it('counts every token request and records the access tokens it issued', async () => {
    sandbox.resetStats();
    const token = accessTokenOf((await requestToken(basic(DEMO_CLIENT))).body);
    await requestToken(basic(DEMO_CLIENT), 'grant_type=client_credentials');
    await getJson(`${sandbox.issuer}/.well-known/openid-configuration`);

    const stats = sandbox.stats();
    assert.equal(stats.tokenRequests, 2);
    assert.equal(stats.issuedAccessTokens.length, 1);
    assert.ok(stats.issuedAccessTokens[0] === token, 'the issued token is recorded');
    sandbox.resetStats();
    assert.deepEqual(sandbox.stats(), { tokenRequests: 0, issuedAccessTokens: [] });
  });

  it('signs a user in with authorization code + PKCE; offline_access brings a refresh token', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${sandbox.issuer}/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DEMO_CLIENT.clientId,
      response_type: 'code',
      scope: 'openid offline_access',
      redirect_uri: REDIRECT_URI,
      state: 'state-1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await signInRedirect(authorize.href, REDIRECT_URI);
    assert.equal(callback.searchParams.get('state'), 'state-1');

    const code = callback.searchParams.get('code') ?? '';
    const exchange = `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_verifier=${verifier}`;
    const tokens = await requestToken(basic(DEMO_CLIENT), exchange);
    assert.equal(tokens.status, 200);
    assert.deepEqual(Object.keys(tokens.body).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(decodeJwt(accessTokenOf(tokens.body)).payload.aud, 'api_providers');
    assert.equal(decodeJwt(String(tokens.body.id_token)).payload.sub, 'alice');

    const refreshed = await requestToken(
      basic(DEMO_CLIENT),
      `grant_type=refresh_token&refresh_token=${String(tokens.body.refresh_token)}&scope=offline_access`,
    );
    assert.equal(refreshed.status, 200);
    assert.equal(decodeJwt(accessTokenOf(refreshed.body)).payload.aud, 'api_providers');
  });

  it('returns id_token token in the redirect fragment (implicit) and records that access token', async () => {
    sandbox.resetStats();
    const authorize = new URL(`${sandbox.issuer}/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DEMO_CLIENT.clientId,
      response_type: 'id_token token',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      state: 'state-2',
      nonce: 'nonce-2',
    }).toString();
    const fragment = new URLSearchParams((await signInRedirect(authorize.href, REDIRECT_URI)).hash.slice(1));
    assert.equal(fragment.get('expires_in'), '3600');
    assert.equal(decodeJwt(fragment.get('id_token') ?? '').payload.nonce, 'nonce-2');
    assert.ok(sandbox.stats().issuedAccessTokens[0] === fragment.get('access_token'), 'the access token is recorded');
  });

  /** An authorize request for the demo app with this redirect URI (code flow, PKCE). */
  function authorizeUrl(redirectUri: string): string {
    const authorize = new URL(`${sandbox.issuer}/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DEMO_CLIENT.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      state: 'state-3',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return authorize.href;
  }

  it("signs the demo app in through the URI handler's callback, unregistered: code-server's (a new vscode-reqid each time) and desktop VS Code's", async () => {
    const codeServerCallback = (requestId: number) =>
      `http://127.0.0.1:40123/stable-0123abc/callback?vscode-reqid=${requestId}&vscode-scheme=code-oss&vscode-authority=fortellis-auth.fortellis-auth&vscode-path=%2Fcallback`;
    for (const redirectUri of [
      codeServerCallback(1),
      codeServerCallback(7),
      'vscode://fortellis-auth.fortellis-auth/callback',
      'vscode-insiders://fortellis-auth.fortellis-auth/callback',
    ]) {
      assert.ok(!DEMO_CLIENT.redirectUris?.includes(redirectUri), 'not registered');
      const callback = await signInRedirect(authorizeUrl(redirectUri), redirectUri);
      assert.equal(callback.searchParams.get('state'), 'state-3', redirectUri);
      assert.ok(callback.searchParams.get('code'), `a code for ${redirectUri}`);
      const exchange = `grant_type=authorization_code&code=${callback.searchParams.get('code')}&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${'v'.repeat(43)}`;
      assert.equal((await requestToken(basic(DEMO_CLIENT), exchange)).status, 200, `the code exchange for ${redirectUri}`);
    }
  });

  it("refuses any other unregistered redirect URI, another extension's callback included", async () => {
    for (const redirectUri of [
      'http://127.0.0.1:8123/other',
      'https://example.com/callback',
      'vscode://someone.else/callback',
      'https://fortellis-auth.fortellis-auth/callback',
      'http://127.0.0.1:40123/stable-0123abc/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-authority=someone.else&vscode-path=%2Fcallback',
      'http://example.com:40123/stable-0123abc/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-authority=fortellis-auth.fortellis-auth&vscode-path=%2Fcallback',
    ]) {
      assert.equal(isUriHandlerCallback(redirectUri), false, redirectUri);
      const response = await fetch(authorizeUrl(redirectUri), { redirect: 'manual' });
      assert.equal(response.status, 400, redirectUri);
      assert.match(await response.text(), /invalid_redirect_uri/, redirectUri);
    }
  });

  it("sends a sign-in page visit that came through code-server's port proxy (/proxy/<port>/…) on to its own address, and serves direct visits", async () => {
    const path = new URL(authorizeUrl(REDIRECT_URI)).pathname + new URL(authorizeUrl(REDIRECT_URI)).search;
    // code-server's proxy strips /proxy/<port> and keeps the Host the browser sent: code-server's own.
    const proxied = await rawGet(sandbox.port, path, { Host: '127.0.0.1:40123' });
    assert.equal(proxied.status, 303);
    assert.equal(proxied.location, `http://127.0.0.1:${sandbox.port}${path}`);
    const forwarded = await rawGet(sandbox.port, path, { Host: `127.0.0.1:${sandbox.port}`, 'X-Forwarded-Host': 'localhost:8080' });
    assert.equal(forwarded.location, `http://127.0.0.1:${sandbox.port}${path}`);
    const direct = await rawGet(sandbox.port, path, { Host: `127.0.0.1:${sandbox.port}` });
    assert.equal(direct.status, 303, "oidc-provider's own redirect to its login page");
    assert.match(direct.location ?? '', /^\/oauth2\/sandbox\/interaction\//);
    // Only GETs under the issuer: never a POST (the token endpoint, a login form), nor the API.
    assert.equal(
      (await rawGet(sandbox.port, '/oauth2/sandbox/v1/token', { Host: '127.0.0.1:40123' }, 'POST')).status,
      400,
      'the token endpoint answers itself',
    );
    assert.equal((await rawGet(sandbox.port, '/api/cdk-test/sales/v1/vehicles', { Host: '127.0.0.1:40123' })).status, 401, 'the API answers itself');
  });

  it("puts the URI handler's callback back together after code-server's rewrite split it out of redirect_uri, and leaves other queries alone", () => {
    const callback =
      'http://127.0.0.1:34417/stable-53c2f32/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-authority=fortellis-auth.fortellis-auth&vscode-path=%2Fcallback';
    // As the sandbox received it through code-server 4.139.1's /proxy/4500/ (seen in the demo).
    const rewritten =
      'client_id=sandbox-demo-key&response_type=code&scope=openid%20offline_access&redirect_uri=http://127.0.0.1:34417/stable-53c2f32/callback%253Fvscode-reqid=1&vscode-scheme=code-oss&vscode-authority=fortellis-auth.fortellis-auth&vscode-path=%252Fcallback&state=s1&code_challenge_method=S256';
    const repaired = new URLSearchParams(repairedAuthorizeQuery(rewritten));
    assert.equal(repaired.get('redirect_uri'), callback);
    assert.deepEqual([...repaired.keys()], ['client_id', 'response_type', 'scope', 'state', 'code_challenge_method', 'redirect_uri']);
    assert.equal(repaired.get('scope'), 'openid offline_access');
    const intact = new URLSearchParams({ client_id: 'k', redirect_uri: callback, state: 's1' }).toString();
    assert.equal(repairedAuthorizeQuery(intact), intact);
    const loopback = 'client_id=k&redirect_uri=http://127.0.0.1:8123/callback&state=s1';
    assert.equal(repairedAuthorizeQuery(loopback), loopback);
  });

  it('takes an issuer path and token lifetime, and close() frees the port', async () => {
    const custom = await startSandbox({ issuerPath: '/oauth2/ausCustom', accessTokenTtlSeconds: 120, clients: [SPECIAL_CLIENT] });
    assert.equal(custom.issuer, `http://127.0.0.1:${custom.port}/oauth2/ausCustom`);
    const { body } = await postForm(custom.tokenEndpoint, basic(SPECIAL_CLIENT), CLIENT_CREDENTIALS);
    assert.equal(body.expires_in, 120);
    await custom.close();

    const again = await startSandbox({ port: custom.port });
    assert.equal(again.port, custom.port);
    await again.close();
  });
});

/** A request (GET by default) with exactly these headers (fetch would not send another Host), without following redirects. */
function rawGet(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers, method }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    request.on('error', reject);
    request.end();
  });
}
