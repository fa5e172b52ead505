import assert from 'node:assert/strict';
import type { Profile } from '../../src/core/profiles/profiles';
import { statusBarView } from '../../src/core/tokens/statusBarView';
import type { IssuedToken } from '../../src/core/tokens/token';
import { renewedTokenOf, subjectIn, type SubjectTokens, tokenOf } from '../../src/core/tokens/tokenSubject';

const PROFILE = { name: 'sandbox', environment: 'sandbox', apiKey: 'key' } as Profile;

describe('token subject: the app token or the signed-in user token, per profile', () => {
  it("is the app's unless the profile's stored choice is the user's; a malformed store means the app's", () => {
    assert.equal(subjectIn(undefined, PROFILE), 'app');
    assert.equal(subjectIn({ sandbox: 'user' }, PROFILE), 'user');
    assert.equal(subjectIn({ other: 'user' }, PROFILE), 'app');
    assert.equal(subjectIn({ sandbox: 'admin' }, PROFILE), 'app');
    assert.equal(subjectIn('user', PROFILE), 'app');
  });

  it('gets and renews the token of the chosen subject', async () => {
    const calls: string[] = [];
    const token = (name: string) => async () => (calls.push(name), { accessToken: name } as IssuedToken);
    const tokens: SubjectTokens = { appToken: token('app'), userToken: token('user'), renewAppToken: token('renew app'), renewUserToken: token('renew user') };
    assert.equal((await tokenOf(tokens, PROFILE, 'user')).accessToken, 'user');
    assert.equal((await tokenOf(tokens, PROFILE, 'app')).accessToken, 'app');
    assert.equal((await renewedTokenOf(tokens, PROFILE, 'user')).accessToken, 'renew user');
    assert.equal((await renewedTokenOf(tokens, PROFILE, 'app')).accessToken, 'renew app');
    assert.deepEqual(calls, ['user', 'app', 'renew user', 'renew app']);
  });

  it("the status bar's tooltip says which token the requests use", () => {
    const state = {
      subject: 'user' as const,
      profile: PROFILE,
      environment: { kind: 'sandbox', issuer: 'http://127.0.0.1:4500/oauth2/sandbox' } as never,
      token: { accessToken: 'x', expiresAt: 3_600_000, receivedAt: 0 } as IssuedToken,
      renewal: { enabled: true, beforeExpiryMs: 300_000 },
    };
    assert.match(statusBarView({ ...state, inUse: true }, 0).tooltip, /\*\*In use\*\* by Call API/);
    assert.doesNotMatch(statusBarView({ ...state, inUse: false }, 0).tooltip, /In use/);
  });
});
