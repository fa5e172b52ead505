/**
 * Which window renews a token: best effort across windows, as the store has no compare-and-set. A lease is written,
 * then read back a moment later; another window's write in that moment wins.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, delay } from './clock';
import type { SecretStore } from './lifecycleDependencies';

/** A lease outlives the longest token request by this much. */
const LEASE_MARGIN_MS = 30_000;
/** Between writing the lease and reading it back: another window's write in that time wins. */
const LEASE_SETTLE_MS = 500;
const LEASE_PREFIX = 'lease:';

export class RenewalLease {
  private readonly windowId = randomUUID();
  private closed = false;

  constructor(
    private readonly store: SecretStore,
    private readonly clock: Clock,
    /** The longest a token request takes: every attempt timing out, and the waits between them. */
    private readonly longestRequestMs: () => number,
  ) {}

  /** Whether this window holds the slot's lease now. */
  async take(key: string): Promise<boolean> {
    const leaseKey = LEASE_PREFIX + key;
    const existing = parseLease(await this.store.get(leaseKey));
    if (existing && existing.owner !== this.windowId && this.running(existing.until)) {
      return false;
    }
    await this.store.store(leaseKey, JSON.stringify({ owner: this.windowId, until: this.clock.now() + this.leaseMs() }));
    await delay(this.clock, LEASE_SETTLE_MS);
    return !this.closed && parseLease(await this.store.get(leaseKey))?.owner === this.windowId;
  }

  async release(key: string): Promise<void> {
    const leaseKey = LEASE_PREFIX + key;
    if (parseLease(await this.store.get(leaseKey))?.owner === this.windowId) {
      await this.store.delete(leaseKey);
    }
  }

  dispose(): void {
    this.closed = true;
  }

  /**
   * Whether another window's lease still runs. One that ends further ahead than any lease lasts was stamped before the
   * wall clock was set back: its window would have released it by now, so it is taken over.
   */
  private running(until: number): boolean {
    const now = this.clock.now();
    return until > now && until <= now + this.leaseMs();
  }

  private leaseMs(): number {
    return this.longestRequestMs() + LEASE_MARGIN_MS;
  }
}

function parseLease(value: string | undefined): { owner: string; until: number } | undefined {
  try {
    const lease = value ? (JSON.parse(value) as { owner?: unknown; until?: unknown }) : undefined;
    return lease && typeof lease.owner === 'string' && typeof lease.until === 'number' ? { owner: lease.owner, until: lease.until } : undefined;
  } catch {
    return undefined;
  }
}
