import assert from 'node:assert/strict';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_HINTS, gatewayErrorIn } from '../../src/core/apiRequests/gatewayErrors';

describe('Fortellis gateway error codes', () => {
  it('are the 19 codes Fortellis documents, each with a one-line hint that says what to do', () => {
    assert.equal(GATEWAY_ERROR_CODES.length, 19);
    for (const code of GATEWAY_ERROR_CODES) {
      const hint = GATEWAY_ERROR_HINTS[code];
      assert.ok(!hint.includes('\n') && hint.length < 200, `${code}: one line`);
      assert.match(hint, /: /, `${code}: a cause, then a fix`);
    }
  });

  it('are found wherever the undocumented body carries them', () => {
    assert.deepEqual(gatewayErrorIn('{"code":"TOKEN-EXPIRED","message":"Token has expired"}')?.code, 'TOKEN-EXPIRED');
    assert.deepEqual(gatewayErrorIn('{"errors":[{"errorCode":"API-SUBSCRIPTION-INACTIVE"}]}')?.code, 'API-SUBSCRIPTION-INACTIVE');
    assert.deepEqual(gatewayErrorIn('<html><body>TOKEN-ISSUER-MISMATCH</body></html>')?.code, 'TOKEN-ISSUER-MISMATCH');
    assert.equal(gatewayErrorIn('{"code":"TOKEN-EXPIRED"}')?.hint, GATEWAY_ERROR_HINTS['TOKEN-EXPIRED']);
  });

  it('are not matched inside longer words or unrelated text', () => {
    assert.equal(gatewayErrorIn('{"vehicles":[]}'), undefined);
    assert.equal(gatewayErrorIn('XTOKEN-EXPIRED'), undefined);
    assert.equal(gatewayErrorIn('TOKEN-EXPIRED-SOON'), undefined);
    // TARGET-RESPONSE is not mistaken for a prefix of another code, and a longer code wins over a shorter one.
    assert.equal(gatewayErrorIn('API-SUBSCRIPTION-INACTIVE')?.code, 'API-SUBSCRIPTION-INACTIVE');
  });
});
