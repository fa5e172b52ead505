/**
 * The status bar's countdown to token expiry: its label, its urgency, and when either next changes,
 * so the status bar wakes only when what it shows would change.
 */

export type Urgency = 'ok' | 'warning' | 'expired';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** '1h 05m', '42m', '37s', or 'expired'. Minutes and seconds are whole units left, rounded down. */
export function countdownLabel(remainingMs: number): string {
  if (remainingMs <= 0) {
    return 'expired';
  }
  if (remainingMs < MINUTE) {
    return `${Math.floor(remainingMs / SECOND)}s`;
  }
  if (remainingMs < HOUR) {
    return `${Math.floor(remainingMs / MINUTE)}m`;
  }
  const minutes = Math.floor((remainingMs % HOUR) / MINUTE);
  return `${Math.floor(remainingMs / HOUR)}h ${String(minutes).padStart(2, '0')}m`;
}

export function urgency(remainingMs: number, warnBelowMs: number): Urgency {
  if (remainingMs <= 0) {
    return 'expired';
  }
  return remainingMs <= warnBelowMs ? 'warning' : 'ok';
}

/**
 * Milliseconds until the label or the urgency changes, or undefined once expired (nothing changes after that).
 * The label shows whole units rounded down, so it changes just after the remainder of the unit has passed.
 */
export function msUntilDisplayChanges(remainingMs: number, warnBelowMs: number): number | undefined {
  if (remainingMs <= 0) {
    return undefined;
  }
  const unit = remainingMs < MINUTE ? SECOND : MINUTE;
  let wait = (remainingMs % unit) + 1;
  if (remainingMs > warnBelowMs) {
    wait = Math.min(wait, remainingMs - warnBelowMs);
  }
  return Math.min(wait, remainingMs);
}
