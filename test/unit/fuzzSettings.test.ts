import assert from 'node:assert/strict';
import { CI_SEED, fuzzSettings, replayCommand } from './helpers/fuzzSettings';

describe('fast-check seeds and runs (test/unit/helpers/fuzzSettings.ts)', () => {
  it('CI=true fixes the seed, so a CI run cannot fail by chance', () => {
    assert.deepEqual(
      fuzzSettings({ CI: 'true' }, () => 0.5),
      { seed: CI_SEED, source: 'CI', runs: undefined },
    );
  });

  it('elsewhere each run draws its own seed, and FUZZ_SEED replays one, under CI too', () => {
    assert.deepEqual(
      fuzzSettings({}, () => 0.25),
      { seed: 2 ** 29, source: 'random', runs: undefined },
    );
    assert.notEqual(fuzzSettings({}, () => 0.25).seed, fuzzSettings({}, () => 0.75).seed);
    assert.deepEqual(fuzzSettings({ CI: 'true', FUZZ_SEED: '521234962' }), { seed: 521234962, source: 'FUZZ_SEED', runs: undefined });
  });

  it('FUZZ_RUNS sets every property’s runs; a value that is not a whole number of 1 or more is refused by name', () => {
    assert.equal(fuzzSettings({ FUZZ_RUNS: '50000' }).runs, 50000);
    assert.throws(() => fuzzSettings({ FUZZ_RUNS: '0' }), /FUZZ_RUNS must be 1 or more/);
    assert.throws(() => fuzzSettings({ FUZZ_RUNS: 'lots' }), /FUZZ_RUNS must be a whole number/);
    assert.throws(() => fuzzSettings({ FUZZ_SEED: '1.5' }), /FUZZ_SEED must be a whole number/);
  });

  it('the replay command names the seed and the test, quoted for the shell', () => {
    assert.equal(replayCommand(7, 'a "quoted" $title'), 'FUZZ_SEED=7 npm run test:unit -- --grep "a \\"quoted\\" \\$title"');
  });
});
