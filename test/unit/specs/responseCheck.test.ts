import assert from 'node:assert/strict';
import { jsonPath, ResponseChecker } from '../../../src/core/specs/responseCheck';
import { fixture } from './specFixtures';

const JSON_TYPE = 'application/json; charset=utf-8';
const ORDER = {
  orderId: 'RO-1001',
  vin: '1FTFW1ET5DFC10312',
  status: 'open',
  mileage: 42000,
  openedOn: '2026-11-30',
  advisor: null,
  lines: [{ lineNumber: 1, description: 'Oil change', laborHours: 0.5 }],
};

describe('specs: responses checked against the spec', () => {
  it('JSON pointers become JSON paths', () => {
    assert.equal(jsonPath(''), '$');
    assert.equal(jsonPath('/items/0/mileage'), '$.items[0].mileage');
    assert.equal(jsonPath('/odd key/a~1b'), '$["odd key"]["a/b"]');
  });

  it('Swagger 2.0: a valid body matches (x-nullable null, a $ref inside an array)', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const checker = new ResponseChecker(spec.bundled);
    const get = spec.operation('GET', '/repair-orders/{orderId}');
    assert.deepEqual(await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(ORDER) }), {
      verdict: 'matches',
      documentedAs: '200',
    });
    assert.deepEqual(await checker.check(get, { status: 404, contentType: JSON_TYPE, bodyText: '{"code":"NOT-FOUND","message":"none"}' }), {
      verdict: 'matches',
      documentedAs: '404',
    });
  });

  it('each kind of mismatch, with its JSON path', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const checker = new ResponseChecker(spec.bundled);
    const get = spec.operation('GET', '/repair-orders/{orderId}');
    const broken = {
      orderId: 'RO-1001',
      status: 'pending',
      mileage: '42000',
      openedOn: '30/11/2026',
      lines: [{ lineNumber: 0, description: 'Oil change', laborHours: 0 }],
      color: 'red',
    };
    const check = await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(broken) });
    assert.equal(check.verdict, 'mismatches');
    assert.deepEqual(check.verdict === 'mismatches' && check.mismatches.map((mismatch) => `${mismatch.path}: ${mismatch.message}`).sort(), [
      '$.color: is not in the schema (no additional properties allowed)',
      '$.lines[0].laborHours: must be > 0, is 0',
      '$.lines[0].lineNumber: must be >= 1, is 0',
      '$.mileage: should be integer, is string "42000"',
      '$.openedOn: should be a date (format), is "30/11/2026"',
      '$.status: should be one of "open", "closed", "invoiced", is "pending"',
      '$.vin: is required but missing',
    ]);
  });

  it('a body that is not JSON, and a Content-Type the spec does not document', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const checker = new ResponseChecker(spec.bundled);
    const get = spec.operation('GET', '/repair-orders/{orderId}');
    assert.deepEqual(await checker.check(get, { status: 200, contentType: 'text/html', bodyText: '<html>' }), {
      verdict: 'mismatches',
      documentedAs: '200',
      mismatches: [
        { path: 'Content-Type', message: 'is text/html; the spec documents application/json' },
        { path: '$', message: 'is not JSON' },
      ],
    });
  });

  it('an undocumented status is flagged with the statuses the spec documents', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const checker = new ResponseChecker(spec.bundled);
    assert.deepEqual(await checker.check(spec.operation('GET', '/repair-orders/{orderId}'), { status: 500, contentType: JSON_TYPE, bodyText: '{}' }), {
      verdict: 'undocumented',
      status: 500,
      documented: ['200', '404'],
    });
  });

  it('OpenAPI 3.0: 4XX ranges and default responses, problem+json, nullable, allOf and a recursive schema from another file', async () => {
    const spec = await fixture('openapi30/dealers.yaml');
    const checker = new ResponseChecker(spec.bundled);
    const get = spec.operation('GET', '/dealers/{dealerId}');
    const dealer = {
      dealerId: 'D-42',
      name: 'Downtown Motors',
      address: { city: 'Austin', postalCode: '78701' },
      rating: null,
      parent: { dealerId: 'D-1', name: 'HQ', address: { city: 'Dallas', postalCode: '75201' } },
    };
    assert.deepEqual(await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(dealer) }), {
      verdict: 'matches',
      documentedAs: '200',
    });
    const badParent = { ...dealer, parent: { dealerId: 'D-1', name: 'HQ', address: { city: 'Dallas', postalCode: 'TX' } } };
    const check = await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(badParent) });
    assert.deepEqual(check.verdict === 'mismatches' && check.mismatches, [
      { path: '$.parent.address.postalCode', message: 'must match pattern "^[0-9]{5}$", is "TX"' },
    ]);
    assert.deepEqual(await checker.check(get, { status: 404, contentType: 'application/problem+json', bodyText: '{"title":"Not found","status":404}' }), {
      verdict: 'matches',
      documentedAs: '4XX',
    });
    const post = spec.operation('POST', '/dealers');
    const problem = await checker.check(post, { status: 503, contentType: JSON_TYPE, bodyText: '{"title":"Down"}' });
    assert.deepEqual(problem, { verdict: 'mismatches', documentedAs: 'default', mismatches: [{ path: '$.status', message: 'is required but missing' }] });
    assert.equal((await checker.check(get, { status: 500, contentType: JSON_TYPE, bodyText: '{}' })).verdict, 'undocumented');
  });

  it('OpenAPI 3.1 as JSON Schema 2020-12: type arrays, numeric exclusiveMinimum, const, prefixItems, unevaluatedProperties', async () => {
    const spec = await fixture('openapi31/parts.json');
    const checker = new ResponseChecker(spec.bundled);
    const get = spec.operation('GET', '/parts/{partNumber}');
    const part = { partNumber: 'FL-820-S', description: null, price: 7.5, onHand: 3, kind: 'part', dimensions: [10, 4] };
    assert.deepEqual(await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(part) }), {
      verdict: 'matches',
      documentedAs: '200',
    });
    const wrong = { partNumber: 'FL-820-S', description: 5, price: 0, onHand: 3, kind: 'kit', dimensions: [10, 4, 2], extra: true };
    const check = await checker.check(get, { status: 200, contentType: JSON_TYPE, bodyText: JSON.stringify(wrong) });
    assert.deepEqual(check.verdict === 'mismatches' && check.mismatches.map((mismatch) => `${mismatch.path}: ${mismatch.message}`).sort(), [
      '$.description: should be string or null, is integer 5',
      '$.dimensions: must NOT have more than 2 items, is [10,4,2]',
      '$.extra: is not in the schema (no unevaluated properties allowed)',
      '$.kind: must be equal to constant, is "kit"',
      '$.price: must be > 0, is 0',
    ]);
    // A status documented without a body.
    assert.deepEqual(await checker.check(get, { status: 404, contentType: undefined, bodyText: '' }), { verdict: 'matches', documentedAs: '404' });
  });
});
