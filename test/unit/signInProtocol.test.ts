import assert from 'node:assert/strict';
import { buildAuthorizeRequest, type AuthorizeRequestInput } from '../../src/core/signIn/authorizeRequest';
import { checkIdToken, type IdTokenExpectations } from '../../src/core/signIn/idToken';
import { createPkce, pkceChallenge } from '../../src/core/signIn/pkce';
import {
  acceptOneCallback,
  type ErrorCallback,
  type ExpectedCallback,
  parseSignInCallback,
  signInErrorMessage,
  type TokensCallback,
} from '../../src/core/signIn/signInCallback';
import { issuedTokenFromCallback } from '../../src/core/tokens/tokenRequests';
import { TokenRequestError } from '../../src/core/tokens/tokenErrors';

const ISSUER = 'https://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7';
const REDIRECT_URI = 'http://localhost:8123/callback';
const CODE_REQUEST: AuthorizeRequestInput = {
  issuer: ISSUER,
  clientId: 'app-key',
  redirectUri: REDIRECT_URI,
  scopes: ['openid', 'offline_access'],
  responseType: 'code',
  pkce: true,
};

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 Appendix B', () => {
    assert.equal(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh 43-character base64url verifier each time, with its challenge', () => {
    const first = createPkce();
    const second = createPkce();
    assert.match(first.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(first.method, 'S256');
    assert.ok(first.challenge === pkceChallenge(first.verifier));
    assert.ok(first.verifier !== second.verifier, 'verifiers are random');
  });
});

describe('authorize request', () => {
  it('builds {issuer}/v1/authorize with client_id, response_type, scope, redirect_uri, state, nonce and an S256 challenge', () => {
    const request = buildAuthorizeRequest(CODE_REQUEST);
    const url = new URL(request.url);
    assert.equal(`${url.origin}${url.pathname}`, `${ISSUER}/v1/authorize`);
    const parameters = Object.fromEntries(url.searchParams);
    assert.deepEqual(Object.keys(parameters), [
      'client_id',
      'response_type',
      'scope',
      'redirect_uri',
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
    ]);
    assert.equal(parameters.client_id, 'app-key');
    assert.equal(parameters.response_type, 'code');
    assert.equal(parameters.scope, 'openid offline_access');
    assert.equal(parameters.redirect_uri, REDIRECT_URI);
    assert.equal(parameters.code_challenge_method, 'S256');
    assert.ok(parameters.state === request.state && parameters.nonce === request.nonce);
    assert.ok(request.codeVerifier !== undefined && parameters.code_challenge === pkceChallenge(request.codeVerifier));
    assert.match(request.url, /scope=openid%20offline_access&/, 'spaces are %20');
    assert.deepEqual([request.redirectUri, request.responseType, request.scopes], [REDIRECT_URI, 'code', ['openid', 'offline_access']]);
  });

  it('makes state and nonce of 256 random bits, different on every request', () => {
    const first = buildAuthorizeRequest(CODE_REQUEST);
    const second = buildAuthorizeRequest(CODE_REQUEST);
    for (const value of [first.state, first.nonce]) {
      assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    }
    assert.ok(first.state !== second.state && first.nonce !== second.nonce && first.state !== first.nonce);
  });

  it('adds no challenge when PKCE is off or the flow is implicit; adds response_mode when asked', () => {
    const withoutPkce = buildAuthorizeRequest({ ...CODE_REQUEST, pkce: false });
    assert.equal(new URL(withoutPkce.url).searchParams.has('code_challenge'), false);
    assert.equal(withoutPkce.codeVerifier, undefined);

    const implicit = buildAuthorizeRequest({ ...CODE_REQUEST, scopes: ['openid'], responseType: 'id_token token', responseMode: 'form_post' });
    const parameters = new URL(implicit.url).searchParams;
    assert.equal(parameters.has('code_challenge'), false);
    assert.equal(implicit.codeVerifier, undefined);
    assert.equal(parameters.get('response_type'), 'id_token token');
    assert.equal(parameters.get('response_mode'), 'form_post');
  });

  it('refuses a plain-http issuer off loopback, no scope, and an id_token without openid', () => {
    assert.throws(() => buildAuthorizeRequest({ ...CODE_REQUEST, issuer: 'http://identity.example.com/oauth2/x' }), /https/);
    assert.doesNotThrow(() => buildAuthorizeRequest({ ...CODE_REQUEST, issuer: 'http://127.0.0.1:4512/oauth2/sandbox/' }));
    assert.throws(() => buildAuthorizeRequest({ ...CODE_REQUEST, scopes: [] }), /one or more words/);
    assert.throws(() => buildAuthorizeRequest({ ...CODE_REQUEST, scopes: ['openid offline_access'] }), /without spaces/);
    assert.throws(() => buildAuthorizeRequest({ ...CODE_REQUEST, scopes: ['offline_access'], responseType: 'id_token token' }), /openid scope/);
  });
});

