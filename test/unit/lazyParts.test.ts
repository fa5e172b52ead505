import assert from 'node:assert/strict';
import * as lifecycleParts from '../../src/core/tokens/lifecycleParts';
import { type LifecycleOptions, TokenLifecycle } from '../../src/core/tokens/tokenLifecycle';
import { settle } from './helpers/fakeClock';
import { HARNESS_PROFILE, LifecycleHarness } from './helpers/lifecycleHarness';

const HOUR = 3_600_000;

/** A loader of lifecycleParts.ts that answers only when released, and notes when it was asked, among `events`. */
function heldLoader(events: string[]): { load: NonNullable<LifecycleOptions['parts']>; release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    load: async () => {
      events.push('parts asked for');
      await released;
      return lifecycleParts;
    },
    release: () => release(),
  };
}

describe('token lifecycle: what waits until the first countdown shows', () => {
  let harness: LifecycleHarness;
  beforeEach(() => {
    harness = new LifecycleHarness();
  });
  afterEach(() => harness.dispose());

  it("shows the cached token's countdown before it loads the parts that request and renew, then renews on time", async () => {
    const first = await harness.openWindow('first');
    await first.lifecycle.appToken(HARNESS_PROFILE);
    first.lifecycle.dispose();
    const events: string[] = [];
    const { load, release } = heldLoader(events);
    const lifecycle = new TokenLifecycle({ ...harness.lifecycleOptions('second'), parts: load });
    lifecycle.onDidChangeActiveState((state) => events.push(state.appToken ? 'countdown' : 'no token'));
    const following = lifecycle.setActiveProfile(HARNESS_PROFILE);
    await settle();
    assert.deepEqual(events, ['countdown', 'parts asked for']);
    release();
    await following;
    // Loaded after the countdown, renewal still keeps the token fresh: a usable token all day, renewed by this window.
    for (let hour = 0; hour < 24; hour++) {
      await harness.clock.advance(HOUR);
      assert.ok((await harness.latestAppToken(lifecycle))!.expiresAt > harness.clock.now(), `no usable token after ${hour + 1} h`);
    }
    assert.ok(harness.server.requests.filter((request) => request.window === 'second').length >= 20);
    lifecycle.dispose();
  });

  it('without a profile loads nothing, until a call needs the parts', async () => {
    const events: string[] = [];
    const { load, release } = heldLoader(events);
    const lifecycle = new TokenLifecycle({ ...harness.lifecycleOptions('empty'), parts: load });
    lifecycle.onDidChangeActiveState((state) => events.push(state.profile ? 'profile' : 'no profile'));
    await lifecycle.setActiveProfile(undefined);
    await harness.clock.advance(HOUR);
    assert.deepEqual(events, ['no profile']);
    const hasSecret = lifecycle.hasSecret(HARNESS_PROFILE);
    await settle();
    assert.deepEqual(events, ['no profile', 'parts asked for']);
    release();
    assert.equal(await hasSecret, true);
    lifecycle.dispose();
  });

  it('a window closed before the parts arrive renews nothing when they do', async () => {
    const first = await harness.openWindow('first');
    await first.lifecycle.appToken(HARNESS_PROFILE);
    first.lifecycle.dispose();
    const { load, release } = heldLoader([]);
    const lifecycle = new TokenLifecycle({ ...harness.lifecycleOptions('closing'), parts: load });
    const following = lifecycle.setActiveProfile(HARNESS_PROFILE);
    await settle();
    lifecycle.dispose();
    release();
    await following;
    await harness.clock.advance(3 * HOUR);
    assert.deepEqual(
      harness.server.requests.filter((request) => request.window === 'closing'),
      [],
    );
  });
});
