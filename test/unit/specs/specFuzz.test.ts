/**
 * Property-based tests (fast-check) of what a spec someone else wrote drives: generated bodies (any schema-like
 * value, cycles included) and the patterns the spec gives. No exception escapes; bodies stay small JSON.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { exampleFromSchema, MAX_BODY_CHARS } from '../../../src/core/specs/exampleBody';
import { safePattern } from '../../../src/core/specs/safePattern';
import type { Json, JsonObject } from '../../../src/core/specs/specModel';

const RUNS = { numRuns: fuzzRuns(150) };

const keyword = fc.constantFrom(
  'type',
  'properties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'minItems',
  'minLength',
  'maxLength',
  'enum',
  'example',
  'default',
  '$ref',
  'format',
  'minimum',
  'nullable',
);
const leaf = fc.oneof(
  fc.constantFrom<Json>(
    'object',
    'array',
    'string',
    'integer',
    'number',
    'boolean',
    'null',
    'date',
    'uuid',
    '#/definitions/A',
    '#/definitions/B',
    '#/nope',
    '#',
  ),
  fc.constantFrom<Json>(0, 1, -1, 1e9, 1e308, -1e308, 2 ** 53, 0.5),
  fc.constantFrom<Json>(['a', 'b'], [], true, false, null),
  fc.string({ maxLength: 8 }),
);
const { schema } = fc.letrec<{ schema: Json }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('schema'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(keyword, fc.constantFrom('a', 'b', 'c')), tie('schema'), { maxKeys: 6 }),
  ),
}));

/** Links some objects of `value` back to others (an ancestor or itself), as a dereferenced recursive schema is. */
function withCycles(value: Json, picks: readonly number[]): Json {
  const objects: JsonObject[] = [];
  const seen = new Set<object>();
  const collect = (each: Json) => {
    if (typeof each === 'object' && each !== null) {
      if (seen.has(each)) {
        return;
      }
      seen.add(each);
    }
    if (Array.isArray(each)) {
      each.forEach(collect);
    } else if (typeof each === 'object' && each !== null) {
      objects.push(each);
      Object.values(each).forEach(collect);
    }
  };
  collect(value);
  for (let index = 0; index + 1 < picks.length && objects.length > 0; index += 2) {
    const from = objects[picks[index] % objects.length];
    const to = objects[picks[index + 1] % objects.length];
    from[['properties', 'items', 'a', 'allOf'][picks[index] % 4]] = picks[index] % 3 === 0 ? [to, to] : to;
  }
  return value;
}

describe('specs: fuzzing what a spec drives', () => {
  it('body generation never throws and gives JSON of at most the size cap, for any schema-like value with cycles', () => {
    fc.assert(
      fc.property(schema, schema, fc.array(fc.nat(), { maxLength: 8 }), (root, definition, picks) => {
        const document = withCycles({ definitions: { A: definition, B: root } }, picks) as JsonObject;
        const value = exampleFromSchema(document, (document.definitions as JsonObject).B, { maxNodes: 2_000 });
        const text = JSON.stringify(value);
        assert.equal(typeof text, 'string');
        assert.ok(text.length <= MAX_BODY_CHARS, `${text.length} characters`);
      }),
      RUNS,
    );
  });

  it('safePattern never throws for any pattern string: a checker that answers (never throws) or a reason', () => {
    const token = fc.constantFrom(
      '(',
      ')',
      '(?:',
      '(?=',
      '(?<n>',
      '[',
      ']',
      '\\',
      '\\1',
      '\\k<n>',
      '\\u{41}',
      '\\p{L}',
      '*',
      '+',
      '?',
      '{2}',
      '{1,3}',
      '{2,}',
      '|',
      '^',
      '$',
      '.',
      'a',
      '\\d',
      '-',
    );
    const source = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(token, { maxLength: 24 }).map((parts) => parts.join('')),
      fc.string({ minLength: 250, maxLength: 300 }),
    );
    fc.assert(
      fc.property(source, fc.string({ maxLength: 40 }), (pattern, text) => {
        const result = safePattern(pattern);
        if ('test' in result) {
          assert.equal(typeof result.test(text), 'boolean');
          assert.equal(result.test('x'.repeat(1001)), false);
        } else {
          assert.ok(typeof result.reason === 'string' && result.reason.length > 0);
        }
      }),
      RUNS,
    );
  });
});
