import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { type AuthorizeRequest, buildAuthorizeRequest, type SignInResponseType } from '../../src/core/signIn/authorizeRequest';
import { checkIdToken } from '../../src/core/signIn/idToken';
import { type LoopbackCallback, LoopbackCallbackError, type LoopbackFailure, startLoopbackCallback } from '../../src/core/signIn/loopbackCallbackServer';
import { type AcceptedCallback, parseSignInCallback } from '../../src/core/signIn/signInCallback';
import {
  type ClientCredentials,
  issuedTokenFromCallback,
  requestAuthorizationCodeToken,
  requestRefreshToken,
  type TokenRequestOptions,
} from '../../src/core/tokens/tokenRequests';
import { type TokenErrorKind, TokenRequestError } from '../../src/core/tokens/tokenErrors';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';
import { load, loadCallback, postForm, SignInBrowser } from './helpers/signInBrowser';
import { freePort } from './helpers/freePort';

const credentials: ClientCredentials = { apiKey: 'sign-in-key', apiSecret: 'sign-in-secret' };
const options: TokenRequestOptions = { timeoutMs: 2000, maxAttempts: 3, sleep: async () => undefined };
const WAIT_MS = 5000;
const CODE_TTL_SECONDS = 2;

async function listenOn(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

async function assertRejects(promise: Promise<unknown>, reason: LoopbackFailure, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LoopbackCallbackError, String(error));
    assert.equal(error.reason, reason);
    assert.match(error.message, message);
    return true;
  });
}

async function assertTokenError(promise: Promise<unknown>, kind: TokenErrorKind, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TokenRequestError, String(error));
    assert.equal(error.kind, kind);
    assert.match(error.message, message);
    return true;
  });
}

