/**
 * Every slot's token, in this window's memory and in the shared store, where each window reads the others' tokens.
 * Every token that enters is accepted here first (redacted from then on, its lifetime capped), and each change is
 * reported to the listener the lifecycle gives it (renewal reschedules, listeners hear, the active state republishes).
 */
import type { LifecycleDependencies } from './lifecycleDependencies';
import { isB64Token, type IssuedToken, isUsable, MAX_LIFETIME_SECONDS } from './token';
import { messageOf } from '../text/errorMessage';
import type { Slot } from './tokenSlot';

const TOKEN_PREFIX = 'token:';

export interface TokenCacheEvents {
  /** A slot's token was written by this window (`written`), or changed otherwise (removed, adopted, another window's). */
  changed(key: string, written: boolean): Promise<void>;
  /** A token was loaded from the store into memory without being a change (the first read of a slot). */
  loaded(key: string): void;
}

export class TokenCache {
  private readonly memory = new Map<string, IssuedToken>();
  /** Bumped by every removal of a slot: a request that started before it must not write its token back. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly deps: Pick<LifecycleDependencies, 'store' | 'clock' | 'redactor' | 'log'>,
    private readonly events: TokenCacheEvents,
  ) {}

  /** This window's token for the slot, without reading the store. */
  held(key: string): IssuedToken | undefined {
    return this.memory.get(key);
  }

  generation(key: string): number {
    return this.generations.get(key) ?? 0;
  }

  /** The slot's token from memory, else from the store; the store's when it is newer (another window renewed). */
  async latest(slot: Slot): Promise<IssuedToken | undefined> {
    const inMemory = this.memory.get(slot.key);
    if (inMemory && isUsable(inMemory, this.deps.clock.now())) {
      return inMemory;
    }
    const stored = await this.readStored(slot.key);
    if (stored && (!inMemory || stored.receivedAt >= inMemory.receivedAt)) {
      if (stored.accessToken !== inMemory?.accessToken) {
        this.memory.set(slot.key, stored);
        await this.events.changed(slot.key, false);
      }
      return stored;
    }
    return inMemory;
  }

  /** The cached token if it is still usable. */
  async usable(slot: Slot): Promise<IssuedToken | undefined> {
    const cached = await this.latest(slot);
    return cached && isUsable(cached, this.deps.clock.now()) ? cached : undefined;
  }

  /** The newer of this window's token and the store's (a store write may have failed; another window may have renewed). */
  async newest(slot: Slot): Promise<IssuedToken | undefined> {
    const inMemory = this.memory.get(slot.key);
    const stored = await this.readStored(slot.key);
    return stored && (!inMemory || stored.receivedAt >= inMemory.receivedAt) ? stored : inMemory;
  }

  async write(slot: Slot, token: IssuedToken): Promise<void> {
    this.memory.set(slot.key, token);
    try {
      await this.deps.store.store(TOKEN_PREFIX + slot.key, JSON.stringify(token));
    } catch (error) {
      // The token is still good in this window; the next write stores it again.
      this.deps.log.error(`Could not store the token of "${slot.profile.name}" in the secret storage: ${messageOf(error)}`);
    }
    await this.events.changed(slot.key, true);
  }

  async remove(slot: Slot): Promise<void> {
    this.generations.set(slot.key, this.generation(slot.key) + 1);
    this.memory.delete(slot.key);
    await this.deps.store.delete(TOKEN_PREFIX + slot.key);
    await this.events.changed(slot.key, false);
  }

  /** Takes another window's token (read from the store) as this window's. */
  async adopt(key: string, token: IssuedToken): Promise<void> {
    if (this.memory.get(key)?.accessToken !== token.accessToken) {
      this.memory.set(key, token);
      await this.events.changed(key, false);
    }
  }

  /** This window's token, else the store's, kept in memory from then on. */
  async load(slot: Slot): Promise<IssuedToken | undefined> {
    const stored = await this.readStored(slot.key);
    if (stored && !this.memory.has(slot.key)) {
      this.memory.set(slot.key, stored);
      this.events.loaded(slot.key);
    }
    return this.memory.get(slot.key);
  }

  /** The shared store changed, possibly in another window. */
  async storeChanged(storeKey: string): Promise<void> {
    if (!storeKey.startsWith(TOKEN_PREFIX)) {
      return;
    }
    const key = storeKey.slice(TOKEN_PREFIX.length);
    const stored = await this.readStored(key);
    const current = this.memory.get(key);
    if (stored?.accessToken === current?.accessToken && stored?.refreshToken === current?.refreshToken) {
      return;
    }
    if (stored) {
      this.memory.set(key, stored);
    } else {
      this.memory.delete(key);
    }
    await this.events.changed(key, false);
  }

  async readStored(key: string): Promise<IssuedToken | undefined> {
    const token = parseStored(await this.deps.store.get(TOKEN_PREFIX + key));
    return token && this.accept(token);
  }

  /** Every token that enters: redacted from then on, and its lifetime capped at 24 h. */
  accept(token: IssuedToken): IssuedToken {
    this.deps.redactor.add(token.accessToken, token.refreshToken, token.idToken);
    const lifetime = token.expiresAt - token.receivedAt;
    if (lifetime > MAX_LIFETIME_SECONDS * 1000) {
      this.deps.log.warn(
        `The server said the token lives ${Math.round(lifetime / 1000)} s; it is treated as living ${MAX_LIFETIME_SECONDS} s (24 h), the most the extension believes, so it is still renewed.`,
      );
      return { ...token, expiresAt: token.receivedAt + MAX_LIFETIME_SECONDS * 1000 };
    }
    return token;
  }
}

/** A stored token, or undefined for a missing or damaged entry (the next request overwrites it). */
function parseStored(value: string | undefined): IssuedToken | undefined {
  if (!value) {
    return undefined;
  }
  try {
    const token = JSON.parse(value) as Record<string, unknown>;
    const { accessToken, expiresAt, receivedAt } = token;
    // Tokens are checked where they are accepted; one stored by an older version was not, so it is checked again here.
    const storedTokensValid = [accessToken, token.refreshToken, token.idToken].every((value) => typeof value !== 'string' || isB64Token(value));
    if (typeof accessToken === 'string' && storedTokensValid && isFiniteNumber(expiresAt) && isFiniteNumber(receivedAt)) {
      return {
        accessToken,
        tokenType: typeof token.tokenType === 'string' ? token.tokenType : 'Bearer',
        scope: typeof token.scope === 'string' ? token.scope : undefined,
        receivedAt,
        expiresAt,
        ...(typeof token.refreshToken === 'string' ? { refreshToken: token.refreshToken } : {}),
        ...(typeof token.idToken === 'string' ? { idToken: token.idToken } : {}),
      };
    }
  } catch {
    // A damaged entry is treated as absent.
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
