import assert from 'node:assert/strict';
import { jwtClaims } from '../../src/core/tokens/jwt';

describe('jwtClaims', () => {
  it('decodes the payload of a JWT', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'dealer-user', exp: 1 })).toString('base64url');
    assert.deepEqual(jwtClaims(`eyJhbGciOiJSUzI1NiJ9.${payload}.sig`), { sub: 'dealer-user', exp: 1 });
  });

  it('returns undefined for an opaque token or a damaged payload', () => {
    assert.equal(jwtClaims('opaque-token'), undefined);
    assert.equal(jwtClaims('a.bm90IGpzb24.c'), undefined);
    assert.equal(jwtClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`), undefined);
  });
});
