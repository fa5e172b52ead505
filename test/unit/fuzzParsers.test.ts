/**
 * Property-based tests (fast-check): random and adversarial input to the parsers that read what a browser, a server
 * or a user's file hands the extension. Each input gets a clean result or a clear message: no exception escapes,
 * and no secret (a code, a token) is in a message.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { parseSignInCallback, signInErrorMessage, type ExpectedCallback } from '../../src/core/signIn/signInCallback';
import { tokenFileText } from '../../src/core/tokenExport/tokenFileContent';
import { TokenRequestError } from '../../src/core/tokens/tokenErrors';
import { parseTokenResponse } from '../../src/core/tokens/tokenRequests';
import type { IssuedToken } from '../../src/core/tokens/token';

const RUNS = { numRuns: fuzzRuns(250) };
const STATE = 'st4te-Of-this-sign-in';

/** Values a parameter may take: plain, percent-encoded oddities, unicode, huge. */
const oddValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('%', '%2', '%zz', '%00', '%E2%82', '+', '&', '=', '#', '?', '%23', '%26state%3Dx', '\u0000', '\r\n', '\u202e', '..%2f'),
  fc.string({ minLength: 10_000, maxLength: 60_000 }),
);
const secretValue = fc
  .string({ minLength: 12, maxLength: 40, unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789') })
  .map((s) => `SECRET${s}`);
const parameterName = fc.constantFrom(
  'state',
  'code',
  'access_token',
  'id_token',
  'token_type',
  'expires_in',
  'scope',
  'error',
  'error_description',
  'session_state',
  'iss',
  'x',
);

function encode(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

describe('fuzz: the sign-in callback parser', () => {
  const responseTypes: ExpectedCallback['responseType'][] = ['code', 'id_token token', 'token'];

  it('any string, as pasted or as a URL: a result of a known kind, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), oddValue),
        fc.constantFrom(...responseTypes),
        (input, responseType) => {
          const result = parseSignInCallback(input, { state: STATE, responseType, issuer: 'https://identity.example.com/oauth2/x' });
          assert.ok(['code', 'tokens', 'error', 'foreign'].includes(result.kind));
          assert.equal(result.kind, 'foreign', "without this sign-in's state, nothing is accepted");
        },
      ),
      RUNS,
    );
  });

  it('repeated parameters, query and fragment, odd encodings and huge values: a clean result, and the message has no secret', () => {
    const pairs = fc.array(fc.tuple(parameterName, fc.oneof(oddValue, secretValue)), { maxLength: 12 });
    fc.assert(
      fc.property(
        pairs,
        pairs,
        fc.constantFrom(...responseTypes),
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom('code', 'access_token', 'id_token'), secretValue), { maxLength: 3 }),
        (query, fragment, responseType, withState, secrets) => {
          const state: Array<[string, string]> = withState ? [['state', STATE]] : [];
          const url = `http://127.0.0.1:8123/callback?${encode([...state, ...query, ...secrets])}#${encode([...state, ...fragment, ...secrets])}`;
          const result = parseSignInCallback(url, { state: STATE, responseType, issuer: 'https://identity.example.com/oauth2/x' });
          const states = [...new URL(url).searchParams.getAll('state'), ...new URLSearchParams(new URL(url).hash.slice(1)).getAll('state')];
          if (!states.includes(STATE)) {
            assert.equal(result.kind, 'foreign');
          }
          if (result.kind === 'error') {
            const message = signInErrorMessage(result);
            assert.ok(message.length > 0 && message.length < 600, 'a short message');
            assert.doesNotMatch(message, /[\u0000-\u001f\u007f]/, 'no control characters');
            for (const [, secret] of secrets) {
              assert.ok(!message.includes(secret), 'no code or token in the message');
            }
          }
          if (result.kind === 'code') {
            assert.ok(result.code.length > 0);
          }
          if (result.kind === 'tokens') {
            assert.ok(result.accessToken.length > 0);
            assert.ok(responseType === 'token' || (result.idToken?.length ?? 0) > 0, 'id_token token always brings an ID token');
          }
        },
      ),
      RUNS,
    );
  });

  it('a repeated state, code or access_token is never taken (RFC 6749 §3.1)', () => {
    fc.assert(
      fc.property(fc.constantFrom('state', 'code', 'access_token'), secretValue, secretValue, fc.constantFrom(...responseTypes), (name, a, b, responseType) => {
        const fields = new URLSearchParams([
          ['state', STATE],
          ['code', 'c'],
          ['access_token', 'a'],
          ['id_token', 'i'],
        ]);
        fields.append(name, name === 'state' ? STATE : a);
        fields.append(name, b);
        const result = parseSignInCallback(fields, { state: STATE, responseType, issuer: 'https://identity.example.com/oauth2/x' });
        if (name === 'state') {
          assert.equal(result.kind, 'foreign');
        } else if ((name === 'code') === (responseType === 'code')) {
          assert.equal(result.kind, 'error');
          assert.ok(result.kind === 'error' && !signInErrorMessage(result).includes(a) && !signInErrorMessage(result).includes(b));
        }
      }),
      RUNS,
    );
  });
});

