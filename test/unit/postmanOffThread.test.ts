/**
 * Import Postman Collection reads the collection in a worker of its own (dist/postmanWorker.js; here its transpiled
 * source): the same .http file as on the thread, the same words for a collection it refuses, and a collection past its
 * budget ends the worker with a message instead of holding anything up.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { postmanHttpFile } from '../../src/core/postman/postmanHttpFile';
import { PostmanImportError } from '../../src/core/postman/postmanImportLimits';
import { readCollectionOffThread } from '../../src/core/postman/postmanOffThread';
import { refusalOnTheThread } from './helpers/postmanRefusal';
import { fortellisCollection } from '../sandbox/postmanCollections';

const POSTMAN_WORKER = join(__dirname, '..', '..', 'src', 'core', 'postman', 'postmanWorker.js');
const OPTIONS = { subscriptionId: 'test' };

async function refusal(text: string, budgetMs?: number): Promise<string> {
  try {
    await readCollectionOffThread(POSTMAN_WORKER, { text, options: OPTIONS }, budgetMs);
  } catch (error) {
    assert.ok(error instanceof PostmanImportError, String(error));
    return error.message;
  }
  assert.fail('imported');
}

describe('readCollectionOffThread: a Postman collection read in a worker', function () {
  this.timeout(30_000);

  it('gives the .http file postmanHttpFile gives on the thread', async () => {
    const text = JSON.stringify(fortellisCollection('https://api.fortellis.io/cdk-test/vehicles/v1'));
    assert.deepEqual(await readCollectionOffThread(POSTMAN_WORKER, { text, options: OPTIONS }), postmanHttpFile(text, OPTIONS));
  });

  it("says in the reader's own words why a collection is refused", async () => {
    for (const text of ['{"info": {"name": "v1", "schema": "x"}, "requests": []}', 'not json', '['.repeat(1000)]) {
      assert.equal(await refusal(text), refusalOnTheThread(text));
    }
  });

  it('a collection past its budget ends the worker and says so', async () => {
    const text = JSON.stringify(fortellisCollection('https://api.fortellis.io/x'));
    assert.match(await refusal(text, 1), /^Reading the Postman collection took longer than 0\.001 s: export the folders you need as a smaller collection\.$/);
  });
});
