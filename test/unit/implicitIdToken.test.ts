import assert from 'node:assert/strict';
import { buildAuthorizeRequest, type AuthorizeRequest } from '../../src/core/signIn/authorizeRequest';
import { accessTokenHash, ImplicitIdTokenError, verifyImplicitIdToken } from '../../src/core/signIn/implicitIdToken';
import { checkIdToken } from '../../src/core/signIn/idToken';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { SignInBrowser } from './helpers/signInBrowser';

const app = { clientId: 'implicit-key', clientSecret: 'implicit-secret' };
const redirectUri = 'http://127.0.0.1:59871/callback';
const http = { timeoutMs: 3000 };

/** An implicit sign-in (id_token token, form_post) at the real sandbox: the tokens the browser would hand over. */
async function implicitSignIn(sandbox: Sandbox): Promise<{ request: AuthorizeRequest; idToken: string; accessToken: string }> {
  const request = buildAuthorizeRequest({
    issuer: sandbox.issuer,
    clientId: app.clientId,
    redirectUri,
    scopes: ['openid'],
    responseType: 'id_token token',
    pkce: false,
    responseMode: 'form_post',
  });
  const landing = await new SignInBrowser().signIn(request.url, request.redirectUri);
  assert.ok(landing.kind === 'form-post', landing.kind);
  const idToken = landing.fields.get('id_token');
  const accessToken = landing.fields.get('access_token');
  assert.ok(idToken && accessToken);
  return { request, idToken, accessToken };
}

/** Rejects with an ImplicitIdTokenError matching `message`, with no token in it. */
async function assertRefused(promise: Promise<unknown>, message: RegExp, ...tokens: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ImplicitIdTokenError, String(error));
    assert.match(error.message, message);
    for (const token of tokens) {
      assert.ok(!error.message.includes(token), 'no token in the message');
    }
    return true;
  });
}

describe("The implicit flow's ID token: signature against the issuer's JWKS, at_hash against the access token (real sandbox)", function () {
  this.timeout(20_000);
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox({ clients: [{ clientId: app.clientId, clientSecret: app.clientSecret, redirectUris: [redirectUri] }] });
  });
  after(() => sandbox.close());

  const expected = (nonce: string) => ({ issuer: sandbox.issuer, clientId: app.clientId, nonce, now: Date.now() });

  it('accepts the ID token the sandbox signed, with the access token that came with it', async () => {
    const { request, idToken, accessToken } = await implicitSignIn(sandbox);
    const claims = await verifyImplicitIdToken(idToken, accessToken, expected(request.nonce), http);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.at_hash, accessTokenHash(accessToken, 'RS256'));
  });

  it('refuses an access token swapped in from another sign-in (at_hash does not match)', async () => {
    const first = await implicitSignIn(sandbox);
    const second = await implicitSignIn(sandbox);
    await assertRefused(
      verifyImplicitIdToken(first.idToken, second.accessToken, expected(first.request.nonce), http),
      /at_hash does not match/,
      first.idToken,
      second.accessToken,
    );
  });

  it('refuses an ID token whose claims were changed (the signature no longer verifies), though its claims alone pass', async () => {
    const { request, idToken, accessToken } = await implicitSignIn(sandbox);
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url'), signature].join('.');
    assert.equal(checkIdToken(forged, expected(request.nonce)).sub, 'mallory', 'the claim checks alone accept it: the gap this closes');
    await assertRefused(
      verifyImplicitIdToken(forged, accessToken, expected(request.nonce), http),
      new RegExp(`did not come from ${sandbox.issuer.replace(/[.]/g, '\\.')}: its signature does not verify`),
      forged,
      accessToken,
    );
  });

  it('refuses an ID token signed by another key, and an unsigned one (alg "none")', async () => {
    const { request, idToken, accessToken } = await implicitSignIn(sandbox);
    const jose = await import('jose');
    const { privateKey } = await jose.generateKeyPair('RS256');
    const claims = jose.decodeJwt(idToken);
    const foreign = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'attacker-key' }).sign(privateKey);
    await assertRefused(verifyImplicitIdToken(foreign, accessToken, expected(request.nonce), http), /publishes no key it was signed with/, foreign);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${idToken.split('.')[1]}.`;
    await assertRefused(verifyImplicitIdToken(unsigned, accessToken, expected(request.nonce), http), /alg "none"/, unsigned);
  });

  it('still checks the nonce (a replayed ID token from another sign-in)', async () => {
    const { idToken, accessToken } = await implicitSignIn(sandbox);
    await assert.rejects(verifyImplicitIdToken(idToken, accessToken, expected('another-sign-in'), http), /nonce does not match/);
  });
});