/** Settles with 'pending' when the callback has not settled within a few event-loop turns. */
function stateOf(callback: Promise<AcceptedCallback>): Promise<AcceptedCallback | 'pending'> {
  return Promise.race([callback, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);
}

describe('browser sign-in against the sandbox, with the loopback callback server', function () {
  let sandbox: Sandbox;
  let port: number;
  let ipRedirectUri: string;
  let localhostRedirectUri: string;
  let loopback: LoopbackCallback | undefined;

  before(async () => {
    port = await freePort();
    ipRedirectUri = `http://127.0.0.1:${port}/callback`;
    localhostRedirectUri = `http://localhost:${port}/callback`;
    sandbox = await startSandbox({
      clients: [{ clientId: credentials.apiKey, clientSecret: credentials.apiSecret, redirectUris: [ipRedirectUri, localhostRedirectUri] }],
      // Short, so that a late exchange can be tested; the others exchange within milliseconds.
      authorizationCodeTtlSeconds: CODE_TTL_SECONDS,
    });
  });
  after(() => sandbox.close());
  afterEach(async () => {
    await loopback?.close();
    loopback = undefined;
  });

  function authorize(responseType: SignInResponseType, scopes: string[], extra: { redirectUri?: string; responseMode?: 'form_post' } = {}): AuthorizeRequest {
    return buildAuthorizeRequest({
      issuer: sandbox.issuer,
      clientId: credentials.apiKey,
      redirectUri: extra.redirectUri ?? ipRedirectUri,
      scopes,
      responseType,
      pkce: true,
      responseMode: extra.responseMode,
    });
  }

  async function listenFor(request: AuthorizeRequest, timeoutMs = WAIT_MS): Promise<LoopbackCallback> {
    loopback = await startLoopbackCallback({ redirectUri: request.redirectUri, timeoutMs, expected: request });
    return loopback;
  }

  /** Runs the code flow up to the loopback server's answer; returns the request and its code. */
  async function signInForCode(scopes = ['openid', 'offline_access']): Promise<{ request: AuthorizeRequest; code: string }> {
    const request = authorize('code', scopes);
    const { callback } = await listenFor(request);
    const page = await loadCallback(await new SignInBrowser().signIn(request.url, request.redirectUri));
    assert.equal(page.status, 200);
    assert.match(page.text, /Signed in to Fortellis\. You can close this tab and return to VS Code\./);
    const result = await callback;
    assert.ok(result.kind === 'code', result.kind);
    return { request, code: result.code };
  }

  it('the sandbox names itself in the callback (iss); a sign-in that went to another issuer refuses that callback', async () => {
    const request = authorize('code', ['openid']);
    const landing = await new SignInBrowser().signIn(request.url, request.redirectUri);
    assert.ok(landing.kind === 'redirect', landing.kind);
    const landed = landing.url;
    assert.equal(landed.searchParams.get('iss'), sandbox.issuer);
    assert.equal(parseSignInCallback(landed, request).kind, 'code');
    const mixedUp = parseSignInCallback(landed, { ...request, issuer: 'https://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7' });
    assert.equal(mixedUp.kind === 'error' && mixedUp.error, 'issuer_mismatch');
  });

  it('signs in with code + PKCE, exchanges the code, checks the nonce, and refreshes with offline_access', async () => {
    const { request, code } = await signInForCode();
    const exchange = { code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier };
    const token = await requestAuthorizationCodeToken(sandbox.issuer, credentials, exchange, options);
    assert.equal(token.tokenType, 'Bearer');
    assert.equal(token.expiresAt - token.receivedAt, 3600_000);
    assert.ok(token.idToken && token.refreshToken, 'an id_token and a refresh_token');

    const claims = checkIdToken(token.idToken, { issuer: sandbox.issuer, clientId: credentials.apiKey, nonce: request.nonce, now: Date.now() });
    assert.equal(claims.sub, 'alice');
    assert.throws(
      () => checkIdToken(token.idToken ?? '', { issuer: sandbox.issuer, clientId: credentials.apiKey, nonce: 'another-sign-in', now: Date.now() }),
      /nonce/,
    );

    const refreshed = await requestRefreshToken(sandbox.issuer, credentials, token.refreshToken, options);
    assert.ok(refreshed.accessToken !== token.accessToken, 'a new access token');
    assert.ok(refreshed.refreshToken === token.refreshToken, 'the refresh token stays (the sandbox does not rotate it yet)');
    assert.equal(refreshed.scope, 'offline_access');
    assert.equal(refreshed.expiresAt - refreshed.receivedAt, 3600_000);
  });

  it("reports a code exchanged too late (Fortellis codes live 60 s; this sandbox's 2 s) as an expired sign-in code", async () => {
    const { request, code } = await signInForCode(['openid']);
    await new Promise((resolve) => setTimeout(resolve, (CODE_TTL_SECONDS + 1) * 1000));
    await assertTokenError(
      requestAuthorizationCodeToken(sandbox.issuer, credentials, { code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier }, options),
      'invalid-grant',
      /the sign-in code expired \(Fortellis codes last 60 seconds\) or was already used\. Sign in again\./,
    );
  });

  it('frees the port once the callback is answered: the next request to it is refused', async () => {
    await signInForCode(['openid']);
    await loopback?.close();
    await assert.rejects(load(ipRedirectUri), /fetch failed/);
    (await listenOn(port)).close();
  });

  it('refuses a code with the wrong PKCE verifier, and a code exchanged twice, as invalid-grant that says why', async () => {
    const first = await signInForCode(['openid']);
    await assertTokenError(
      requestAuthorizationCodeToken(sandbox.issuer, credentials, { code: first.code, redirectUri: ipRedirectUri, codeVerifier: 'x'.repeat(43) }, options),
      'invalid-grant',
      /the sign-in code expired \(Fortellis codes last 60 seconds\) or was already used\. Sign in again\./,
    );

    const { request, code } = await signInForCode();
    const exchange = { code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier };
    const token = await requestAuthorizationCodeToken(sandbox.issuer, credentials, exchange, options);
    sandbox.resetStats();
    await assertTokenError(requestAuthorizationCodeToken(sandbox.issuer, credentials, exchange, options), 'invalid-grant', /already used\. Sign in again\./);
    assert.equal(sandbox.stats().tokenRequests, 1, 'not retried');

    // oidc-provider revokes what a replayed code had issued (RFC 6749 §4.1.2).
    await assertTokenError(
      requestRefreshToken(sandbox.issuer, credentials, token.refreshToken ?? '', options),
      'invalid-grant',
      /the refresh token expired or was revoked\. Sign in again\./,
    );
  });

  it('signs in with the implicit flow (id_token token) through the loopback page that posts the fragment back', async () => {
    const request = authorize('id_token token', ['openid'], { redirectUri: localhostRedirectUri });
    assert.equal(request.codeVerifier, undefined);
    const { callback } = await listenFor(request);
    const landing = await new SignInBrowser().signIn(request.url, request.redirectUri);
    assert.ok(landing.kind === 'redirect' && landing.url.search === '' && landing.url.hash.length > 1, 'the tokens are in the fragment');

    const relay = await load(landing.url.href.split('#')[0]);
    assert.equal(relay.status, 200);
    assert.match(relay.text, /location\.hash\.slice\(1\)/);
    assert.match(relay.text, /history\.replaceState/);
    assert.match(relay.text, /<form id="relay" method="post" action="\/callback">/);
    assert.equal(await stateOf(callback), 'pending', 'the page alone ends nothing');

    const page = await postForm(new URL('/callback', landing.url).href, new URLSearchParams(landing.url.hash.slice(1)));
    assert.match(page.text, /Signed in to Fortellis/);
    const result = await callback;
    assert.ok(result.kind === 'tokens', result.kind);
    const token = issuedTokenFromCallback(sandbox.issuer, result, Date.now());
    assert.equal(token.expiresAt - token.receivedAt, 3600_000);
    assert.ok(token.idToken);
    assert.equal(checkIdToken(token.idToken, { issuer: sandbox.issuer, clientId: credentials.apiKey, nonce: request.nonce, now: Date.now() }).sub, 'alice');
    assert.ok(sandbox.stats().issuedAccessTokens.includes(token.accessToken), 'the access token the sandbox issued');
  });

  it('accepts the implicit flow with response_mode=form_post, posted straight to the callback', async () => {
    const request = authorize('id_token token', ['openid'], { responseMode: 'form_post' });
    const { callback } = await listenFor(request);
    const landing = await new SignInBrowser().signIn(request.url, request.redirectUri);
    assert.equal(landing.kind, 'form-post');
    assert.match((await loadCallback(landing)).text, /Signed in to Fortellis/);
    assert.equal((await callback).kind, 'tokens');
  });

  it('ends the wait with access_denied when the user cancels on the sign-in page', async () => {
    const request = authorize('code', ['openid']);
    const { callback } = await listenFor(request);
    const page = await loadCallback(await new SignInBrowser().signIn(request.url, request.redirectUri, { cancel: true }));
    assert.match(page.text, /Fortellis sign-in failed/);
    assert.match(page.text, /declined on the Fortellis page \(End-User aborted interaction\)/);
    assert.deepEqual(await callback, { kind: 'error', error: 'access_denied', description: 'End-User aborted interaction' });
  });

  it('ignores a forged state, other paths (the trailing slash counts) and other methods, and keeps waiting', async () => {
    const request = authorize('code', ['openid']);
    const { callback } = await listenFor(request);
    const forged = await load(`${ipRedirectUri}?code=stolen&state=forged`);
    assert.equal(forged.status, 400);
    assert.match(forged.text, /stale, repeated or not from VS Code, so it was ignored/);
    assert.equal((await load(`${ipRedirectUri}/?code=c&state=${request.state}`)).status, 404);
    assert.equal((await load(`http://127.0.0.1:${port}/favicon.ico`)).status, 404);
    assert.equal((await fetch(ipRedirectUri, { method: 'PUT' })).status, 405);
    assert.equal((await fetch(ipRedirectUri, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status, 415);
    assert.equal((await postForm(ipRedirectUri, new URLSearchParams({ state: request.state, code: 'c'.repeat(70_000) }))).status, 413);
    assert.equal(await stateOf(callback), 'pending');

    const page = await loadCallback(await new SignInBrowser().signIn(request.url, request.redirectUri));
    assert.match(page.text, /Signed in to Fortellis/);
    assert.equal((await callback).kind, 'code');
  });

  it('escapes what the callback carries in its pages', async () => {
    const request = authorize('code', ['openid']);
    const { callback } = await listenFor(request);
    const page = await load(`${ipRedirectUri}?error=x&error_description=${encodeURIComponent('<script>alert(1)</script>')}&state=${request.state}`);
    assert.ok(!page.text.includes('<script>alert'), 'no markup from the callback');
    assert.match(page.text, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.equal((await callback).kind, 'error');
  });

  it('explains a busy port, naming it and what to do', async () => {
    const busy = await listenOn(port);
    try {
      await assertRejects(
        startLoopbackCallback({ redirectUri: ipRedirectUri, timeoutMs: WAIT_MS, expected: { state: 's', responseType: 'code', issuer: sandbox.issuer } }),
        'port-in-use',
        new RegExp(
          `^Port ${port} is in use by another program: close it, or register a different loopback Callback URL for the app and set it in the profile\\.$`,
        ),
      );
    } finally {
      busy.close();
    }
  });

  it('times out, then frees the port; close() cancels the same way', async () => {
    const request = authorize('code', ['openid']);
    await assertRejects((await listenFor(request, 50)).callback, 'timeout', new RegExp(`No sign-in response reached ${ipRedirectUri} within 1 s`));
    (await listenOn(port)).close();

    const waiting = await listenFor(request);
    await waiting.close();
    await assertRejects(waiting.callback, 'closed', /cancelled/);
    (await listenOn(port)).close();
  });

  it('refuses a Callback URL that is not loopback http', async () => {
    const expected = { state: 's', responseType: 'code', issuer: sandbox.issuer } as const;
    for (const redirectUri of [
      'https://example.com/callback',
      'http://10.0.0.1:8123/callback',
      'https://127.0.0.1:8123/callback',
      'vscode://fortellis-auth.fortellis-auth/callback',
    ]) {
      await assertRejects(
        startLoopbackCallback({ redirectUri, timeoutMs: WAIT_MS, expected }),
        'not-loopback',
        /needs an http:\/\/127\.0\.0\.1:<port>\/<path>/,
      );
    }
    await assertRejects(startLoopbackCallback({ redirectUri: `${ipRedirectUri}?x=1`, timeoutMs: WAIT_MS, expected }), 'not-loopback', /no query string/);
  });
});

describe('token requests of a browser sign-in', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const issuer = () => `${server?.origin}/oauth2/test`;

  it('sends the code exchange once, with Basic auth, the redirect URI and the PKCE verifier', async () => {
    server = await startServer((_req, res) => json(res, 503, { error: 'temporarily_unavailable' }));
    const grant = { code: 'the-code', redirectUri: 'http://127.0.0.1:8123/callback', codeVerifier: 'the-verifier' };
    await assertTokenError(requestAuthorizationCodeToken(issuer(), credentials, grant, options), 'server-error', /HTTP 503/);
    assert.equal(server.requests.length, 1, 'a code is single-use: no retry');
    const [request] = server.requests;
    assert.equal(request.url, '/oauth2/test/v1/token');
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('sign-in-key:sign-in-secret').toString('base64')}`);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'http://127.0.0.1:8123/callback',
      code_verifier: 'the-verifier',
    });
  });

  it('retries a refresh like client credentials, with scope offline_access, and keeps a new refresh token', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 503, {}) : json(res, 200, { access_token: 'at', expires_in: 3600, refresh_token: 'rotated', scope: 'offline_access' }),
    );
    const token = await requestRefreshToken(issuer(), credentials, 'old-refresh', options);
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1].body, 'grant_type=refresh_token&refresh_token=old-refresh&scope=offline_access');
    assert.equal(token.refreshToken, 'rotated');
  });
});
