/**
 * Tokens cached in memory and in a persistent store (SecretStorage in VS Code), shared by every caller:
 * concurrent requests for the same key share one HTTP request, and the token in use is renewed before it expires.
 */
import type { Clock, Timer } from './clock';
import type { IssuedToken } from './token';

/** Where tokens outlive the window: a reload or another window reads them back. */
export interface TokenStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

export interface RenewalPolicy {
  readonly enabled: boolean;
  /** Renew this long before expiry. */
  readonly beforeExpiryMs: number;
}

export type TokenFetcher = () => Promise<IssuedToken>;

export interface TokenCacheEvents {
  /** A key's token was stored, renewed, adopted from another window or forgotten. */
  onDidChange(key: string): void;
  /** A scheduled renewal failed; the old token, if any, is still served. */
  onRenewalFailed(key: string, error: unknown, nextAttemptAt: number | undefined): void;
}

/** A token with less than this left is not handed out: it could expire on its way to the server. */
export const MIN_USEFUL_LIFETIME_MS = 30_000;
const RETRY_AFTER_FAILED_RENEWAL_MS = 30_000;
const MAX_RETRY_AFTER_FAILED_RENEWAL_MS = 5 * 60_000;

export function isUsable(token: IssuedToken | undefined, now: number): token is IssuedToken {
  return token !== undefined && token.expiresAt - now >= MIN_USEFUL_LIFETIME_MS;
}

interface Renewal {
  readonly key: string;
  readonly fetcher: TokenFetcher;
  timer?: Timer;
  failures: number;
}