describe('sign-in callback', () => {
  const code: ExpectedCallback = { state: 'expected-state', responseType: 'code', issuer: 'https://identity.example.com/oauth2/x' };
  const implicit: ExpectedCallback = { state: 'expected-state', responseType: 'id_token token', issuer: 'https://identity.example.com/oauth2/x' };

  it('reads the code from the query of the callback URL', () => {
    assert.deepEqual(parseSignInCallback(`${REDIRECT_URI}?code=the-code&state=expected-state`, code), { kind: 'code', code: 'the-code' });
    assert.deepEqual(parseSignInCallback(new URLSearchParams({ code: 'posted', state: 'expected-state' }), code), { kind: 'code', code: 'posted' });
  });

  it('accepts the issuer it signed in with in the callback (RFC 9207 iss), and refuses another one (a mix-up)', () => {
    const issuer = 'https://identity.example.com/oauth2/x';
    assert.deepEqual(parseSignInCallback(`${REDIRECT_URI}?code=c&state=expected-state&iss=${encodeURIComponent(`${issuer}/`)}`, code), {
      kind: 'code',
      code: 'c',
    });
    const foreign = parseSignInCallback(`${REDIRECT_URI}?code=c&state=expected-state&iss=${encodeURIComponent('https://evil.example/oauth2/x')}`, code);
    assert.equal(foreign.kind, 'error');
    assert.equal(foreign.kind === 'error' && foreign.error, 'issuer_mismatch');
    assert.match(
      signInErrorMessage(foreign as ErrorCallback),
      /came from another server than the profile's issuer \(the callback names https:\/\/evil\.example\/oauth2\/x, not https:\/\/identity\.example\.com\/oauth2\/x\), so it was refused and nothing was sent/,
    );
    const twice = parseSignInCallback(`${REDIRECT_URI}?code=c&state=expected-state&iss=${encodeURIComponent(issuer)}&iss=${encodeURIComponent(issuer)}`, code);
    assert.equal(twice.kind === 'error' && twice.error, 'issuer_mismatch');
  });

  it('reads implicit tokens from the fragment, or from posted form fields', () => {
    const fragment = 'access_token=at&id_token=it&token_type=Bearer&expires_in=3600&scope=openid&state=expected-state';
    const expected = { kind: 'tokens', accessToken: 'at', idToken: 'it', tokenType: 'Bearer', expiresIn: '3600', scope: 'openid' };
    assert.deepEqual(parseSignInCallback(new URL(`${REDIRECT_URI}#${fragment}`), implicit), expected);
    assert.deepEqual(parseSignInCallback(new URLSearchParams(fragment), implicit), expected);
  });

  it('treats a missing, different or repeated state as foreign, and so a URL that is not one', () => {
    for (const callback of [
      `${REDIRECT_URI}?code=c`,
      `${REDIRECT_URI}?code=c&state=forged`,
      `${REDIRECT_URI}?code=c&state=expected-state&state=expected-state`,
      `${REDIRECT_URI}#code=c&state=forged`,
      'not a url',
    ]) {
      assert.deepEqual(parseSignInCallback(callback, code), { kind: 'foreign' }, callback);
    }
    assert.deepEqual(
      parseSignInCallback(`${REDIRECT_URI}?error=access_denied`, code),
      { kind: 'foreign' },
      'an error without the state cannot end the sign-in',
    );
  });

  it('reads an error (access_denied) with its description, from the query or the fragment', () => {
    const denied = { kind: 'error', error: 'access_denied', description: 'End-User aborted interaction' };
    assert.deepEqual(
      parseSignInCallback(`${REDIRECT_URI}?error=access_denied&error_description=End-User+aborted+interaction&state=expected-state`, code),
      denied,
    );
    assert.deepEqual(
      parseSignInCallback(`${REDIRECT_URI}#error=access_denied&error_description=End-User%20aborted%20interaction&state=expected-state`, implicit),
      denied,
    );
  });

  it('turns a callback with the state but no result into a malformed_callback error', () => {
    const noCode = parseSignInCallback(`${REDIRECT_URI}?state=expected-state`, code);
    assert.deepEqual(noCode, { kind: 'error', error: 'malformed_callback', description: 'it has neither a code nor an error' });
    const noIdToken = parseSignInCallback(new URLSearchParams({ access_token: 'at', expires_in: '3600', state: 'expected-state' }), implicit);
    assert.deepEqual(noIdToken, { kind: 'error', error: 'malformed_callback', description: 'it has no id_token' });
    const tokenOnly = parseSignInCallback(new URLSearchParams({ access_token: 'at', expires_in: '3600', state: 'expected-state' }), {
      ...implicit,
      responseType: 'token',
    });
    assert.equal(tokenOnly.kind, 'tokens');
  });

  it('accepts one callback per sign-in: a replay, even of the genuine callback, is foreign', () => {
    const accept = acceptOneCallback(code);
    assert.equal(accept(`${REDIRECT_URI}?code=c&state=forged`).kind, 'foreign');
    assert.equal(accept(`${REDIRECT_URI}?code=c&state=expected-state`).kind, 'code');
    assert.equal(accept(`${REDIRECT_URI}?code=c&state=expected-state`).kind, 'foreign');
    assert.equal(accept(`${REDIRECT_URI}?error=access_denied&state=expected-state`).kind, 'foreign');
  });

  it('explains errors in words, with the server description made printable', () => {
    assert.match(signInErrorMessage({ kind: 'error', error: 'access_denied' }), /declined on the Fortellis page\. Sign in again/);
    assert.match(signInErrorMessage({ kind: 'error', error: 'invalid_scope', description: 'offline_access' }), /scopes \(offline_access\).*offline_access/);
    assert.match(signInErrorMessage({ kind: 'error', error: 'unauthorized_client' }), /does not allow this app/);
    assert.match(signInErrorMessage({ kind: 'error', error: 'malformed_callback', description: 'it has no id_token' }), /incomplete \(it has no id_token\)/);
    assert.equal(
      signInErrorMessage({ kind: 'error', error: 'server_error', description: 'down\nnow' }),
      'Fortellis refused the sign-in: server_error (down now).',
    );
  });
});

