/** Where a JSON body breaks: exactly what JSON.parse refuses, at the place it breaks, and no recursion on deep nesting. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonSyntaxError } from '../../src/core/text/jsonSyntax';
import { fuzzRuns } from './helpers/fuzzSettings';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError: where a JSON text breaks', () => {
  it('property: accepts exactly what JSON.parse accepts, on JSON pieces and on valid JSON with one character changed', () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '"a"',
      '\\',
      '\\u00e9',
      '\\x',
      '1',
      '-',
      '0',
      '.5',
      'e',
      'E+',
      'true',
      'nul',
      'null',
      ' ',
      '\n',
      '\t',
      '\u0001',
      'é',
    );
    const mutated = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', '{', '}', ']', ',', '"', ':', '\\', 'x', '0')).map(([json, at, insert]) => {
      const index = at % (json.length + 1);
      return json.slice(0, index) + insert + json.slice(index + 1);
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(pieces, { maxLength: 20 }).map((parts) => parts.join('')),
          mutated,
          fc.json(),
        ),
        (text) => {
          const error = jsonSyntaxError(text);
          assert.equal(error === undefined, parses(text), JSON.stringify(text));
          if (error) {
            assert.ok(error.offset >= 0 && error.offset <= text.length);
          }
        },
      ),
      { numRuns: fuzzRuns(20_000) },
    );
  });

  it('points at where it breaks, and says why', () => {
    assert.deepEqual(jsonSyntaxError('{\n  "a": 1,\n  "b": \n}'), {
      offset: 20,
      message: 'A value (a string, number, object, array, true, false or null) was expected, not "}".',
    });
    assert.equal(jsonSyntaxError('{"a": 1,}')?.message, 'A property name in double quotes was expected, not "}".');
    assert.equal(jsonSyntaxError('[1, 2')?.offset, 5);
    assert.equal(jsonSyntaxError('"a\nb"')?.offset, 2);
  });

  it('a body nested 100,000 deep is checked without recursion', () => {
    assert.equal(jsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000)), undefined);
    assert.equal(jsonSyntaxError('['.repeat(100_000))?.offset, 100_000);
  });
});
