/**
 * httpyac's templates found in linear time: the same matches as its regular expressions (VARIABLE, ESCAPED_VARIABLE),
 * on any text of braces, spaces, line breaks, backslashes and surrogates.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ESCAPED_VARIABLE, VARIABLE } from '../../src/core/text/httpFileText';
import { escapedVariableMatches, variableMatches } from '../../src/core/text/httpTemplates';
import { fuzzRuns } from './helpers/fuzzSettings';

const RUNS = { numRuns: fuzzRuns(20_000) };
const text = fc
  .array(fc.constantFrom('{', '}', '{{', '}}', '\\{', '\\}', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', 'a', '$', '😀', '\ud800'), { maxLength: 16 })
  .map((pieces) => pieces.join(''));

function regexMatches(pattern: RegExp, value: string) {
  return [...value.matchAll(new RegExp(pattern.source, 'gu'))].map((match) => ({ start: match.index, end: match.index + match[0].length, inner: match[1] }));
}

describe('httpTemplates: httpyac templates in linear time', () => {
  it('property: variableMatches gives what VARIABLE matches', () => {
    fc.assert(
      fc.property(text, (value) => assert.deepEqual(variableMatches(value), regexMatches(VARIABLE, value))),
      RUNS,
    );
  });

  it('property: escapedVariableMatches gives what ESCAPED_VARIABLE matches', () => {
    fc.assert(
      fc.property(text, (value) => assert.deepEqual(escapedVariableMatches(value), regexMatches(ESCAPED_VARIABLE, value))),
      RUNS,
    );
  });

  it('finds the templates in megabytes of braces without backtracking (the regular expressions take minutes)', () => {
    const braces = '{{'.repeat(1_000_000);
    assert.deepEqual(variableMatches(`${braces}a}}`), [{ start: 0, end: 2_000_003, inner: `${braces.slice(2)}a` }]);
    assert.deepEqual(variableMatches(`${'{{a}'.repeat(500_000)}\nb}}`), []);
    assert.deepEqual(escapedVariableMatches('\\{'.repeat(1_000_000)), []);
  });
});
