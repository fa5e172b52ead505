import assert from 'node:assert/strict';
import { callbackModes } from '../../src/core/signIn/callbackModes';

describe('callback modes', () => {
  it('tries the preferred mode first and offers the others after it', () => {
    assert.deepEqual(callbackModes('code', 'uriHandler'), ['uriHandler', 'loopback', 'paste']);
    assert.deepEqual(callbackModes('code', 'loopback'), ['loopback', 'uriHandler', 'paste']);
    assert.deepEqual(callbackModes('code', 'paste'), ['paste', 'uriHandler', 'loopback']);
  });

  it('never uses the URI handler for the implicit flow, whose tokens travel in the fragment', () => {
    assert.deepEqual(callbackModes('implicit', 'uriHandler'), ['loopback', 'paste']);
    assert.deepEqual(callbackModes('implicit', 'paste'), ['paste', 'loopback']);
  });
});
