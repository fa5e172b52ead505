/**
 * The agent tools' result redactor against a credential hidden in an encoded value: whatever the prefix and suffix
 * around it, and whichever encoding an API echoes it in, the result never lets it be recovered (helpers/credentialRecovery.ts
 * decodes independently of the redactor).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { redactToolResult } from '../../src/core/agentTools/agentResultRedaction';
import { MIN_SECRET_LENGTH, Redactor } from '../../src/core/text/redaction';
import { recoverable, shownPrefix } from './helpers/credentialRecovery';
import { AGENT_BODY_CAP_BYTES, callApiResult, type CallApiOutcome } from '../../src/core/agentTools/agentToolResults';
import { SHORTEST_SHOWN_PREFIX } from '../../src/core/text/encodedSecrets';

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';

/** The value's base64 in chunks of `width` characters, joined by `separator` (how encoded blobs are wrapped). */
function base64Chunks(value: string, width: number, separator: string): string {
  return (
    Buffer.from(value, 'utf8')
      .toString('base64')
      .match(new RegExp(`.{1,${width}}`, 'g')) ?? []
  ).join(separator);
}

const ENCODINGS: ReadonlyArray<[string, (value: string) => string]> = [
  ['plain', (value) => value],
  ['base64', (value) => Buffer.from(value, 'utf8').toString('base64')],
  ['base64url', (value) => Buffer.from(value, 'utf8').toString('base64url')],
  ['base64 wrapped at 76 columns', (value) => base64Chunks(value, 76, '\r\n')],
  ['base64 wrapped at 20 columns and indented', (value) => base64Chunks(value, 20, '\n    ')],
  ['base64 MIME-folded (CRLF and a tab)', (value) => base64Chunks(value, 16, '\r\n\t')],
  ['base64 grouped by spaces', (value) => base64Chunks(value, 8, ' ')],
  ['hex', (value) => Buffer.from(value, 'utf8').toString('hex')],
  ['hex, upper case', (value) => Buffer.from(value, 'utf8').toString('hex').toUpperCase()],
  ['encodeURIComponent', encodeURIComponent],
  ['percent-encoded, lower-case hex', (value) => encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
  ['every byte percent-encoded', (value) => [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')],
  ['JSON.stringify', (value) => JSON.stringify(value)],
  ['JSON with escaped slashes', (value) => JSON.stringify(value).replace(/\//g, '\\/')],
  // One escape per UTF-16 code unit, as JSON has it (a character outside the BMP takes two).
  [
    'JSON with every character \\u-escaped',
    (value) =>
      `"${value
        .split('')
        .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('')}"`,
  ],
  ['base64 inside JSON with escaped slashes', (value) => JSON.stringify(Buffer.from(value, 'utf8').toString('base64')).replace(/\//g, '\\/')],
  ['base64 inside a query parameter', (value) => `?blob=${encodeURIComponent(Buffer.from(value, 'utf8').toString('base64'))}`],
];

const token = fc.string({ minLength: 6, maxLength: 60, unit: fc.constantFrom(...TOKEN_CHARS) });
// A secret of fewer than MIN_SECRET_LENGTH characters besides whitespace is looked for only as given (encodedSecrets.ts).
const apiSecret = fc
  .string({
    minLength: 6,
    maxLength: 40,
    unit: fc.oneof(fc.constantFrom(...TOKEN_CHARS, '%', '"', '\\', '&', ' ', 'é', '€'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })),
  })
  .filter((secret) => secret.replace(/[ \t\r\n]/g, '').length >= MIN_SECRET_LENGTH);
const around = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: fc.constantFrom(...TOKEN_CHARS) }),
  fc.constantFrom('', 'Bearer ', 'Basic ', 'token=', 'x', 'xy', 'xyz', '\\', '%', '\\u00', '"', '\r\n'),
);

/** Whitespace an API may wrap or fold an encoded value with. */
const BREAKS = ['\n', '\r\n', '\r\n ', '\n    ', '\r\n\t', ' ', '\t'];

/** Where withLineBreaks inserts whitespace: up to 4 (fraction of the length, BREAKS index) pairs. */
const breakCuts = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: BREAKS.length - 1 })), { maxLength: 4 });

/** The API secret known to the extension's redactor; the token known to it too, or only to the call. */
function secretsOf(accessToken: string, secret: string, whose: 'call' | 'known'): { known: Redactor; values: string[] } {
  const known = new Redactor();
  known.add(secret, whose === 'known' ? accessToken : undefined);
  return { known, values: whose === 'call' ? [accessToken] : [] };
}

/** Inserts a line break or other whitespace (a BREAKS index) at the given fractions of the text's length. */
function withLineBreaks(text: string, cuts: ReadonlyArray<[number, number]>): string {
  const positions = cuts.map(([fraction, kind]): [number, string] => [Math.floor(fraction * text.length), BREAKS[kind]]).sort((a, b) => b[0] - a[0]);
  let result = text;
  for (const [position, lineBreak] of positions) {
    result = result.slice(0, position) + lineBreak + result.slice(position);
  }
  return result;
}

