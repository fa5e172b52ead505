/**
 * The bench's helper extension (heartbeatBench.ts installs it beside Fortellis Auth in code-server): from activation
 * it notes the time every 50 ms, as any extension's timer fires, and appends the times to FORTELLIS_HEARTBEAT_OUT
 * (one a line, ms since the epoch) four times a second. A gap between two beats longer than 50 ms is time the
 * extension host's one thread was busy: every extension waited that long.
 */
import { appendFile } from 'node:fs/promises';

const BEAT_MS = 50;
const FLUSH_MS = 250;

export function activate(): void {
  const out = process.env.FORTELLIS_HEARTBEAT_OUT;
  if (!out) {
    return;
  }
  let beats: number[] = [];
  setInterval(() => beats.push(performance.timeOrigin + performance.now()), BEAT_MS);
  setInterval(() => {
    const written = beats;
    beats = [];
    void appendFile(out, written.map((beat) => `${beat.toFixed(1)}\n`).join(''));
  }, FLUSH_MS);
}
