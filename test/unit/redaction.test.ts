import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { REDACTED, Redactor, redactJwts } from '../../src/core/text/redaction';

describe('Redactor', () => {
  it('removes known secrets, raw and URL-encoded', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t+/%value');
    const text = redactor.redact(`secret s3cr3t+/%value and ${encodeURIComponent('s3cr3t+/%value')}`);
    assert.equal(text, 'secret [redacted] and [redacted]');
  });

  it('removes Basic and Bearer credentials, JWTs and OAuth parameters it was never told about', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
    const text = new Redactor().redact(
      `Authorization: Basic a2V5OnNlY3JldA== / Bearer opaque-token-123 / ${jwt} / code=abc123&state=xyz&scope=openid / {"access_token":"tok","expires_in":3600}`,
    );
    assert.equal(
      text,
      'Authorization: Basic [redacted] / Bearer [redacted] / [redacted] / code=[redacted]&state=[redacted]&scope=openid / {"access_token":"[redacted]","expires_in":3600}',
    );
  });

  it('a Bearer value right after a JWT-shaped run ("eyJ….eyJ….Bearer token") is redacted too', () => {
    const text = 'request failed: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.Bearer unknownOpaqueToken123';
    assert.ok(!new Redactor().redact(text).includes('unknownOpaqueToken123'), new Redactor().redact(text));
  });

  it('leaves ordinary text alone, including very short "secrets"', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    assert.equal(
      redactor.redact('POST https://identity.fortellis.io/oauth2/abc/v1/token scope=anonymous'),
      'POST https://identity.fortellis.io/oauth2/abc/v1/token scope=anonymous',
    );
  });

  it('redacts JWT-shaped strings exactly as the regular expression /\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*/g would', () => {
    const jwtShape = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom('eyJ', 'e', 'y', 'J', '.', '-', '_', 'a', ' ', '"') }), (text) => {
        assert.equal(redactJwts(text), text.replace(jwtShape, REDACTED));
      }),
      { numRuns: fuzzRuns(500) },
    );
  });
});
