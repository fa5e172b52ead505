/**
 * The spec worker's entry (dist/specWorker.js, its own bundle): a `worker_threads` worker started by SpecWorkerClient
 * at the first spec request, answering with SpecService. Nothing of VS Code is here.
 */
import { parentPort } from 'node:worker_threads';
import { SpecService } from './specService';
import { answerSpecCalls, type SpecWorkerPort } from './specWorkerProtocol';

if (!parentPort) {
  throw new Error('specWorker runs as a worker thread (see SpecWorkerClient).');
}
answerSpecCalls(parentPort as unknown as SpecWorkerPort, new SpecService());
