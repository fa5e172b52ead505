import assert from 'node:assert/strict';
import { tokenFileFormat, tokenFileText } from '../../src/core/tokenExport/tokenFileContent';
import type { IssuedToken } from '../../src/core/tokens/token';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const token: IssuedToken = { accessToken: 'header.claims.signature', tokenType: 'Bearer', scope: 'anonymous', receivedAt: now, expiresAt: now + 3600_000 };

describe('Token files', () => {
  it('are JSON, except .env files', () => {
    assert.equal(tokenFileFormat('/work/currentToken.json'), 'json');
    assert.equal(tokenFileFormat('/work/token'), 'json');
    assert.equal(tokenFileFormat('/work/.env'), 'dotenv');
    assert.equal(tokenFileFormat('C:\\work\\.env.local'), 'dotenv');
    assert.equal(tokenFileFormat('/work/prod.env'), 'dotenv');
  });

  it('JSON: the fields of the token response, with the seconds left and the exact expiry', () => {
    const written = JSON.parse(tokenFileText('json', token, now + 60_000));
    assert.deepEqual(written, {
      access_token: 'header.claims.signature',
      token_type: 'Bearer',
      expires_in: 3540,
      expires_at: '2026-11-22T11:00:00.000Z',
      scope: 'anonymous',
    });
  });

  it('.env: replaces FORTELLIS_TOKEN and its expiry in place and keeps every other line', () => {
    const existing =
      '# app settings\nAPI_BASE=https://api.fortellis.io\nFORTELLIS_TOKEN=old\nexport FORTELLIS_TOKEN_EXPIRES_AT=2020-01-01T00:00:00.000Z\nDEBUG=1\n';
    assert.equal(
      tokenFileText('dotenv', token, now, existing),
      '# app settings\nAPI_BASE=https://api.fortellis.io\nFORTELLIS_TOKEN=header.claims.signature\nFORTELLIS_TOKEN_EXPIRES_AT=2026-11-22T11:00:00.000Z\nDEBUG=1\n',
    );
  });

  it('.env: appends the entries to a file without them, or makes a new file', () => {
    assert.equal(
      tokenFileText('dotenv', token, now, 'DEBUG=1'),
      'DEBUG=1\nFORTELLIS_TOKEN=header.claims.signature\nFORTELLIS_TOKEN_EXPIRES_AT=2026-11-22T11:00:00.000Z\n',
    );
    assert.equal(tokenFileText('dotenv', token, now), 'FORTELLIS_TOKEN=header.claims.signature\nFORTELLIS_TOKEN_EXPIRES_AT=2026-11-22T11:00:00.000Z\n');
  });
});
