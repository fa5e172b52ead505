// The snippets layer (npm run test:snippets): requests filled from the sandbox's spec, run as a user would with the
// snippet runtimes (every snippet language, httpyac for Open as .http, curl for Copy as curl) against the sandbox.
// What needs no other program (every operation called and checked against the spec) is in test/unit/specs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { curlCommand, curlRequestOf } from '../../src/core/specs/copyAsCurl';
import { specHttpFile } from '../../src/core/specs/specHttpFile';
import { exampleValues, filledRequest } from '../../src/core/specs/specRequest';
import { renderRequestSnippet, SNIPPET_LANGUAGES } from '../../src/core/snippets/renderSnippet';
import type { Sandbox } from '../sandbox/sandboxServer';
import { type LoadedSpec, sandboxWithItsSpec } from '../unit/specs/specFixtures';
import { REQUEST_ID_FORM, runSnippet } from './snippetRunner';
import { requestLines, sendHttpFile } from './sendHttpFile';

describe('specs: requests filled from the sandbox spec, run with the snippet runtimes', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let token: string;
  let spec: LoadedSpec;
  let baseUrl: string;

  before(async () => {
    ({ sandbox, token, spec, baseUrl } = await sandboxWithItsSpec());
  });

  after(() => sandbox?.close());

  const redacted = (text: string) => text.split(token).join('<token>');

  for (const language of SNIPPET_LANGUAGES.map((each) => each.id)) {
    it(`a ${language} snippet of POST /vehicles, filled from the spec, runs as written`, async () => {
      const operation = spec.operation('POST', '/vehicles');
      const filled = filledRequest(spec.bundled.document, operation, baseUrl, exampleValues(operation));
      const source = renderRequestSnippet(language, {
        method: filled.method,
        url: filled.url,
        subscriptionId: 'test',
        body: filled.body,
        contentType: filled.contentType,
        accept: filled.accept,
        token: { from: 'environment' },
      });
      sandbox.resetApiRequests();
      const result = await runSnippet(language, source, { FORTELLIS_TOKEN: token }, { timeoutMs: 90_000 });
      assert.equal(result.ran, language === 'powershell' ? 'syntax-check' : 'run', redacted(result.stderr));
      assert.equal(result.exitCode, 0, redacted(`${result.stdout}\n${result.stderr}`));
      if (result.ran === 'run') {
        const [record] = sandbox.apiRequests();
        assert.equal(record.path, '/api/sandbox/vehicles/v1/vehicles');
        assert.equal(record.status, 201);
        assert.equal(record.authenticated, true);
        assert.match(record.requestId ?? '', REQUEST_ID_FORM);
        assert.deepEqual(JSON.parse(record.body), { vin: '1HGCM82633A004352', make: 'Honda', model: 'Accord', year: 2023, mileage: 12000 });
        assert.match(result.stdout, /"vehicleId":\s*"V-\d+"/);
      }
    });
  }

  it('Open as .http: every operation in one file, sent by httpyac with the token from the .env beside it', async () => {
    const text = specHttpFile(spec.bundled, spec.parsed.operations, { title: 'Sandbox Vehicles', baseUrl, subscriptionId: 'test' });
    assert.ok(!text.includes(token));
    assert.equal(text.match(/^###$/gm)?.length, 4);
    const records = await sendHttpFile(sandbox, text, token);
    assert.deepEqual(requestLines(records), [
      'GET /api/sandbox/vehicles/v1/vehicles 200 true',
      'POST /api/sandbox/vehicles/v1/vehicles 201 true',
      'GET /api/sandbox/vehicles/v1/vehicles/V-1001 200 true',
      'GET /api/sandbox/vehicles/v1/vehicles/V-1001/recalls 200 true',
    ]);
  });

  /** Copy as curl of what Call sent for POST /vehicles, with a spec header parameter: it copies every header sent. */
  function copiedCurl(requestId: string): string {
    const operation = spec.operation('POST', '/vehicles');
    const filled = filledRequest(spec.bundled.document, operation, baseUrl, {});
    return curlCommand(
      curlRequestOf({
        method: filled.method,
        url: filled.url,
        token,
        subscriptionId: 'test',
        requestId,
        accept: filled.accept,
        extraHeaders: [['X-Dealer-Id', 'D 12']],
        ...(filled.body !== undefined && { body: filled.body, contentType: filled.contentType }),
      }),
    );
  }

  it('Copy as curl: runs with the token from $FORTELLIS_TOKEN and holds no token', async () => {
    const command = copiedCurl('curl-1');
    assert.ok(!command.includes(token), 'no token in the command');
    sandbox.resetApiRequests();
    const result = await runSnippet('curl', `set -e\n${command} --fail-with-body\n`, { FORTELLIS_TOKEN: token });
    assert.equal(result.exitCode, 0, redacted(result.stderr));
    const [record] = sandbox.apiRequests();
    assert.equal(record.status, 201);
    assert.deepEqual([record.subscriptionId, record.requestId, record.headers['x-dealer-id']], ['test', 'curl-1', 'D 12']);
  });

  it('Copy as curl, pasted in a terminal opened before the last renewal: the token from the file $FORTELLIS_TOKEN_FILE names, not the stale $FORTELLIS_TOKEN', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'fortellis-token-file-'));
    try {
      const tokenFile = path.join(directory, 'token');
      await writeFile(tokenFile, token, { mode: 0o600 });
      sandbox.resetApiRequests();
      const env = { FORTELLIS_TOKEN: 'a.token-from-before-the-renewal.x', FORTELLIS_TOKEN_FILE: tokenFile };
      const result = await runSnippet('curl', `set -e\n${copiedCurl('curl-2')} --fail-with-body\n`, env);
      assert.equal(result.exitCode, 0, redacted(`${result.stdout}\n${result.stderr}`));
      const [record] = sandbox.apiRequests();
      assert.deepEqual([record.status, record.authenticated, record.requestId], [201, true, 'curl-2']);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
