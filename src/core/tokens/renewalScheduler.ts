/**
 * Keeps the active profile's tokens fresh in the background: each slot is renewed when renewalDueAt says, rescheduled
 * whenever the cache reports a change, retried with backoff after a failure, and checked at once when the wall clock
 * jumps (sleep, a clock change). An app token is renewed by one window at a time (the lease); a refresh takes the lease
 * itself.
 */
import { isoTime, type Timer } from './clock';
import type { LifecycleDependencies } from './lifecycleDependencies';
import type { RenewalLease } from './renewalLease';
import { renewalDueAt } from './renewalSchedule';
import type { IssuedToken } from './token';
import type { TokenCache } from './tokenCache';
import { describeFailure } from './tokenErrors';
import type { Slot } from './tokenSlot';
import type { TokenSource } from './tokenSource';

interface Freshness {
  readonly slot: Slot;
  timer?: Timer;
  failures: number;
  /** When the last renewal failed, in elapsed time (Clock.elapsed): backoff is not stretched by clock changes. */
  lastFailureElapsed?: number;
  running: boolean;
}

export interface RenewalSchedulerParts extends Pick<LifecycleDependencies, 'clock' | 'settings' | 'log' | 'random' | 'wakeCheckMs'> {
  readonly cache: TokenCache;
  readonly source: TokenSource;
  readonly lease: RenewalLease;
  /** The clock jumped: after every renewal is rescheduled, the active state is published again. */
  readonly onClockJump: () => Promise<void>;
}

export class RenewalScheduler {
  private readonly fresh = new Map<string, Freshness>();
  private wakeTimer: Timer | undefined;
  private lastWakeCheck: { wall: number; elapsed: number } | undefined;
  private closed = false;
  /** This window's draw in [0, 1): spreads the windows' renewals apart. */
  private readonly jitter: number;

  constructor(private readonly parts: RenewalSchedulerParts) {
    this.jitter = (parts.random ?? Math.random)();
  }

  /** Keeps these slots fresh, and no others; none stops the renewals and the wall-clock watch. */
  follow(slots: readonly Slot[]): void {
    for (const freshness of this.fresh.values()) {
      freshness.timer?.cancel();
    }
    this.fresh.clear();
    for (const slot of slots) {
      const freshness: Freshness = { slot, failures: 0, running: false };
      this.fresh.set(slot.key, freshness);
      this.schedule(freshness);
    }
    if (slots.length > 0) {
      this.watchWallClock();
    } else {
      this.wakeTimer?.cancel();
    }
  }

  /** The renewal settings changed: reschedule with the new ones. */
  rescheduleAll(): void {
    for (const freshness of this.fresh.values()) {
      this.schedule(freshness);
    }
  }

  /** The cache changed a slot's token: a token this window wrote ends the failures in a row. */
  tokenChanged(key: string, written: boolean): void {
    const freshness = this.fresh.get(key);
    if (freshness && written) {
      freshness.failures = 0;
      freshness.lastFailureElapsed = undefined;
    }
    if (freshness) {
      this.schedule(freshness);
    }
  }

  /** The cache loaded a slot's first token: scheduled unless it already is. */
  tokenLoaded(key: string): void {
    const freshness = this.fresh.get(key);
    if (freshness && !freshness.timer) {
      this.schedule(freshness);
    }
  }

  dispose(): void {
    this.closed = true;
    this.follow([]);
  }

  private schedule(freshness: Freshness): void {
    freshness.timer?.cancel();
    freshness.timer = undefined;
    const token = this.parts.cache.held(freshness.slot.key);
    if (this.closed || !this.parts.settings.renewal().enabled || this.fresh.get(freshness.slot.key) !== freshness || !token) {
      return;
    }
    if (freshness.slot.subject === 'user' && !token.refreshToken) {
      return;
    }
    const due = this.dueAt(freshness, token);
    freshness.timer = this.parts.clock.setTimeout(() => void this.renewInBackground(freshness), due - this.parts.clock.now());
  }

