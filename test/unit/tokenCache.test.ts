import assert from 'node:assert/strict';
import { type RenewalPolicy, TokenCache } from '../../src/core/tokens/tokenCache';
import type { IssuedToken } from '../../src/core/tokens/token';
import { FakeClock, settle } from './fakeClock';
import { MemoryStore } from './memoryStore';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function tokenFactory(clock: FakeClock, lifetimeMs = HOUR) {
  let issued = 0;
  const fetcher = async (): Promise<IssuedToken> => {
    issued++;
    return { accessToken: `token-${issued}`, tokenType: 'Bearer', scope: 'anonymous', receivedAt: clock.now(), expiresAt: clock.now() + lifetimeMs };
  };
  return { fetcher, issued: () => issued };
}

function newCache(clock: FakeClock, store = new MemoryStore(), policy: RenewalPolicy = { enabled: true, beforeExpiryMs: 5 * MINUTE }) {
  const changes: string[] = [];
  const failures: Array<{ error: unknown; nextAttemptAt: number | undefined }> = [];
  const cache = new TokenCache(store, clock, () => policy, {
    onDidChange: (key) => changes.push(key),
    onRenewalFailed: (_key, error, nextAttemptAt) => failures.push({ error, nextAttemptAt }),
  });
  return { cache, store, changes, failures };
}

describe('TokenCache', () => {
  it('serves the cached token until it is close to expiry, without new requests', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock);
    const tokens = tokenFactory(clock);
    const first = await cache.get('k', tokens.fetcher);
    await clock.advance(50 * MINUTE);
    assert.equal((await cache.get('k', tokens.fetcher)).accessToken, first.accessToken);
    assert.equal(tokens.issued(), 1);
  });

  it('shares one request among concurrent callers', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock);
    const tokens = tokenFactory(clock);
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.get('k', tokens.fetcher)));
    assert.equal(tokens.issued(), 1);
    assert.ok(results.every((token) => token.accessToken === 'token-1'));
  });

  it('reuses a token stored by another window (or before a reload) without a request', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const tokens = tokenFactory(clock);
    await newCache(clock, store).cache.get('k', tokens.fetcher);
    const afterReload = newCache(clock, store).cache;
    assert.equal((await afterReload.get('k', tokens.fetcher)).accessToken, 'token-1');
    assert.equal(tokens.issued(), 1);
  });

  it('fetches a new token once the cached one has less than 30 s left', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock, new MemoryStore(), { enabled: false, beforeExpiryMs: 0 });
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    await clock.advance(HOUR - 29_000);
    assert.equal((await cache.get('k', tokens.fetcher)).accessToken, 'token-2');
  });

  it('renews the token it keeps fresh at expiry minus the configured lead, and not before', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock);
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    cache.keepFresh('k', tokens.fetcher);
    await clock.advance(55 * MINUTE - 1);
    assert.equal(tokens.issued(), 1);
    await clock.advance(1);
    assert.equal(tokens.issued(), 2);
    assert.equal((await cache.peek('k'))?.accessToken, 'token-2');
  });

  it('keeps a 24-hour session supplied with valid tokens at one request per lifetime', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock);
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    cache.keepFresh('k', tokens.fetcher);
    let staleMinutes = 0;
    for (let minute = 0; minute < 24 * 60; minute++) {
      await clock.advance(MINUTE);
      const token = await cache.peek('k');
      if (!token || token.expiresAt <= clock.now()) {
        staleMinutes++;
      }
    }
    assert.equal(staleMinutes, 0);
    assert.equal(tokens.issued(), 1 + Math.floor((24 * HOUR) / (55 * MINUTE)));
  });

  it('does not renew when renewal is off', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock, new MemoryStore(), { enabled: false, beforeExpiryMs: 5 * MINUTE });
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    cache.keepFresh('k', tokens.fetcher);
    await clock.advance(2 * HOUR);
    assert.equal(tokens.issued(), 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('keeps serving the valid token when a renewal fails, and retries with backoff until it expires', async () => {
    const clock = new FakeClock();
    const { cache, failures } = newCache(clock);
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    let attempts = 0;
    cache.keepFresh('k', async () => {
      attempts++;
      throw new Error('server down');
    });
    await clock.advance(55 * MINUTE);
    assert.equal(attempts, 1);
    assert.equal((await cache.get('k', tokens.fetcher)).accessToken, 'token-1', 'the still-valid token is served');
    await clock.advance(5 * MINUTE);
    // Retries at +30 s, +60 s, +120 s after the first failure fit before expiry; the next would not.
    assert.equal(attempts, 4);
    assert.equal(failures.at(-1)?.nextAttemptAt, undefined);
    assert.equal(clock.pendingTimers, 0, 'no retry is scheduled past expiry');
  });

  it('a failed renew() leaves the cached token in place', async () => {
    const clock = new FakeClock();
    const { cache } = newCache(clock);
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    await assert.rejects(cache.renew('k', async () => { throw new Error('invalid_client'); }), /invalid_client/);
    assert.equal((await cache.peek('k'))?.accessToken, 'token-1');
  });

  it('adopts a token another window renewed instead of requesting its own', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const windowA = newCache(clock, store);
    const windowB = newCache(clock, store);
    store.onDidChange((key) => void windowB.cache.storeChanged(key));
    const tokensA = tokenFactory(clock);
    const tokensB = tokenFactory(clock);
    await windowA.cache.get('k', tokensA.fetcher);
    await windowB.cache.get('k', tokensB.fetcher);
    windowB.cache.keepFresh('k', tokensB.fetcher);
    assert.equal(tokensB.issued(), 0);
    await windowA.cache.renew('k', tokensA.fetcher);
    await settle();
    assert.equal((await windowB.cache.peek('k'))?.accessToken, 'token-2');
    assert.ok(windowB.changes.includes('k'), 'window B was told');
    await clock.advance(55 * MINUTE - 1);
    assert.equal(tokensB.issued(), 0, 'window B renews on the adopted token\'s schedule');
  });

  it('forget() removes the token from memory and the store and stops renewing it', async () => {
    const clock = new FakeClock();
    const { cache, store } = newCache(clock);
    const tokens = tokenFactory(clock);
    await cache.get('k', tokens.fetcher);
    cache.keepFresh('k', tokens.fetcher);
    await cache.forget('k');
    assert.equal(await cache.peek('k'), undefined);
    assert.equal(store.entries.size, 0);
    await clock.advance(2 * HOUR);
    assert.equal(tokens.issued(), 1);
  });

  it('treats a damaged store entry as absent', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    await store.store('token:k', '{not json');
    const tokens = tokenFactory(clock);
    assert.equal((await newCache(clock, store).cache.get('k', tokens.fetcher)).accessToken, 'token-1');
  });
});
