/**
 * `uniqueItems` in a response schema is checked in linear time: Ajv's own keyword compares every pair of items
 * (16,000 records took 11 s in the extension host). The answer is Ajv's: the same verdict, and the same pair named.
 */
import assert from 'node:assert/strict';
import Ajv from 'ajv';
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
});