  private dueAt(freshness: Freshness, token: IssuedToken): number {
    const now = this.parts.clock.now();
    const elapsed = this.parts.clock.elapsed();
    const since = (at: number | undefined) => (at === undefined ? undefined : elapsed - at);
    return renewalDueAt({
      token,
      now,
      beforeExpiryMs: this.parts.settings.renewal().beforeExpiryMs,
      sinceLastRequestMs: since(this.parts.source.lastRequestAt(freshness.slot.key)),
      jitter: this.jitter,
      failures: freshness.failures,
      sinceLastFailureMs: since(freshness.lastFailureElapsed),
    });
  }

  /** Never rejects: a failure is logged and the next attempt scheduled. */
  private async renewInBackground(freshness: Freshness): Promise<void> {
    const { slot } = freshness;
    const { cache, clock, lease, log } = this.parts;
    if (freshness.running || this.fresh.get(slot.key) !== freshness || this.closed) {
      return;
    }
    freshness.running = true;
    let leased = false;
    try {
      // Another window may have renewed already: its token is in the store.
      const current = await cache.latest(slot);
      if (!current || clock.now() < this.dueAt(freshness, current) || this.closed) {
        return;
      }
      if (slot.subject === 'user') {
        // A refresh takes (or waits for) the lease itself, as every refresh does.
        await this.parts.source.request(slot);
        return;
      }
      leased = await lease.take(slot.key);
      if (!leased) {
        // Another window is renewing this token; its result reaches this one through the store.
        freshness.lastFailureElapsed = clock.elapsed();
        freshness.failures = Math.max(freshness.failures, 1);
        return;
      }
      const again = await cache.latest(slot);
      if ((again && clock.now() < this.dueAt(freshness, again)) || this.closed) {
        return;
      }
      await this.parts.source.request(slot);
    } catch (error) {
      freshness.failures++;
      freshness.lastFailureElapsed = clock.elapsed();
      const token = cache.held(slot.key);
      const next = token && this.dueAt(freshness, token);
      log.warn(
        `Renewing the ${slot.subject === 'user' ? 'user ' : ''}token of "${slot.profile.name}" failed: ${describeFailure(error)} ${
          token && next !== undefined && next < token.expiresAt
            ? `Next attempt at ${isoTime(next)}; the current token is still served.`
            : `Next attempt at ${next === undefined ? 'the next request' : isoTime(next)}.`
        }`,
      );
    } finally {
      freshness.running = false;
      this.schedule(freshness);
      if (leased) {
        await lease.release(slot.key).catch((error: unknown) => log.warn(`Could not release the renewal lease: ${describeFailure(error)}`));
      }
    }
  }

  /**
   * Timers run on a clock that stops while the computer sleeps; expiry is on the wall clock. A jump between the two
   * (waking up, a clock change) reschedules every renewal and republishes the state at once.
   */
  private watchWallClock(): void {
    this.wakeTimer?.cancel();
    const { clock, log } = this.parts;
    const interval = this.parts.wakeCheckMs ?? 5_000;
    this.lastWakeCheck = { wall: clock.now(), elapsed: clock.elapsed() };
    const check = (): void => {
      const now = { wall: clock.now(), elapsed: clock.elapsed() };
      const last = this.lastWakeCheck ?? now;
      this.lastWakeCheck = now;
      // A clock change shows as the wall clock moving more or less than elapsed time; sleep shows as that, or as this
      // check firing late by the wall clock.
      const wallMoved = now.wall - last.wall;
      const changed = wallMoved - (now.elapsed - last.elapsed);
      const late = wallMoved - interval;
      const drift = Math.abs(changed) > Math.abs(late) ? changed : late;
      if (Math.abs(drift) > Math.max(2_000, interval)) {
        log.info(`The clock jumped by ${Math.round(drift / 1000)} s (sleep or a clock change): checking the tokens now.`);
        this.rescheduleAll();
        this.parts.onClockJump().catch((error: unknown) => log.warn(`Could not update after the clock jump: ${describeFailure(error)}`));
      }
      if (!this.closed && this.fresh.size > 0) {
        this.wakeTimer = clock.setTimeout(check, interval);
      }
    };
    this.wakeTimer = clock.setTimeout(check, interval);
  }
}
