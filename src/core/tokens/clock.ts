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