describe('agent tools: no result part holds a credential in any encoding', () => {
  for (const [name, encode] of ENCODINGS) {
    it(`${name}: random prefixes, suffixes and line breaks around each credential, never recoverable from the result`, () => {
      fc.assert(
        fc.property(
          token,
          apiSecret,
          fc.constantFrom<'call' | 'known'>('call', 'known'),
          around,
          around,
          breakCuts,
          fc.string({ maxLength: 20 }),
          (accessToken, secret, whose, prefix, suffix, cuts, outside) => {
            const { known, values } = secretsOf(accessToken, secret, whose);
            for (const credential of [accessToken, secret]) {
              const part = `${outside}${withLineBreaks(encode(`${prefix}${credential}${suffix}`), cuts)}${outside}`;
              const [result] = redactToolResult([part], { known, values });
              assert.ok(!recoverable(result, credential), `${JSON.stringify(credential)} is recoverable from ${JSON.stringify(result)}`);
            }
          },
        ),
        { numRuns: fuzzRuns(150) },
      );
    });
  }

  for (const [name, encode] of ENCODINGS) {
    it(`${name}: cut anywhere inside the encoded credential (a capped result), never its first ${SHORTEST_SHOWN_PREFIX} characters (half of a shorter one) shown`, () => {
      fc.assert(
        fc.property(
          token,
          apiSecret,
          fc.constantFrom<'call' | 'known'>('call', 'known'),
          around,
          around,
          breakCuts,
          fc.string({ maxLength: 20 }),
          fc.integer({ min: 0, max: 1000 }),
          (accessToken, secret, whose, prefix, suffix, cuts, outside, permille) => {
            const { known, values } = secretsOf(accessToken, secret, whose);
            for (const credential of [accessToken, secret]) {
              const whole = encode(`${prefix}${credential}${suffix}`);
              const encoded = withLineBreaks(whole, cuts);
              // The encoded credential lies about between the encoded prefix's end and the encoded prefix + credential's.
              const scale = encoded.length / whole.length;
              const first = Math.max(0, Math.floor((encode(prefix).length - 4) * scale));
              const last = Math.min(encoded.length, Math.ceil((encode(`${prefix}${credential}`).length + 4) * scale));
              const part = `${outside}${encoded.slice(0, first + Math.floor((permille / 1000) * (last - first)))}`;
              const limit = (length: number): number => Math.min(SHORTEST_SHOWN_PREFIX, Math.ceil(length / 2));
              const plainLength = credential.replace(/[ \t\r\n]/g, '').length;
              const byteLength = Buffer.byteLength(credential.replace(/[ \t\r\n]/g, ''), 'utf8');
              // What the surroundings alone show (a prefix that happens to start like the credential) is not a leak.
              const before = shownPrefix(`${outside}${encode(prefix)}`, credential);
              fc.pre(before.characters < limit(plainLength) && before.bytes < limit(byteLength));
              const [result] = redactToolResult([part], { known, values });
              const shown = shownPrefix(result, credential);
              assert.ok(
                shown.characters < limit(plainLength) && shown.bytes < limit(byteLength),
                `${shown.characters} characters (${shown.bytes} bytes) of ${JSON.stringify(credential)} are shown by ${JSON.stringify(result)}`,
              );
            }
          },
        ),
        { numRuns: fuzzRuns(150) },
      );
    });
  }

  it("a call_api result whose body is capped in the middle of the token: the token's shown start is redacted", () => {
    const accessToken = 'opaqueAccessToken0123456789abcdefghijklmnopqrstuvwxyz';
    for (const [encoding, encoded] of [
      ['plain', `Bearer ${accessToken}`],
      ['base64', Buffer.from(`Bearer ${accessToken}`).toString('base64')],
    ]) {
      for (let shown = 1; shown < encoded.length; shown++) {
        const response = {
          status: 200,
          statusText: 'OK',
          elapsedMs: 1,
          headers: [['content-type', 'text/plain']],
          bodyText: `${'x'.repeat(AGENT_BODY_CAP_BYTES - shown)}${encoded} end`,
          truncated: false,
          requestId: 'r',
        } as unknown as CallApiOutcome['response'];
        const outcome = {
          plan: { method: 'GET', url: 'https://api.fortellis.io/x' },
          profile: { name: 'p' },
          subscriptionId: '',
          response,
        } as unknown as CallApiOutcome;
        const part = callApiResult(outcome);
        assert.ok(part.includes('capped'), 'the body is capped');
        const [result] = redactToolResult([part], { values: [accessToken] });
        const visible = shownPrefix(result, accessToken).characters;
        assert.ok(visible < SHORTEST_SHOWN_PREFIX, `${encoding}, cut after ${shown} characters: ${visible} characters of the token shown`);
      }
    }
  });

  it('base64("Bearer " + token) in a larger value: the whole encoded run goes, the text around it stays', () => {
    const accessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const blob = Buffer.from(`Bearer ${accessToken}`).toString('base64');
    const [result] = redactToolResult([`{"echo": "${blob}", "status": "ok"}`], { values: [accessToken] });
    assert.equal(result, '{"echo": "[redacted]", "status": "ok"}');
  });

  it('a Bearer value right after a JWT-shaped run ("eyJ….eyJ….Bearer token") is redacted too', () => {
    const [result] = redactToolResult(['request failed: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.Bearer unknownOpaqueToken123'], {});
    assert.ok(!result.includes('unknownOpaqueToken123'), result);
  });

  it('text without a credential is left as it is, line breaks included', () => {
    const text = 'line one\r\nQmVhcmVyIGFiYw==\n%41%42 {"a": "\\u0041\\/"}';
    assert.deepEqual(redactToolResult([text], { values: ['opaque-token-abcdef'] }), [text]);
  });
});
