/**
 * A spec worker for tests: the real one (SpecService), except that a spec holding STALL_MARK never finishes a request,
 * as a spec that is slow to read in some way nobody has found yet would. It loops without yielding, so only
 * terminate() stops it.
 */
import { parentPort } from 'node:worker_threads';
import { SpecService } from '../../../../src/core/specs/specService';
import { answerSpecCalls, type SpecRequestHandler, type SpecWorkerPort } from '../../../../src/core/specs/specWorkerProtocol';

export const STALL_MARK = '# x-test: stall the spec worker';

if (parentPort) {
  const service = new SpecService();
  const handler: SpecRequestHandler = {
    handle: (request) => {
      while (request.source.text.includes(STALL_MARK)) {
        // Busy, as a catastrophic regular expression or parser is.
      }
      return service.handle(request);
    },
  };
  answerSpecCalls(parentPort as unknown as SpecWorkerPort, handler);
}