describe('fuzz: the token-response parser', () => {
  it('an expires_in that is an object whose toString is not a function is refused with a message, not a TypeError (found by this fuzz test)', () => {
    const body = JSON.stringify({ access_token: 'SECRETAAAAAAAAAAAA', expires_in: { toString: [] } });
    assert.throws(
      () => parseTokenResponse('issuer.example.com', 200, { get: () => 'application/json' }, body, Date.now(), 'client_credentials'),
      (error: unknown) =>
        error instanceof TokenRequestError && error.kind === 'malformed-response' && /without a valid expires_in \(an object\)/.test(error.message),
    );
  });

  it('an expires_in so large that it overflows in milliseconds (1e306 s) still gives a finite expiry (found by this fuzz test)', () => {
    const body = JSON.stringify({ access_token: 'SECRETAAAAAAAAAAAA', expires_in: 1e306 });
    const token = parseTokenResponse('issuer.example.com', 200, { get: () => 'application/json' }, body, 1_800_000_000_000, 'client_credentials');
    assert.ok(Number.isFinite(token.expiresAt) && token.expiresAt > 1_800_000_000_000, `a finite, future expiry: ${token.expiresAt}`);
  });

  it('a 401 whose error code is 5,000 characters gets a short message, the code shortened (found by this fuzz test)', () => {
    const body = JSON.stringify({ error: `x${' '.repeat(2000)}\u0007${'y'.repeat(3000)}` });
    assert.throws(
      () => parseTokenResponse('issuer.example.com', 401, { get: () => 'application/json' }, body, Date.now(), 'client_credentials'),
      (error: unknown) =>
        error instanceof TokenRequestError && error.kind === 'invalid-credentials' && error.message.length < 800 && !error.message.includes('\u0007'),
    );
  });

  const headerValues = fc.option(
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/html; charset=utf-8',
        'https://evil.example/steal?x=1',
        '120',
        'Wed, 21 Oct 2015 07:28:00 GMT',
        '-1',
        'NaN',
        '1e309',
      ),
      fc.string({ maxLength: 80 }),
    ),
    { nil: null },
  );
  const jsonField = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.object({ maxDepth: 1 }),
    fc.string({ minLength: 5000, maxLength: 20_000 }),
  );

  it('any status, headers and body: an IssuedToken that is usable, or a TokenRequestError with a message and no token in it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.record({ 'content-type': headerValues, location: headerValues, 'retry-after': headerValues }),
        fc.record(
          {
            access_token: fc.oneof(secretValue, jsonField),
            refresh_token: fc.oneof(secretValue, jsonField),
            id_token: fc.oneof(secretValue, jsonField),
            expires_in: jsonField,
            token_type: jsonField,
            scope: jsonField,
            error: jsonField,
            error_description: jsonField,
          },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant('json'), fc.constant('raw'), fc.constant('truncated')),
        fc.string(),
        fc.constantFrom(undefined, 'client_credentials', 'authorization_code', 'refresh_token'),
        (status, headerMap, fields, shape, raw, grantType) => {
          const text = JSON.stringify(fields);
          const body = shape === 'json' ? text : shape === 'truncated' ? text.slice(0, Math.floor(text.length / 2)) : raw;
          const headers = { get: (name: string) => headerMap[name.toLowerCase() as keyof typeof headerMap] ?? null };
          const receivedAt = 1_800_000_000_000;
          let token: IssuedToken;
          try {
            token = parseTokenResponse('issuer.example', status, headers, body, receivedAt, grantType);
          } catch (error) {
            assert.ok(error instanceof TokenRequestError, `only TokenRequestError escapes, got ${String(error)}`);
            assert.ok(error.message.length > 0 && error.message.length < 800, 'a short, clear message');
            for (const secret of [fields.access_token, fields.refresh_token, fields.id_token]) {
              if (typeof secret === 'string' && secret.startsWith('SECRET')) {
                assert.ok(!error.message.includes(secret), 'no token in the message');
              }
            }
            return;
          }
          assert.ok(status >= 200 && status < 300, 'a token only from a 2xx answer');
          assert.ok(typeof token.accessToken === 'string' && token.accessToken.length > 0);
          assert.ok(Number.isFinite(token.expiresAt) && token.expiresAt > receivedAt, 'a known, future expiry');
          assert.equal(typeof token.tokenType, 'string');
        },
      ),
      RUNS,
    );
  });
});

