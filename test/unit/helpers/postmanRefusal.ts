import assert from 'node:assert/strict';
import { postmanHttpFile } from '../../../src/core/postman/postmanHttpFile';
import { PostmanImportError } from '../../../src/core/postman/postmanImportLimits';

/** Why postmanHttpFile refuses `text` on the calling thread: its PostmanImportError's message (anything else fails). */
export function refusalOnTheThread(text: string): string {
  try {
    postmanHttpFile(text, { subscriptionId: 'test' });
  } catch (error) {
    assert.ok(error instanceof PostmanImportError, String(error));
    return error.message;
  }
  assert.fail('imported');
}
