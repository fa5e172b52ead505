import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { clampSetting, NUMERIC_SETTINGS, type NumericSetting } from '../../src/core/settings/numericSettings';

describe('numeric settings', () => {
  const names = Object.keys(NUMERIC_SETTINGS) as NumericSetting[];

  it('always come out as whole numbers within their limits, whatever settings.json holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined), fc.boolean()),
        (name, value) => {
          const clamped = clampSetting(name, value);
          const { minimum, maximum } = NUMERIC_SETTINGS[name];
          return Number.isInteger(clamped) && clamped >= minimum && clamped <= maximum;
        },
      ),
      { numRuns: fuzzRuns(2000) },
    );
  });

  it('keep a value within limits, use the nearest limit outside them, and the default for what is not a number', () => {
    assert.equal(clampSetting('tokenRenewal.secondsBeforeExpiry', 600), 600);
    assert.equal(clampSetting('tokenRenewal.secondsBeforeExpiry', 4000), 3000);
    assert.equal(clampSetting('tokenRenewal.secondsBeforeExpiry', -5), 30);
    assert.equal(clampSetting('tokenRenewal.secondsBeforeExpiry', '4000'), 300);
    assert.equal(clampSetting('http.timeoutSeconds', Number.NaN), 30);
    assert.equal(clampSetting('signIn.timeoutSeconds', Infinity), 300);
  });
});
