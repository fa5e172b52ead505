import assert from 'node:assert/strict';
import { countdownLabel, msUntilDisplayChanges, urgency } from '../../src/core/tokens/countdown';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('countdown', () => {
  it('labels whole units left, rounded down', () => {
    assert.equal(countdownLabel(H + 5 * M + 59 * S), '1h 05m');
    assert.equal(countdownLabel(H), '1h 00m');
    assert.equal(countdownLabel(H - 1), '59m');
    assert.equal(countdownLabel(42 * M + 30 * S), '42m');
    assert.equal(countdownLabel(M), '1m');
    assert.equal(countdownLabel(M - 1), '59s');
    assert.equal(countdownLabel(37 * S + 999), '37s');
    assert.equal(countdownLabel(999), '0s');
    assert.equal(countdownLabel(0), 'expired');
    assert.equal(countdownLabel(-5 * M), 'expired');
  });

  it('warns within the warning window and marks expiry', () => {
    assert.equal(urgency(10 * M, 5 * M), 'ok');
    assert.equal(urgency(5 * M, 5 * M), 'warning');
    assert.equal(urgency(1, 5 * M), 'warning');
    assert.equal(urgency(0, 5 * M), 'expired');
  });

  it('wakes exactly when the label or the colour changes: once a minute, then once a second', () => {
    const warnBelow = 5 * M;
    let remaining = H;
    let previous = `${countdownLabel(remaining)}|${urgency(remaining, warnBelow)}`;
    let wakes = 0;
    let wakesWithoutChange = 0;
    for (;;) {
      const wait = msUntilDisplayChanges(remaining, warnBelow);
      if (wait === undefined) {
        break;
      }
      assert.ok(wait > 0);
      remaining -= wait;
      wakes++;
      const shown = `${countdownLabel(remaining)}|${urgency(remaining, warnBelow)}`;
      if (shown === previous) {
        wakesWithoutChange++;
      }
      previous = shown;
    }
    assert.equal(previous, 'expired|expired');
    // 1h 00m → 59m … 1m: 59 minute changes; the warning colour at 5m; 59s … 0s: 60 second changes; then 'expired'.
    assert.equal(wakes, 59 + 1 + 60 + 1);
    assert.equal(wakesWithoutChange, 0);
  });

  it('stops waking once expired', () => {
    assert.equal(msUntilDisplayChanges(0, 5 * M), undefined);
  });
});