describe('fuzz: the .env merger', () => {
  const token: IssuedToken = { accessToken: 'eyJ.fuzz-token.sig', tokenType: 'Bearer', scope: undefined, receivedAt: 0, expiresAt: 3_600_000 };
  const ours = /^\s*(?:export\s+)?(FORTELLIS_TOKEN|FORTELLIS_TOKEN_EXPIRES_AT)\s*=/;
  const line = fc.oneof(
    fc.string().filter((s) => !/[\r\n]/.test(s)),
    fc.constantFrom(
      '# comment',
      '',
      '   ',
      'FORTELLIS_TOKEN=old',
      'export FORTELLIS_TOKEN=old',
      ' FORTELLIS_TOKEN_EXPIRES_AT = x',
      'FORTELLIS_TOKENS=keep',
      'MY_FORTELLIS_TOKEN=keep',
      'FORTELLIS_TOKEN',
      '=x',
      'KEY="va=lue"',
      'ÜNICODE=ü',
      'A=${FORTELLIS_TOKEN}',
    ),
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
        fc.string().filter((s) => !/[\r\n]/.test(s)),
      )
      .map(([name, value]) => `${name}=${value}`),
  );

  it('keeps every other line in order, every FORTELLIS_TOKEN line holds the new token, the expiry is there; never throws', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, trailing) => {
        const existing = lines.join(eol) + (trailing && lines.length > 0 ? eol : '');
        const written = tokenFileText('dotenv', token, 0, existing);
        assert.ok(written.endsWith('\n'));
        const out = written.slice(0, -1).split('\n');
        const others = (existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/)).filter((l) => !ours.test(l));
        assert.deepEqual(
          out.filter((l) => !ours.test(l)),
          others,
          'the other entries, unchanged and in order',
        );
        const tokenLines = out.filter((l) => /^\s*(?:export\s+)?FORTELLIS_TOKEN\s*=/.test(l));
        assert.ok(
          tokenLines.length >= 1 && tokenLines.every((l) => l === `FORTELLIS_TOKEN=${token.accessToken}`),
          'every FORTELLIS_TOKEN line holds the new token',
        );
        assert.equal(out.filter((l) => l.startsWith('FORTELLIS_TOKEN_EXPIRES_AT=')).length >= 1, true);
      }),
      RUNS,
    );
  });
});
