import type { Clock, Timer } from '../../src/core/tokens/clock';

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
      const fired = due;
      this.timers = this.timers.filter((t) => t !== fired);
      this.timerTime = fired.at;
      fired.callback();
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
