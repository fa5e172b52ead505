import assert from 'node:assert/strict';
import { checkedLoopbackRedirectUri, LoopbackCallbackError } from '../../src/core/signIn/loopbackCallbackServer';

// The paste flow sends fortellis.signIn.loopbackRedirectUri as its redirect_uri: it gets the loopback mode's check.
describe('The redirect URI of the paste flow', () => {
  it('is used as it is when it is a loopback Callback URL', () => {
    for (const uri of ['http://127.0.0.1:8123/callback', 'http://localhost:8123/callback', 'http://[::1]:8123/cb']) {
      assert.equal(checkedLoopbackRedirectUri(uri), uri);
    }
  });

  it('is refused, saying why, when it points anywhere else', () => {
    for (const uri of [
      'https://attacker.example/callback',
      'http://10.0.0.5:8123/callback',
      'http://127.0.0.1:8123/cb?x=1',
      'javascript:alert(1)',
      'not a url',
    ]) {
      assert.throws(
        () => checkedLoopbackRedirectUri(uri),
        (error: unknown) => error instanceof LoopbackCallbackError && /Callback URL/.test(error.message),
        uri,
      );
    }
  });
});
