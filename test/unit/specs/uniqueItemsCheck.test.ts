/**
 * `uniqueItems` in a response schema is checked in linear time: Ajv's own keyword compares every pair of items
 * (16,000 records took 11 s in the extension host). The answer is Ajv's: the same verdict, and the same pair named.
 */
import assert from 'node:assert/strict';
import Ajv, { type ErrorObject } from 'ajv';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { createAjv, ResponseChecker } from '../../../src/core/specs/responseCheck';
import { type BundledSpec, type JsonObject, specOperation } from '../../../src/core/specs/specModel';
import { parseSpec } from '../../../src/core/specs/specDocument';
import { uniqueItemsBody, uniqueItemsSpec } from './hostileSpecs';

function hostileSpec(): BundledSpec {
  const parse = parseSpec(uniqueItemsSpec());
  assert.ok(parse.ok);
  return { version: parse.spec.version, document: parse.spec.document as JsonObject };
}

/** `node`: an array of unique items, each item a node. */
const RECURSIVE: JsonObject = { definitions: { node: { uniqueItems: true, items: { $ref: '#/definitions/node' } } } };

const POINTER = '#/paths/~1vehicles/get/responses/200/content/application~1json/schema';

describe('specs: uniqueItems in a response', () => {
  it('each record is read a bounded number of times, not once per other record', async () => {
    const records = 2_000;
    let reads = 0;
    const counted = (JSON.parse(uniqueItemsBody(records, false)) as JsonObject[]).map(
      (record) =>
        new Proxy(record, {
          get(target, key, receiver) {
            reads++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    );
    const validate = (await createAjv(hostileSpec())).compile(POINTER);
    assert.equal(validate(counted), true);
    // Ajv's pairwise equal reads each record about once per other record: millions of reads here.
    assert.ok(reads <= 20 * records, `${reads} reads of ${records} records`);
  });

  it('16,000 records: a duplicate (keys in another order) is a mismatch naming both items; distinct records match', async function () {
    this.timeout(20_000);
    const spec = hostileSpec();
    const checker = new ResponseChecker(spec);
    const operation = specOperation(spec, 'GET', '/vehicles')!;
    const response = (duplicate: boolean) => ({ status: 200, contentType: 'application/json', bodyText: uniqueItemsBody(16_000, duplicate) });
    assert.deepEqual(await checker.check(operation, response(false)), { verdict: 'matches', documentedAs: '200' });
    const duplicated = await checker.check(operation, response(true));
    assert.equal(duplicated.verdict, 'mismatches');
    assert.deepEqual(
      duplicated.verdict === 'mismatches' && duplicated.mismatches.map((mismatch) => [mismatch.path, mismatch.message.replace(/, is .*$/, '')]),
      [['$', 'must NOT have duplicate items (items ## 0 and 15999 are identical)']],
    );
  });

  it('nested arrays (a recursive schema): each array is read a bounded number of times, not once per enclosing array', async () => {
    const depth = 200;
    let reads = 0;
    const counted = (items: unknown[]) =>
      new Proxy(items, {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    // [0,[0,[…[0, leaf]…]]]: every array a Proxy that counts what is read of it.
    const chain = (leaf: unknown) => Array.from({ length: depth }).reduce<unknown>((inner) => counted([0, inner]), leaf);
    const validate = (await createAjv({ version: '2.0', document: RECURSIVE })).compile('#/definitions/node');
    const messages = () => validate.errors?.map((error) => `${error.instancePath}: ${error.message}`);

    assert.equal(validate(chain('x')), true);
    // Canonicalised again at each level, the arrays below an array were read once per enclosing one: 100,000 reads here.
    assert.ok(reads <= 20 * depth, `${reads} reads of ${depth} nested arrays`);

    assert.equal(validate(chain(['x', 'x'])), false);
    assert.deepEqual(messages(), [`${'/1'.repeat(depth)}: must NOT have duplicate items (items ## 0 and 1 are identical)`]);
    // Chains alike to the leaf are equal; a leaf apart, they differ.
    assert.equal(validate([chain('x'), chain('y'), chain('x')]), false);
    assert.deepEqual(messages(), [': must NOT have duplicate items (items ## 0 and 2 are identical)']);
    assert.equal(validate([chain('x'), chain('y'), chain({ x: 1 })]), true);
  });

  it('on any array, the same verdict and the same pair as Ajv’s own uniqueItems', async () => {
    const document: JsonObject = { definitions: { list: { type: 'array', uniqueItems: true } } };
    const ours = (await createAjv({ version: '2.0', document })).compile('#/definitions/list');
    const ajvs = new Ajv({ allErrors: true, strict: false }).compile({ type: 'array', uniqueItems: true });
    const item = fc.oneof(
      fc.constantFrom<unknown>(0, -0, 1, '1', 'a', true, null, [], {}, [1], { a: 1 }, { a: 1, b: [2] }, { b: [2], a: 1 }, { valueOf: '' }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        let expected: boolean;
        try {
          expected = ajvs(items);
        } catch {
          // Ajv's equal calls a record's own "valueOf" or "toString" ({"valueOf": ""} throws): ours reads them as data.
          assert.equal(typeof ours(items), 'boolean');
          return;
        }
        assert.equal(ours(items), expected);
        assert.deepEqual(
          ours.errors?.map((error) => error.message),
          ajvs.errors?.map((error) => error.message),
        );
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('on nested arrays and records (a recursive schema), the same verdicts at the same places and the same pairs as Ajv’s own', async () => {
    const ours = (await createAjv({ version: '2.0', document: RECURSIVE })).compile('#/definitions/node');
    const ajvs = new Ajv({ allErrors: true, strict: false }).compile({ ...RECURSIVE, $ref: '#/definitions/node' });
    // Few leaves and keys, so that equal subtrees (in other objects, keys in another order) are common; records as
    // JSON.parse makes them (Ajv's equal tells a null prototype from Object's).
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ maxDepth: 4 }, fc.constantFrom<unknown>(0, -0, 1, 1.5, '1', 'a', '[]', '{}', true, null), tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 3 }),
      object: fc.dictionary(fc.constantFrom('a', 'b'), tie('tree'), { maxKeys: 2, noNullPrototype: true }),
    }));
    const messages = (errors: ErrorObject[] | null | undefined) => errors?.map((error) => `${error.instancePath}: ${error.message}`).sort();
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 4 }), (items) => {
        assert.equal(ours(items), ajvs(items));
        assert.deepEqual(messages(ours.errors), messages(ajvs.errors));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