describe('implicit tokens as an issued token', () => {
  const tokens: TokensCallback = { kind: 'tokens', accessToken: 'at', idToken: 'it', tokenType: 'Bearer', expiresIn: '3600', scope: 'openid' };

  it('counts the lifetime from when the callback arrived', () => {
    const token = issuedTokenFromCallback(ISSUER, tokens, 1_000_000);
    assert.deepEqual(token, { accessToken: 'at', idToken: 'it', tokenType: 'Bearer', scope: 'openid', receivedAt: 1_000_000, expiresAt: 1_000_000 + 3600_000 });
  });

  it('refuses a missing or invalid expires_in, as for a token response', () => {
    for (const [expiresIn, shown] of [
      [undefined, 'missing'],
      ['soon', 'the string "soon"'],
      ['0', '0'],
      ['-5', 'the string "-5"'],
    ] as const) {
      assert.throws(
        () => issuedTokenFromCallback(ISSUER, { ...tokens, expiresIn }, 0),
        (error: unknown) => error instanceof TokenRequestError && error.kind === 'malformed-response' && error.message.includes(`valid expires_in (${shown})`),
        String(expiresIn),
      );
    }
  });
});

describe('ID token checks', () => {
  const now = Date.UTC(2030, 0, 1);
  const expected: IdTokenExpectations = { issuer: ISSUER, clientId: 'app-key', nonce: 'the-nonce', now };
  const valid = { iss: ISSUER, sub: 'alice', aud: 'app-key', exp: now / 1000 + 3600, iat: now / 1000, nonce: 'the-nonce' };
  const jwt = (payload: object) =>
    [{ alg: 'RS256' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

  it('returns the claims of a token for this issuer, app and nonce', () => {
    assert.deepEqual(checkIdToken(jwt(valid), expected), valid);
    assert.equal(checkIdToken(jwt({ ...valid, aud: ['other', 'app-key'] }), { ...expected, issuer: `${ISSUER}/` }).sub, 'alice');
  });

  it('refuses a token of another sign-in (nonce), issuer, app, or one that expired beyond 60 s of skew', () => {
    const cases: Array<[object, RegExp]> = [
      [{ ...valid, nonce: 'other-nonce' }, /another sign-in \(its nonce does not match\): it may be replayed/],
      [{ ...valid, nonce: undefined }, /nonce does not match/],
      [{ ...valid, iss: 'https://identity-dev.fortellis.io/oauth2/aus1ni5i9n9WkzcYa2p7' }, /comes from https:\/\/identity-dev.*not from the profile's issuer/],
      [{ ...valid, aud: ['other-app'] }, /issued to another app/],
      [{ ...valid, exp: now / 1000 - 60 }, /has expired/],
      [{ ...valid, exp: undefined }, /has expired \(or has no expiry\)/],
      [{ ...valid, sub: undefined }, /names no user/],
    ];
    for (const [claims, message] of cases) {
      assert.throws(() => checkIdToken(jwt(claims), expected), message);
    }
    assert.equal(checkIdToken(jwt({ ...valid, exp: now / 1000 - 59 }), expected).sub, 'alice', 'within the skew');
  });

  it('refuses what is not a JWT', () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', 'a.b.', `x.${Buffer.from('[1]').toString('base64url')}.y`, 'x.bm90IGpzb24.y']) {
      assert.throws(() => checkIdToken(token, expected), /not a JWT/, token);
    }
  });
});
