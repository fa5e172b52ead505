/** Time, injectable so that expiry and renewal can be tested without waiting. */
export interface Clock {
  /** The wall clock, in ms since the epoch: what tokens' expiry is stamped in. It can jump (sleep, a clock change). */
  now(): number;
  /**
   * Elapsed time, in ms from an arbitrary origin: the clock timers run on. It never goes back and does not see clock
   * changes, so waits between attempts (backoff, the 30 s floor) are measured on it.
   */
  elapsed(): number;
  setTimeout(callback: () => void, ms: number): Timer;
}

export interface Timer {
  cancel(): void;
}

/** setTimeout's delay is a signed 32-bit number of ms; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  elapsed: () => performance.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Resolves after `ms` on the clock's timers. */
export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
}

/** A wall-clock moment as the log shows it (the number itself if it is no date). */
export function isoTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? String(epochMs) : date.toISOString();
}
