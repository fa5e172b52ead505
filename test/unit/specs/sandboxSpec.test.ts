import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sendApiRequest } from '../../../src/core/apiRequests/apiCall';
import { ResponseChecker } from '../../../src/core/specs/responseCheck';
import { exampleValues, filledRequest } from '../../../src/core/specs/specRequest';
import { mappedBaseUrl, specServer } from '../../../src/core/specs/specServers';
import type { Sandbox } from '../../sandbox/sandboxServer';
import { type LoadedSpec, sandboxWithItsSpec } from './specFixtures';

describe("specs: the sandbox's spec against the sandbox", function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let token: string;
  let spec: LoadedSpec;
  let baseUrl: string;
  const http = { timeoutMs: 5000 };

  before(async () => {
    ({ sandbox, token, spec, baseUrl } = await sandboxWithItsSpec());
  });

  after(() => sandbox?.close());

  async function call(method: string, path: string, values?: Record<string, string>) {
    const operation = spec.operation(method, path);
    const filled = filledRequest(spec.bundled.document, operation, baseUrl, values ?? exampleValues(operation));
    const response = await sendApiRequest({ ...filled, token, subscriptionId: 'test', requestId: randomUUID() }, http);
    return { operation, response };
  }

  it('the spec is Fortellis-style: every operation declares Subscription-Id and Request-Id; every definition has an example', () => {
    assert.equal(spec.parsed.version, '2.0');
    assert.equal(spec.parsed.operations.length, 4);
    for (const location of spec.parsed.operations) {
      const names = spec.operation(location.method, location.path).parameters.map((parameter) => parameter.name);
      assert.ok(names.includes('Subscription-Id') && names.includes('Request-Id'), `${location.method} ${location.path}: ${names.join(', ')}`);
    }
    for (const [name, definition] of Object.entries(spec.bundled.document.definitions as Record<string, { example?: unknown }>)) {
      assert.notEqual(definition.example, undefined, `${name} has an example`);
    }
  });

  it('every operation called with its examples answers as its spec says, except the recalls, which break it on purpose', async () => {
    const checker = new ResponseChecker(spec.bundled);
    const verdicts: string[] = [];
    for (const location of spec.parsed.operations) {
      const { operation, response } = await call(location.method, location.path);
      const check = await checker.check(operation, {
        status: response.status,
        contentType: response.headers.find(([name]) => name === 'content-type')?.[1],
        bodyText: response.bodyText,
      });
      verdicts.push(`${location.method} ${location.path} ${response.status} ${check.verdict}`);
      if (location.path.endsWith('/recalls')) {
        assert.deepEqual(check.verdict === 'mismatches' && check.mismatches.map((mismatch) => `${mismatch.path}: ${mismatch.message}`), [
          '$.recalls[0].campaign: is required but missing',
          '$.recalls[0].issuedOn: should be a date (format), is "31/12/2025"',
          '$.recalls[0].remedyAvailable: should be boolean, is string "yes"',
        ]);
      }
    }
    assert.deepEqual(verdicts, [
      'GET /vehicles 200 matches',
      'POST /vehicles 201 matches',
      'GET /vehicles/{vehicleId} 200 matches',
      'GET /vehicles/{vehicleId}/recalls 200 mismatches',
    ]);
    const missing = await call('GET', '/vehicles/{vehicleId}', { vehicleId: 'V-9999' });
    assert.equal(missing.response.status, 404);
    assert.equal(
      (await checker.check(missing.operation, { status: 404, contentType: 'application/json', bodyText: missing.response.bodyText })).verdict,
      'matches',
    );
  });

  it('the test namespace of the same API: /sandbox-test/vehicles/v1', async () => {
    const testBase = mappedBaseUrl(specServer('2.0', spec.bundled.document), sandbox.apiBaseUrl, true);
    assert.equal(testBase, `${sandbox.apiBaseUrl}/sandbox-test/vehicles/v1`);
    const filled = filledRequest(spec.bundled.document, spec.operation('GET', '/vehicles'), testBase, { make: 'Toyota' });
    const response = await sendApiRequest({ ...filled, token, subscriptionId: 'test', requestId: randomUUID() }, http);
    assert.equal(response.status, 200);
    assert.deepEqual(
      (JSON.parse(response.bodyText) as { items: Array<{ make: string }> }).items.map((vehicle) => vehicle.make),
      ['Toyota'],
    );
  });
});
