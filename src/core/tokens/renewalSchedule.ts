/**
 * When a token is renewed: before it expires, never in a loop, and not at the same moment in every window.
 * Pure functions of the token, the settings and the clock, so property tests can check every case.
 */
import { type IssuedToken, stampedInTheFuture } from './token';

export interface RenewalPolicy {
  readonly enabled: boolean;
  /** The "fortellis.tokenRenewal.secondsBeforeExpiry" setting, in ms (clamped). */
  readonly beforeExpiryMs: number;
}

/** Renewal starts at least this long before expiry. */
export const MIN_LEAD_MS = 10_000;
/** Background renewals of one token are at least this far apart, whatever the token's lifetime or the settings. */
export const MIN_REQUEST_INTERVAL_MS = 30_000;
/** Windows spread their renewals over up to this much (a quarter of the lead at most). */
export const MAX_JITTER_MS = 30_000;
/** Waits after failed renewals: 30 s, doubling, at most 5 min. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 5 * 60_000;

type Lifetime = Pick<IssuedToken, 'receivedAt' | 'expiresAt'>;

/**
 * How long before expiry renewal starts: the setting, but at most half the token's lifetime (a 120 s token with the
 * default 300 s would otherwise be due before it arrived) and at least 10 s.
 */
export function effectiveLeadMs(token: Lifetime, beforeExpiryMs: number): number {
  const lifetime = Math.max(0, token.expiresAt - token.receivedAt);
  return Math.max(Math.min(beforeExpiryMs, lifetime / 2), MIN_LEAD_MS);
}

export interface RenewalInput {
  readonly token: Lifetime;
  /** The wall clock now (the clock the token's stamps are in). */
  readonly now: number;
  readonly beforeExpiryMs: number;
  /**
   * Elapsed time since this window last asked for this token, if it has (on the clock timers run on, which clock
   * changes do not move). The token's receivedAt counts as well (any window's), on the wall clock.
   */
  readonly sinceLastRequestMs: number | undefined;
  /** This window's draw in [0, 1): spreads windows apart. */
  readonly jitter: number;
  /** Failed renewals since the last success. */
  readonly failures: number;
  /** Elapsed time since the last renewal failed, if it did (the clock timers run on). */
  readonly sinceLastFailureMs: number | undefined;
}

/**
 * The wall-clock moment a background renewal is due. Never earlier than 30 s after the previous request for the token,
 * and after a failure never more than one backoff step after it: the waits are measured in elapsed time, so a clock set
 * back or forward neither stretches nor skips them.
 */
export function renewalDueAt(input: RenewalInput): number {
  const { token, now } = input;
  const lead = effectiveLeadMs(token, Number.isFinite(input.beforeExpiryMs) ? input.beforeExpiryMs : MIN_LEAD_MS);
  const spread = Math.min(lead / 4, MAX_JITTER_MS) * clampUnit(input.jitter);
  // A token stamped by a clock that was ahead and has been set back is not trusted: it is due now (its replacement is
  // stamped by the clock as it is now), and its receivedAt says nothing of when it was asked for. The floor and the
  // backoff still hold, so windows that see it at once do not spin.
  const stampedAhead = stampedInTheFuture(token, now);
  const due = stampedAhead ? now : token.expiresAt - lead - spread;
  // A receivedAt a little ahead of now (a clock set back less than that) counts as now.
  const received = stampedAhead ? Number.NEGATIVE_INFINITY : Math.min(token.receivedAt, now);
  const lastRequest = Math.max(received, now - elapsedSince(input.sinceLastRequestMs));
  const retry =
    input.failures > 0 && input.sinceLastFailureMs !== undefined
      ? now - elapsedSince(input.sinceLastFailureMs) + retryWaitMs(input.failures)
      : Number.NEGATIVE_INFINITY;
  const floor = lastRequest + MIN_REQUEST_INTERVAL_MS;
  const dueAt = Math.max(due, floor, retry);
  return Number.isFinite(dueAt) ? dueAt : Number.isFinite(floor) ? floor : token.expiresAt;
}

/** The wait after the n-th failure in a row (n ≥ 1). */
export function retryWaitMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(failures - 1, 10)), MAX_RETRY_MS);
}

/** Elapsed time is never negative; unknown counts as long ago. */
function elapsedSince(ms: number | undefined): number {
  return ms === undefined || Number.isNaN(ms) ? Number.POSITIVE_INFINITY : Math.max(0, ms);
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 0.999) : 0;
}
