import type { Clock, Timer } from '../../../src/core/tokens/clock';

/** More timers than any honest use fires in one advance (a renewal every 30 s for a day is about 3,000). */
const MAX_TIMERS_PER_ADVANCE = 100_000;

/**
 * A clock that only moves when told to, firing due timers in order. Like the real one, timers run on a clock that
 * does not see sleep or clock changes (`jump` moves the wall clock alone, as waking a laptop does).
 */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 0;
  /** Timer time; the wall clock is this plus `offset`. */
  private timerTime = 0;
  private offset: number;

  constructor(start = Date.UTC(2026, 10, 22, 9, 0, 0)) {
    this.offset = start;
  }

  now(): number {
    return this.timerTime + this.offset;
  }

  elapsed(): number {
    return this.timerTime;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer = { at: this.timerTime + Math.max(0, Number.isFinite(ms) ? ms : 0), callback, id: this.nextId++ };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** The wall clock jumps (sleep, a clock change); pending timers keep their own time. */
  jump(ms: number): void {
    this.offset += ms;
  }

  /** Moves time forward, firing each timer that falls due at its own moment, and lets promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.timerTime + ms;
    let fired = 0;
    for (;;) {
      await settle();
      let due: (typeof this.timers)[number] | undefined;
      for (const timer of this.timers) {
        if (timer.at <= end && (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) {
          due = timer;
        }
      }
      if (!due) {
        break;
      }
      const next = due;
      this.timers = this.timers.filter((t) => t !== next);
      this.timerTime = next.at;
      // A timer that keeps setting itself for now would spin the real event loop as it spins this one.
      if (++fired > MAX_TIMERS_PER_ADVANCE) {
        throw new Error(`Timer storm: over ${MAX_TIMERS_PER_ADVANCE} timers fired within ${ms} ms (${this.timers.length} pending)`);
      }
      next.callback();
    }
    this.timerTime = end;
    await settle();
  }
}

/** Lets pending promise callbacks (and I/O callbacks queued behind them) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
