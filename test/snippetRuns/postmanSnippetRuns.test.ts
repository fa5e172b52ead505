// The snippets layer (npm run test:snippets): a Postman collection laid out like Fortellis' own, imported as a .http
// file and sent by the httpyac CLI against the sandbox, as a user would send it. The conversion's rules and hostile
// collections are in test/unit/postman*.test.ts.
import assert from 'node:assert/strict';
import { postmanHttpFile } from '../../src/core/postman/postmanHttpFile';
import type { Sandbox } from '../sandbox/sandboxServer';
import { fortellisCollection } from '../sandbox/postmanCollections';
import { sandboxWithItsSpec } from '../unit/specs/specFixtures';
import { requestLines, sendHttpFile } from './sendHttpFile';

describe('Postman import: a Fortellis collection as a .http file, sent by httpyac', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let token: string;
  let baseUrl: string;

  before(async () => {
    ({ sandbox, token, baseUrl } = await sandboxWithItsSpec());
  });

  after(() => sandbox?.close());

  it('every request arrives authenticated, with the Fortellis headers, its own header and its body byte for byte', async () => {
    const collection = fortellisCollection(baseUrl);
    const file = postmanHttpFile(JSON.stringify(collection), { subscriptionId: 'test' });
    assert.ok(!file.text.includes(token));
    const records = await sendHttpFile(sandbox, file.text, token);
    assert.deepEqual(requestLines(records), [
      'GET /api/sandbox/vehicles/v1/vehicles 200 true',
      'POST /api/sandbox/vehicles/v1/vehicles 201 true',
      'GET /api/sandbox/vehicles/v1/vehicles/V-1001/recalls 200 true',
    ]);
    const post = records[1];
    const postman = (collection.item as Array<{ item: Array<{ request: { body: { raw: string } } }> }>)[0].item[1].request.body.raw;
    assert.equal(post.body, postman);
    assert.equal(post.contentType, 'application/json');
    assert.equal(post.headers['x-dealer-code'], 'D-42');
  });
});
