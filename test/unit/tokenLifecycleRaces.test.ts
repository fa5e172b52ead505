/**
 * Races and failures an independent review found in the token lifecycle; each test failed before its fix.
 */
import assert from 'node:assert/strict';
import { resolveEnvironment } from '../../src/core/profiles/profiles';
import { renewalDueAt } from '../../src/core/tokens/renewalSchedule';
import { isUsable } from '../../src/core/tokens/token';
import { SignedOutDuringRequestError } from '../../src/core/tokens/tokenErrors';
import { HARNESS_PROFILE, LifecycleHarness } from './helpers/lifecycleHarness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Internals {
  deps: { settings: { environment: (profile: typeof HARNESS_PROFILE) => ReturnType<typeof resolveEnvironment> } };
}

describe('token lifecycle: races and failures', function () {
  this.timeout(60_000);
  let harness: LifecycleHarness;
  beforeEach(() => {
    harness = new LifecycleHarness();
  });
  afterEach(() => harness.dispose());

  it('a renewal in flight during sign-out does not write its token back', async () => {
    harness.server.latencyMs = 2_000;
    const { lifecycle } = await harness.openWindow();
    const renewal = lifecycle.renewAppToken(HARNESS_PROFILE).catch((error: Error) => error);
    await harness.clock.advance(500);
    await lifecycle.signOut(HARNESS_PROFILE);
    await harness.clock.advance(5_000);
    assert.match(String(await renewal), /signed out while its token was requested/);
    assert.ok((await renewal) instanceof SignedOutDuringRequestError);
    assert.equal(await harness.stored('app'), undefined);
  });

  it('a refresh in flight while the user is signed out does not bring the refresh token back', async () => {
    harness.server.latencyMs = 2_000;
    const { lifecycle } = await harness.openWindow();
    await (await lifecycle.beginSignIn(HARNESS_PROFILE)).save(harness.server.signIn());
    const renewal = lifecycle.renewUserToken(HARNESS_PROFILE).catch((error: Error) => error);
    await harness.clock.advance(500);
    await lifecycle.forgetUser(HARNESS_PROFILE);
    await harness.clock.advance(5_000);
    await renewal;
    assert.equal((await harness.stored('user'))?.refreshToken, undefined);
  });

  it('a browser sign-in that completes after a sign-out saves nothing', async () => {
    const { lifecycle } = await harness.openWindow();
    const pinned = await lifecycle.beginSignIn(HARNESS_PROFILE);
    await lifecycle.signOut(HARNESS_PROFILE);
    await assert.rejects(pinned.save(harness.server.signIn()), /signed out/);
    assert.equal(await harness.stored('user'), undefined);
  });

  it('a store that fails while the lease is released: no unhandled rejection, and renewal goes on', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { lifecycle } = await harness.openWindow();
      await lifecycle.appToken(HARNESS_PROFILE);
      const get = harness.store.get.bind(harness.store);
      let leaseReads = 0;
      harness.store.get = async (key: string) => {
        if (key.startsWith('lease:') && ++leaseReads === 3) {
          throw new Error('Cannot get password: keyring locked');
        }
        return get(key);
      };
      await harness.clock.advance(56 * MINUTE);
      harness.store.get = get;
      await harness.clock.advance(5 * HOUR);
      assert.deepEqual(unhandled, []);
      const token = await harness.latestAppToken(lifecycle);
      assert.ok(token && token.expiresAt > harness.clock.now(), 'renewal went on');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a clock that was a day ahead and is set back: the token it stamped is renewed, not served for a day', async () => {
    const { lifecycle } = await harness.openWindow();
    await lifecycle.appToken(HARNESS_PROFILE);
    harness.clock.jump(24 * HOUR);
    await harness.clock.advance(40_000);
    const before = harness.server.requests.length;
    harness.clock.jump(-24 * HOUR);
    await harness.clock.advance(2 * MINUTE);
    assert.ok(harness.server.requests.length > before, 'renewed after the clock was set back');
    const token = await lifecycle.appToken(HARNESS_PROFILE);
    assert.ok(isUsable(token, harness.clock.now()) && token.receivedAt <= harness.clock.now());
  });

  it('a renewal lease stamped before the clock was set back 2 h, by a window that closed without releasing it, does not stop renewal for 2 h', async () => {
    const { lifecycle } = await harness.openWindow();
    await lifecycle.appToken(HARNESS_PROFILE);
    const slotKey = JSON.stringify([HARNESS_PROFILE.name, harness.environment().issuer, HARNESS_PROFILE.apiKey, 'client_credentials']);
    // The longest lease a window takes (3 attempts of 30 s, the waits between them, a margin) is 140 s; this one was
    // taken just before the wall clock went back 2 h, so it reads as running for 2 h more.
    await harness.store.store(`lease:${slotKey}`, JSON.stringify({ owner: 'a-window-that-crashed', until: harness.clock.now() + 2 * HOUR + 140_000 }));
    await harness.clock.advance(HOUR - 30_000);
    const token = await harness.latestAppToken(lifecycle);
    assert.ok(token && token.receivedAt > harness.clock.now() - 10 * MINUTE, 'the token was renewed before it expired');
  });

  it('found by the lifecycle property: two windows, 1 s tokens, the clock set back 90 s: no window spins on the lease while the other renews', async () => {
    harness.server.expiresIn = 1;
    const one = await harness.openWindow('one', () => 0);
    await harness.openWindow('two', () => 0);
    await one.lifecycle.appToken(HARNESS_PROFILE);
    harness.clock.jump(-90_001);
    // Before the fix the window that lost the lease rescheduled itself for "now" without end (the fake clock's
    // timer-storm guard throws); the real one would have read the secret storage in a tight loop.
    await harness.clock.advance(35_000);
    const sinceJump = harness.server.requests.length;
    await harness.clock.advance(10 * MINUTE);
    // 1 s tokens are renewed at most every 30 s, whichever window does it.
    assert.ok(harness.server.requests.length - sinceJump <= (10 * MINUTE) / 30_000 + 1, `${harness.server.requests.length - sinceJump} requests in 10 min`);
  });

  it('a stored token with characters no token has (written by an older version) is treated as damaged: replaced, never served', async () => {
    const slotKey = JSON.stringify([HARNESS_PROFILE.name, harness.environment().issuer, HARNESS_PROFILE.apiKey, 'client_credentials']);
    const now = harness.clock.now();
    await harness.store.store(
      `token:${slotKey}`,
      JSON.stringify({ accessToken: 'abc$(touch /tmp/pwned)', tokenType: 'Bearer', receivedAt: now, expiresAt: now + HOUR }),
    );
    const { lifecycle } = await harness.openWindow();
    const token = await lifecycle.appToken(HARNESS_PROFILE);
    assert.match(token.accessToken, /^app-at-\d+$/);
    assert.equal(harness.server.requests.length, 1);
  });

  it('every window asking for a fresh user token at once sends one refresh, and the grant survives', async () => {
    harness.server.latencyMs = 150;
    const windows = [await harness.openWindow('one'), await harness.openWindow('two'), await harness.openWindow('three')];
    await (await windows[0].lifecycle.beginSignIn(HARNESS_PROFILE)).save(harness.server.signIn());
    for (const window of windows) {
      await window.lifecycle.setActiveProfile(undefined);
    }
    await harness.clock.advance(2 * HOUR);
    const results = windows.map((window) => window.lifecycle.userToken(HARNESS_PROFILE));
    await harness.clock.advance(10_000);
    const tokens = await Promise.all(results);
    assert.equal(new Set(tokens.map((token) => token.accessToken)).size, 1, 'all windows got the one new token');
    assert.equal(harness.server.requests.filter((request) => request.grant === 'refresh_token').length, 1);
    assert.equal(harness.server.grantRevoked, false);
  });

  it('a refresh slower than a minute keeps the lease: the second window waits instead of reusing the refresh token', async () => {
    await harness.openWindow('one', () => 0);
    const two = await harness.openWindow('two', () => 0);
    await (await two.lifecycle.beginSignIn(HARNESS_PROFILE)).save(harness.server.signIn());
    harness.server.latencyMs = 90_000;
    await harness.clock.advance(2 * HOUR);
    assert.equal(harness.server.requests.filter((request) => request.outcome === 'invalid_grant').length, 0);
    assert.equal(harness.server.grantRevoked, false);
  });

  it('a failed store write after a rotating refresh: the next refresh sends the newest refresh token, not the stored one', async () => {
    const { lifecycle } = await harness.openWindow();
    await (await lifecycle.beginSignIn(HARNESS_PROFILE)).save(harness.server.signIn());
    const store = harness.store.store.bind(harness.store);
    let fail = true;
    harness.store.store = async (key: string, value: string) => {
      if (fail && key.startsWith('token:') && key.includes('"user"')) {
        fail = false;
        throw new Error('keyring write failed');
      }
      return store(key, value);
    };
    await harness.settle(lifecycle.renewUserToken(HARNESS_PROFILE));
    await harness.settle(lifecycle.renewUserToken(HARNESS_PROFILE));
    assert.equal(harness.server.requests.filter((request) => request.outcome === 'invalid_grant').length, 0);
    assert.equal(harness.server.grantRevoked, false);
  });

  it('a secret is only sent to the issuer it was entered for, even when the settings change during the lease wait', async () => {
    const { lifecycle } = await harness.openWindow('one', () => 0);
    const internals = lifecycle as unknown as Internals;
    await lifecycle.appToken(HARNESS_PROFILE);
    const other = 'https://other-issuer.example.com/oauth2/x';
    await harness.store.store(`apiSecret:${JSON.stringify([HARNESS_PROFILE.name, other, HARNESS_PROFILE.apiKey])}`, 'secret-for-the-other-issuer');
    const sent: string[] = [];
    harness.wrapGrants = (real) => ({
      ...real,
      requestClientCredentialsToken: (issuer, credentials, options) => (
        sent.push(`${credentials.apiSecret} -> ${issuer}`),
        real.requestClientCredentialsToken(issuer, credentials, options)
      ),
    });
    await harness.clock.advance(55 * MINUTE + 100);
    const environment = internals.deps.settings.environment;
    internals.deps.settings.environment = (profile) => ({ ...environment(profile), issuer: other });
    await harness.clock.advance(1_000);
    internals.deps.settings.environment = environment;
    assert.ok(!sent.includes(`secret-for-the-other-issuer -> ${HARNESS_PROFILE.issuer}`), sent.join(', '));
  });

  it('a window closed while it waits for the lease sends nothing', async () => {
    const { lifecycle } = await harness.openWindow('one', () => 0);
    await lifecycle.appToken(HARNESS_PROFILE);
    await harness.clock.advance(55 * MINUTE + 100);
    const before = harness.server.requests.length;
    lifecycle.dispose();
    await harness.clock.advance(5_000);
    assert.equal(harness.server.requests.length, before);
  });

  it('a renewal setting that is not a number keeps the 30 s floor', () => {
    const due = renewalDueAt({
      token: { receivedAt: 0, expiresAt: HOUR },
      now: 0,
      beforeExpiryMs: Number.NaN,
      sinceLastRequestMs: 0,
      jitter: 0.5,
      failures: 0,
      sinceLastFailureMs: undefined,
    });
    assert.ok(Number.isFinite(due) && due >= 30_000, `due ${due}`);
  });
});
