/**
 * The Postman worker's entry (dist/postmanWorker.js, its own bundle): a `worker_threads` worker that reads one
 * collection with Postman's SDK (postmanHttpFile) and posts the .http file back, so that a large or hostile collection
 * costs the extension host's one thread nothing. readCollectionOffThread starts one per import and ends it.
 */
import { parentPort } from 'node:worker_threads';
import { messageOf } from '../text/errorMessage';
import { PostmanImportError } from './postmanImportLimits';
import { postmanHttpFile } from './postmanHttpFile';
import type { PostmanWorkerReply, PostmanWorkerRequest } from './postmanOffThread';

parentPort?.once('message', ({ text, options }: PostmanWorkerRequest) => {
  let reply: PostmanWorkerReply;
  try {
    reply = { ok: true, file: postmanHttpFile(text, options) };
  } catch (error) {
    reply = { ok: false, message: error instanceof PostmanImportError ? error.message : `The Postman collection could not be read: ${messageOf(error)}` };
  }
  parentPort?.postMessage(reply);
});
