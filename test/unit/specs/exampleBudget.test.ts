/**
 * Bodies generated from a spec someone else wrote: a recursive or exploding schema, or one asking for a billion
 * characters, gives a small JSON value within a budget (nodes, depth, size), never an exception.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { exampleFromSchema, requestBodyText, MAX_BODY_CHARS } from '../../../src/core/specs/exampleBody';
import type { Json, JsonObject } from '../../../src/core/specs/specModel';

/** How many values (objects, arrays, leaves) a JSON value holds. */
function nodes(value: unknown): number {
  if (Array.isArray(value)) {
    return 1 + value.reduce((sum: number, each) => sum + nodes(each), 0);
  }
  if (typeof value === 'object' && value !== null) {
    return 1 + Object.values(value).reduce((sum: number, each) => sum + nodes(each), 0);
  }
  return 1;
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

function eightWay(): JsonObject {
  const document: JsonObject = {
    definitions: { A: { type: 'object', required: KEYS, properties: Object.fromEntries(KEYS.map((key) => [key, { $ref: '#/definitions/A' }])) } },
  };
  return document;
}

describe('specs: generated bodies stay small', () => {
  it('a schema requiring 8 properties that are each itself ($ref) gives a small JSON value, the cycle cut with null', () => {
    const document = eightWay();
    const value = exampleFromSchema(document, { $ref: '#/definitions/A' });
    assert.deepEqual(value, Object.fromEntries(KEYS.map((key) => [key, null])));
  });

  it('the same as an object graph that contains itself (dereferenced): no infinite expansion', () => {
    const a: JsonObject = { type: 'object', required: KEYS, properties: {} };
    for (const key of KEYS) {
      (a.properties as JsonObject)[key] = a;
    }
    const text = JSON.stringify(exampleFromSchema({}, a));
    assert.ok(text.length < MAX_BODY_CHARS);
    assert.deepEqual(JSON.parse(text), Object.fromEntries(KEYS.map((key) => [key, null])));
  });

  it('an exploding but acyclic schema (8 distinct levels of 8 required properties) keeps to the node budget', () => {
    const document: JsonObject = { definitions: {} };
    for (let level = 0; level < 10; level++) {
      (document.definitions as JsonObject)[`L${level}`] = {
        type: 'object',
        required: KEYS,
        properties: Object.fromEntries(KEYS.map((key): [string, Json] => [key, level === 9 ? { type: 'string' } : { $ref: `#/definitions/L${level + 1}` }])),
      };
    }
    const value = exampleFromSchema(document, { $ref: '#/definitions/L0' }, { maxNodes: 100 });
    assert.ok(nodes(value) <= 100, `${nodes(value)} nodes`);
    const unbounded = exampleFromSchema(document, { $ref: '#/definitions/L0' });
    assert.ok(JSON.stringify(unbounded).length <= MAX_BODY_CHARS);
    assert.ok(nodes(unbounded) <= 10_000);
  });

  it('depth is capped', () => {
    let schema: JsonObject = { type: 'string' };
    for (let level = 0; level < 100; level++) {
      schema = { type: 'array', items: schema };
    }
    let depth = 0;
    for (let value: unknown = exampleFromSchema({}, schema, { maxDepth: 5 }); Array.isArray(value); value = value[0]) {
      depth++;
    }
    assert.ok(depth <= 6, `depth ${depth}`);
  });

  it('minLength 1e9, minItems 1e9 and nested minItems give short values, not a RangeError', () => {
    const text = exampleFromSchema({}, { type: 'string', minLength: 1e9 });
    assert.equal(typeof text, 'string');
    assert.ok((text as string).length <= 256);
    const list = exampleFromSchema({}, { type: 'array', minItems: 1e9, items: { type: 'integer' } });
    assert.ok(Array.isArray(list) && list.length <= 10);
    const nested = exampleFromSchema({}, { type: 'array', minItems: 5e4, items: { type: 'array', minItems: 5e4, items: { type: 'string', minLength: 1e6 } } });
    assert.ok(JSON.stringify(nested).length <= MAX_BODY_CHARS);
  });

  it('a cyclic or huge example in the spec is not used as the body', () => {
    const cyclic: JsonObject = { name: 'x' };
    cyclic.self = cyclic;
    assert.deepEqual(exampleFromSchema({}, { type: 'object', properties: { name: { type: 'string' } }, example: cyclic }), { name: 'string' });
    const operation = { body: { example: cyclic, mediaTypes: ['application/json'] } } as never;
    assert.doesNotThrow(() => requestBodyText({}, operation));
    assert.ok((requestBodyText({}, operation) ?? '').length <= MAX_BODY_CHARS);
  });

  it('an example many schemas share ($ref, YAML alias) is serialised once per body, not once per use', () => {
    let reads = 0;
    const counted = <T extends object>(value: T): T =>
      new Proxy(value, {
        get(target, key, receiver) {
          reads += key === '0' ? 1 : 0;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    const uses = (count: number): JsonObject => ({
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, { $ref: '#/definitions/Shared' }])),
    });
    // Longer than the budget: each use gets a value from the type instead.
    const tooLong = counted(Array.from({ length: 2_000 }, (_, index) => `word ${index}`.padEnd(100, 'x')));
    const value = exampleFromSchema({ definitions: { Shared: { type: 'string', example: tooLong } } }, uses(1_000)) as JsonObject;
    assert.equal(reads, 1);
    assert.deepEqual(Object.values(value).slice(0, 2), ['string', 'string']);
    // Short: each use gets a copy of it, as long as the budget lasts.
    reads = 0;
    const short = counted(['a', 'b']);
    const copies = exampleFromSchema({ definitions: { Shared: { type: 'string', example: short } } }, uses(1_000)) as JsonObject;
    assert.equal(reads, 1);
    assert.deepEqual(copies.p999, ['a', 'b']);
    assert.notEqual(copies.p0, copies.p1);
  });

  it('a body example of YAML aliases (10 MB as JSON) is given up after at most the budget of characters', () => {
    let reads = 0;
    let level: Json[] = new Proxy(
      Array.from({ length: 10 }, (_, index) => String(index).padStart(98, 'x')),
      {
        get(target, key, receiver) {
          reads += key === '0' ? 1 : 0;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    for (let depth = 1; depth <= 4; depth++) {
      level = Array<Json>(10).fill(level);
    }
    const operation = { body: { example: level, schema: { type: 'array', items: { type: 'integer' } }, mediaTypes: ['application/json'] } } as never;
    assert.equal(requestBodyText({}, operation), '[\n  0\n]');
    // JSON.stringify writes all 10,000 copies of the innermost list before the length is known.
    assert.ok(reads <= MAX_BODY_CHARS / 1_000 + 1, `${reads} reads`);
  });

  it('an example is used exactly when its JSON is within the budget, and is then the same JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: -2, max: 2 }), (example, slack) => {
        const text = JSON.stringify(example);
        const maxChars = Math.max(1, text.length + slack);
        const value = exampleFromSchema({}, { type: 'boolean', example: example as Json }, { maxChars });
        assert.equal(JSON.stringify(value), text.length <= maxChars ? text : 'true');
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
