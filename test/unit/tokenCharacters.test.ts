/**
 * Tokens are checked where they are accepted: an access, refresh or ID token outside RFC 6750's b64token characters
 * (1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=") is refused, from a token response or from an
 * implicit sign-in's callback, with a message that names the token and the issuer but never holds the token. The
 * token-file writer refuses CR/LF whatever it is given.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { tokenFileText } from '../../src/core/tokenExport/tokenFileContent';
import type { IssuedToken } from '../../src/core/tokens/token';
import { TokenRequestError } from '../../src/core/tokens/tokenErrors';
import { issuedTokenFromCallback, parseTokenResponse } from '../../src/core/tokens/tokenRequests';

const B64TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';
const ISSUER = 'https://identity.example.com/oauth2/aus1';
const INJECTION = 'x\nNODE_OPTIONS=--require=/tmp/pwn.js';

const b64token = fc
  .tuple(fc.string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(...B64TOKEN_CHARS) }), fc.nat({ max: 3 }))
  .map(([body, padding]) => body + '='.repeat(padding));
/** A b64token with one character it may not hold put somewhere in it (or "=" before its end). */
const badToken = fc
  .tuple(
    b64token,
    fc.oneof(
      fc.constantFrom('\n', '\r', ' ', '\t', '"', ',', ';', '%', '\u0000', 'é', '=x'),
      fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !B64TOKEN_CHARS.includes(c) && c !== '='),
    ),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([token, bad, at]) => {
    const cut = Math.floor(at * token.replace(/=+$/, '').length);
    return token.slice(0, cut) + bad + token.slice(cut);
  });

const FIELDS = [
  ['access_token', 'access token'],
  ['refresh_token', 'refresh token'],
  ['id_token', 'ID token'],
] as const;

function response(field: string, value: string): string {
  return JSON.stringify({ access_token: 'good.access.token', expires_in: 3600, [field]: value });
}

function parse(body: string): IssuedToken {
  return parseTokenResponse('identity.example.com', 200, { get: () => 'application/json' }, body, 1_800_000_000_000, 'authorization_code');
}

function refusal(token: string, which: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TokenRequestError, String(error));
    assert.equal(error.kind, 'malformed-response');
    assert.ok(error.message.includes(which), `names the ${which}: ${error.message}`);
    assert.ok(error.message.includes('identity.example.com'), `names the issuer: ${error.message}`);
    assert.ok(!error.message.includes(token), `never holds the token: ${error.message}`);
    return true;
  };
}

describe('tokens are checked where they are accepted (RFC 6750 b64token)', () => {
  it('a token response whose access_token would add a line to a .env file is refused, naming the token and the issuer', () => {
    assert.throws(() => parse(response('access_token', INJECTION)), refusal(INJECTION, 'access token'));
  });

  it('a token response: each token in b64token characters is accepted as sent; one with any other character is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), b64token, badToken, ([field, which], good, bad) => {
        const token = parse(response(field, good));
        assert.equal({ access_token: token.accessToken, refresh_token: token.refreshToken, id_token: token.idToken }[field], good);
        assert.throws(() => parse(response(field, bad)), refusal(bad, which));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('an implicit sign-in callback: the same rule for its access and ID tokens', () => {
    fc.assert(
      fc.property(fc.constantFrom<'access' | 'id'>('access', 'id'), badToken, (which, bad) => {
        const callback = {
          kind: 'tokens' as const,
          accessToken: which === 'access' ? bad : 'good.access.token',
          idToken: which === 'id' ? bad : 'good.id.token',
          tokenType: 'Bearer',
          expiresIn: '3600',
        };
        assert.throws(() => issuedTokenFromCallback(ISSUER, callback, 1_800_000_000_000), refusal(bad, which === 'access' ? 'access token' : 'ID token'));
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});

describe('the token-file writer refuses CR/LF, and every character a token cannot have, whatever it is given', () => {
  const now = Date.parse('2026-11-22T10:00:00.000Z');
  for (const format of ['dotenv', 'json'] as const) {
    for (const accessToken of [INJECTION, 'abc\r\ndef', 'abc\rdef']) {
      it(`${format}: a token holding ${JSON.stringify(accessToken.replace(/[^\r\n]/g, ''))} is not written, and the message does not hold it`, () => {
        const token: IssuedToken = { accessToken, tokenType: 'Bearer', scope: undefined, receivedAt: now, expiresAt: now + 3600_000 };
        assert.throws(
          () => tokenFileText(format, token, now, 'DEBUG=1\n'),
          (error: unknown) => error instanceof Error && /line break/.test(error.message) && !error.message.includes(accessToken),
        );
      });
    }
    // A .env file a shell sources runs $(…), backticks and ; (found by review: a token stored by an older version or
    // another window is not checked where it was accepted).
    for (const accessToken of ['abc$(touch /tmp/pwned)def', 'abc`id`def', 'abc;id', 'abc def', 'abc\u2028def', 'abc"def']) {
      it(`${format}: a token holding ${JSON.stringify(accessToken.replace(/[A-Za-z0-9]/g, ''))} is not written, and the message does not hold it`, () => {
        const token: IssuedToken = { accessToken, tokenType: 'Bearer', scope: undefined, receivedAt: now, expiresAt: now + 3600_000 };
        assert.throws(
          () => tokenFileText(format, token, now, 'DEBUG=1\n'),
          (error: unknown) => error instanceof Error && /characters a token cannot have/.test(error.message) && !error.message.includes(accessToken),
        );
      });
    }
  }
});