export class TokenCache {
  private readonly memory = new Map<string, IssuedToken>();
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();
  /** The keys kept fresh, each with the fetcher that renews it. */
  private readonly renewals = new Map<string, Renewal>();

  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly policy: () => RenewalPolicy,
    private readonly events: TokenCacheEvents,
  ) {}

  /** A usable token for the key: from memory, then the store, else from the fetcher. */
  async get(key: string, fetcher: TokenFetcher): Promise<IssuedToken> {
    const cached = await this.peek(key);
    if (isUsable(cached, this.clock.now())) {
      return cached;
    }
    return this.fetch(key, fetcher);
  }

  /** A new token even if the cached one is still good. On failure the cached token stays. */
  renew(key: string, fetcher: TokenFetcher): Promise<IssuedToken> {
    return this.fetch(key, fetcher);
  }

  /** The latest token for the key, expired or not, without any request. */
  async peek(key: string): Promise<IssuedToken | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory) {
      return inMemory;
    }
    const stored = parseStored(await this.store.get(storeKey(key)));
    if (stored && !this.memory.has(key)) {
      this.memory.set(key, stored);
    }
    return this.memory.get(key);
  }

  async forget(key: string): Promise<void> {
    this.stopKeepingFresh(key);
    this.memory.delete(key);
    await this.store.delete(storeKey(key));
    this.events.onDidChange(key);
  }

  /** Keeps this key's token renewed before it expires, with the policy in force, while VS Code runs. */
  keepFresh(key: string, fetcher: TokenFetcher): void {
    this.stopKeepingFresh(key);
    const renewal: Renewal = { key, fetcher, failures: 0 };
    this.renewals.set(key, renewal);
    void this.scheduleRenewal(renewal);
  }

  /** Stops renewing this key, or every key when none is named. */
  stopKeepingFresh(key?: string): void {
    for (const renewal of key === undefined ? [...this.renewals.values()] : [this.renewals.get(key)]) {
      renewal?.timer?.cancel();
      if (renewal) {
        this.renewals.delete(renewal.key);
      }
    }
  }

  /** The renewal settings changed: reschedule with the new ones. */
  policyChanged(): void {
    for (const renewal of this.renewals.values()) {
      renewal.timer?.cancel();
      void this.scheduleRenewal(renewal);
    }
  }

  /** The store says another window changed this token: take its version. */
  async storeChanged(storeEntryKey: string): Promise<void> {
    const key = cacheKeyOf(storeEntryKey);
    if (key === undefined) {
      return;
    }
    const stored = parseStored(await this.store.get(storeEntryKey));
    const current = this.memory.get(key);
    if (stored?.accessToken === current?.accessToken) {
      return;
    }
    if (stored) {
      this.memory.set(key, stored);
    } else {
      this.memory.delete(key);
    }
    this.events.onDidChange(key);
    const renewal = this.renewals.get(key);
    if (renewal) {
      renewal.timer?.cancel();
      void this.scheduleRenewal(renewal);
    }
  }

  dispose(): void {
    this.stopKeepingFresh();
  }

  private fetch(key: string, fetcher: TokenFetcher): Promise<IssuedToken> {
    let request = this.inFlight.get(key);
    if (!request) {
      request = this.fetchAndStore(key, fetcher).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, request);
    }
    return request;
  }

  /** Stores a token obtained elsewhere, e.g. while verifying new credentials. */
  async put(key: string, token: IssuedToken): Promise<void> {
    this.memory.set(key, token);
    await this.store.store(storeKey(key), JSON.stringify(token));
    this.events.onDidChange(key);
    const renewal = this.renewals.get(key);
    if (renewal) {
      renewal.failures = 0;
      renewal.timer?.cancel();
      void this.scheduleRenewal(renewal);
    }
  }

  private async fetchAndStore(key: string, fetcher: TokenFetcher): Promise<IssuedToken> {
    const token = await fetcher();
    await this.put(key, token);
    return token;
  }

  private isCurrent(renewal: Renewal): boolean {
    return this.renewals.get(renewal.key) === renewal;
  }

  private async scheduleRenewal(renewal: Renewal): Promise<void> {
    if (!this.policy().enabled) {
      return;
    }
    const token = await this.peek(renewal.key);
    if (!this.isCurrent(renewal) || !token) {
      return;
    }
    const policy = this.policy();
    const due = token.expiresAt - policy.beforeExpiryMs;
    renewal.timer?.cancel();
    renewal.timer = this.clock.setTimeout(() => void this.renewNow(renewal), due - this.clock.now());
  }

  private async renewNow(renewal: Renewal): Promise<void> {
    if (!this.isCurrent(renewal)) {
      return;
    }
    // Another window may have renewed already: its token is in the store.
    await this.storeChanged(storeKey(renewal.key));
    const current = this.memory.get(renewal.key);
    if (current && current.expiresAt - this.policy().beforeExpiryMs > this.clock.now()) {
      void this.scheduleRenewal(renewal);
      return;
    }
    try {
      await this.fetch(renewal.key, renewal.fetcher);
    } catch (error) {
      if (!this.isCurrent(renewal)) {
        return;
      }
      renewal.failures++;
      const wait = Math.min(RETRY_AFTER_FAILED_RENEWAL_MS * 2 ** (renewal.failures - 1), MAX_RETRY_AFTER_FAILED_RENEWAL_MS);
      const next = this.clock.now() + wait;
      const stillValid = current !== undefined && next < current.expiresAt;
      this.events.onRenewalFailed(renewal.key, error, stillValid ? next : undefined);
      if (stillValid) {
        renewal.timer = this.clock.setTimeout(() => void this.renewNow(renewal), wait);
      }
    }
  }

}

const STORE_PREFIX = 'token:';

function storeKey(key: string): string {
  return STORE_PREFIX + key;
}

/** The cache key behind a store entry's key, or undefined when the entry is not a token. */
export function cacheKeyOf(storeEntryKey: string): string | undefined {
  return storeEntryKey.startsWith(STORE_PREFIX) ? storeEntryKey.slice(STORE_PREFIX.length) : undefined;
}

function parseStored(value: string | undefined): IssuedToken | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const token = JSON.parse(value) as Partial<IssuedToken>;
    if (typeof token.accessToken === 'string' && typeof token.expiresAt === 'number' && typeof token.receivedAt === 'number') {
      return {
        accessToken: token.accessToken,
        tokenType: typeof token.tokenType === 'string' ? token.tokenType : 'Bearer',
        scope: typeof token.scope === 'string' ? token.scope : undefined,
        receivedAt: token.receivedAt,
        expiresAt: token.expiresAt,
        ...(typeof token.refreshToken === 'string' ? { refreshToken: token.refreshToken } : {}),
        ...(typeof token.idToken === 'string' ? { idToken: token.idToken } : {}),
      };
    }
  } catch {
    // A damaged entry is treated as absent; the next fetch overwrites it.
  }
  return undefined;
}
