/**
 * A collection read off the extension host's thread: one worker per import (dist/postmanWorker.js), ended when it
 * answers or when its budget runs out, so a collection that takes seconds (or never ends) costs the host nothing.
 * Throws PostmanImportError with words for the user; never hangs.
 */
import { Worker } from 'node:worker_threads';
import { messageOf } from '../text/errorMessage';
import type { PostmanHttpFile, PostmanHttpFileOptions } from './postmanHttpFile';
import { PostmanImportError } from './postmanImportLimits';

export interface PostmanWorkerRequest {
  readonly text: string;
  readonly options: PostmanHttpFileOptions;
}

export type PostmanWorkerReply = { readonly ok: true; readonly file: PostmanHttpFile } | { readonly ok: false; readonly message: string };

/** How long one import may take: a 5 MB collection (the largest accepted) reads in about 3 s on a slow machine. */
export const POSTMAN_BUDGET_MS = 30_000;
/** The heap the worker may use: a collection that needs more ends the worker, not the extension host. */
const WORKER_HEAP_MB = 512;

export function readCollectionOffThread(entry: string, request: PostmanWorkerRequest, budgetMs = POSTMAN_BUDGET_MS): Promise<PostmanHttpFile> {
  return new Promise<PostmanHttpFile>((resolve, reject) => {
    const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        outcome();
      }
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new PostmanImportError(
              `Reading the Postman collection took longer than ${budgetMs / 1000} s: export the folders you need as a smaller collection.`,
            ),
          ),
        ),
      budgetMs,
    );
    worker.once('message', (reply: PostmanWorkerReply) => settle(() => (reply.ok ? resolve(reply.file) : reject(new PostmanImportError(reply.message)))));
    worker.once('error', (error) =>
      settle(() => reject(new PostmanImportError(`The Postman collection could not be read: ${messageOf(error)}. Export a smaller collection.`))),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new PostmanImportError(`The Postman collection could not be read: its reader stopped (exit code ${code}).`))),
    );
    worker.postMessage(request);
  });
}
