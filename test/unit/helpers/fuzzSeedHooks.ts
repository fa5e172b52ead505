/**
 * Mocha root hooks for the unit layer (loaded by test/unit/.mocharc.json): every fast-check property runs with the
 * run's seed (fuzzSettings.ts), and a failed property prints the command that replays it.
 */
import fc from 'fast-check';
import type { Context } from 'mocha';
import { fuzzSettings, replayCommand } from './fuzzSettings';

const settings = fuzzSettings();
fc.configureGlobal({ seed: settings.seed, ...(settings.runs !== undefined && { numRuns: settings.runs }) });

export const mochaHooks = {
  beforeAll(): void {
    const runs = settings.runs === undefined ? '' : `, FUZZ_RUNS=${settings.runs}`;
    console.log(`  fast-check seed ${settings.seed} (${settings.source}${runs})`);
  },
  afterEach(this: Context): void {
    const test = this.currentTest;
    const error = (test as { err?: Error } | undefined)?.err;
    if (test?.state === 'failed' && error && /Property failed/.test(error.message)) {
      console.log(`\n  A property failed with seed ${settings.seed}. Replay it with:\n    ${replayCommand(settings.seed, test.fullTitle())}\n`);
    }
  },
};
