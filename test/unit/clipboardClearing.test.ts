/**
 * Copy Token clears the clipboard after fortellis.copyToken.clearAfterSeconds, but only if it still holds that token:
 * what the user copied since is never touched. 0 keeps the token. Driven by the fake clock, no waiting.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { FakeClock } from './helpers/fakeClock';
import { ClipboardClearing, clipboardClearingNote, type Clipboard } from '../../src/core/tokens/clipboardClearing';

class MemoryClipboard implements Clipboard {
  text = '';
  reads = 0;
  async readText(): Promise<string> {
    this.reads++;
    return this.text;
  }
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
}

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl';

function copy(clearing: ClipboardClearing, clipboard: MemoryClipboard, token: string, seconds: number): void {
  clipboard.text = token;
  clearing.copied(token, seconds);
}

describe('Copy Token clears the clipboard after a while, if it still holds the token', () => {
  it('clears it exactly when the time is up, not before', async () => {
    const clock = new FakeClock();
    const clipboard = new MemoryClipboard();
    const clearing = new ClipboardClearing(clipboard, clock, assert.fail);
    copy(clearing, clipboard, TOKEN, 60);
    await clock.advance(59_999);
    assert.equal(clipboard.text, TOKEN);
    await clock.advance(1);
    assert.equal(clipboard.text, '');
  });

  it('leaves what the user copied since', async () => {
    const clock = new FakeClock();
    const clipboard = new MemoryClipboard();
    const clearing = new ClipboardClearing(clipboard, clock, assert.fail);
    copy(clearing, clipboard, TOKEN, 60);
    await clock.advance(10_000);
    clipboard.text = 'the user copied this';
    await clock.advance(60_000);
    assert.equal(clipboard.text, 'the user copied this');
    assert.equal(clipboard.reads, 1, 'the clipboard was read back once, at the time');
  });

  it('0 keeps the token: no timer, the clipboard is never read', async () => {
    const clock = new FakeClock();
    const clipboard = new MemoryClipboard();
    const clearing = new ClipboardClearing(clipboard, clock, assert.fail);
    copy(clearing, clipboard, TOKEN, 0);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(24 * 3600_000);
    assert.equal(clipboard.text, TOKEN);
    assert.equal(clipboard.reads, 0);
  });

  it('a second copy starts the wait again; dispose() cancels it', async () => {
    const clock = new FakeClock();
    const clipboard = new MemoryClipboard();
    const clearing = new ClipboardClearing(clipboard, clock, assert.fail);
    copy(clearing, clipboard, TOKEN, 60);
    await clock.advance(30_000);
    copy(clearing, clipboard, TOKEN, 60);
    await clock.advance(59_000);
    assert.equal(clipboard.text, TOKEN, 'not cleared 60 s after the first copy');
    await clock.advance(1_000);
    assert.equal(clipboard.text, '');
    copy(clearing, clipboard, TOKEN, 60);
    clearing.dispose();
    assert.equal(clock.pendingTimers, 0);
  });

  it('a clipboard that cannot be read is reported, not thrown', async () => {
    const clock = new FakeClock();
    const problems: string[] = [];
    const clipboard: Clipboard = { readText: () => Promise.reject(new Error('no clipboard here')), writeText: () => Promise.resolve() };
    new ClipboardClearing(clipboard, clock, (message) => problems.push(message)).copied(TOKEN, 5);
    await clock.advance(5_000);
    assert.deepEqual(problems, ['Could not clear the copied token from the clipboard (no clipboard here).']);
  });

  it('the toast says when the clipboard is cleared, or nothing when it is kept', () => {
    assert.equal(clipboardClearingNote(60), '; the clipboard is cleared in 60 s');
    assert.equal(clipboardClearingNote(0), '');
  });

  it('any sequence of copies, other copies and waits: cleared only when the last copy of the token is the setting old and still on the clipboard', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('copy' as const), seconds: fc.constantFrom(0, 1, 5, 60) }),
      fc.record({ kind: fc.constant('other' as const) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 70_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const clock = new FakeClock();
        const clipboard = new MemoryClipboard();
        const clearing = new ClipboardClearing(clipboard, clock, assert.fail);
        // The model: when the clipboard is due to be cleared (the last copy's time plus its setting), if at all.
        let due: number | undefined;
        let now = 0;
        for (const [index, action] of steps.entries()) {
          const token = `${TOKEN}-${index}`;
          if (action.kind === 'copy') {
            copy(clearing, clipboard, token, action.seconds);
            due = action.seconds > 0 ? now + action.seconds * 1000 : undefined;
          } else if (action.kind === 'other') {
            clipboard.text = `other-${index}`;
          } else {
            const before = clipboard.text;
            await clock.advance(action.ms);
            now += action.ms;
            const shouldClear = due !== undefined && due <= now && before.startsWith(TOKEN);
            assert.equal(clipboard.text, shouldClear ? '' : before);
            if (due !== undefined && due <= now) {
              due = undefined;
            }
          }
        }
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
