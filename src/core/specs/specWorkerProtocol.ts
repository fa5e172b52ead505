/**
 * What the extension host asks the spec worker (src/core/specs/specWorker.ts, a `worker_threads` worker) and what it
 * answers. Everything that reads a spec in full runs there: parsing, bundling its `$ref`s, the operation's model, the
 * request body, the .http file and the response check. A spec comes from someone else's repository; whatever it holds,
 * the extension host only waits for a message, and a step past its budget ends the worker (see SpecWorkerClient).
 *
 * Each request carries the spec's text: the worker keeps the specs it has read, and reads one again after a restart.
 */
import type { ResponseCheck, CheckedResponse } from './responseCheck';
import type { ResponseBody } from '../apiRequests/responseView';
import type { OperationLocation, SpecProblem, SpecVersion } from './specDocument';
import type { SpecHttpFileOptions } from './specHttpFile';
import type { SpecOperation } from './specModel';
import type { FilledRequest } from './specRequest';
import type { SpecServer } from './specServers';
import { messageOf } from '../text/errorMessage';

/** A spec as an editor has it. */
export interface SpecSource {
  /** Names this text: the document's URI and version. */
  readonly key: string;
  readonly text: string;
  /** Where the text is (its `$ref`s are relative to it). */
  readonly filePath: string;
  /** The folder its `$ref`s may read files in (undefined: none), see readInside. */
  readonly root: string | undefined;
}

/** A spec read in full, its `$ref`s bundled: what the host needs of it, without the document itself. */
export type SpecSummary =
  | {
      readonly ok: true;
      readonly version: SpecVersion;
      readonly title: string;
      readonly operations: readonly OperationLocation[];
      readonly server: SpecServer;
      /** Warnings: the spec can be used. */
      readonly problems: readonly SpecProblem[];
    }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

export type SpecRequest =
  | { readonly kind: 'load'; readonly source: SpecSource }
  | { readonly kind: 'operation'; readonly source: SpecSource; readonly method: string; readonly path: string }
  | {
      readonly kind: 'request';
      readonly source: SpecSource;
      readonly method: string;
      readonly path: string;
      readonly baseUrl: string;
      readonly values: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'httpFile'; readonly source: SpecSource; readonly options: SpecHttpFileOptions }
  | { readonly kind: 'check'; readonly source: SpecSource; readonly method: string; readonly path: string; readonly response: CheckedResponse };

/** What each kind of request answers. A spec that cannot be read answers as `load` does. */
export interface SpecAnswers {
  readonly load: SpecSummary;
  readonly operation: SpecOperation | undefined;
  /** `error`: the request cannot be made (a required parameter is missing, the body cannot be written). */
  readonly request: { readonly request: FilledRequest } | { readonly error: string };
  readonly httpFile: string;
  /** The check, and the body as the response view shows it (indenting 5 MB of JSON would stall the host's thread). */
  readonly check: CheckedView;
}

export interface CheckedView {
  readonly check: ResponseCheck;
  readonly body: ResponseBody;
}

export type SpecRequestKind = SpecRequest['kind'];

/** How long each step may take before the worker is ended; generous for a 2 MB spec (its parse takes about 90 ms). */
export const SPEC_BUDGETS_MS: Readonly<Record<SpecRequestKind, number>> = {
  load: 10_000,
  operation: 10_000,
  request: 10_000,
  httpFile: 20_000,
  check: 10_000,
};

/** What a step names itself as in "not checked: …". */
export const SPEC_STEP_NAMES: Readonly<Record<SpecRequestKind, string>> = {
  load: 'reading the spec',
  operation: 'reading the operation',
  request: 'writing the request',
  httpFile: 'writing the .http file',
  check: 'checking the response',
};

/** Host → worker. */
export interface SpecWorkerCall {
  readonly id: number;
  readonly request: SpecRequest;
}

/** Worker → host. */
export type SpecWorkerReply = { readonly id: number; readonly answer: unknown } | { readonly id: number; readonly error: string };

/** Answers one request; what the worker runs, and what tests run in the same thread to compare. */
export interface SpecRequestHandler {
  handle<K extends SpecRequestKind>(request: Extract<SpecRequest, { kind: K }>): Promise<SpecAnswers[K]>;
}

/** The port of a worker (worker_threads' parentPort), as far as answering needs it. */
export interface SpecWorkerPort {
  on(event: 'message', listener: (call: SpecWorkerCall) => void): unknown;
  postMessage(reply: SpecWorkerReply): void;
}

/** Answers every call that comes through `port` with `handler`; an exception becomes an error reply, never a crash. */
export function answerSpecCalls(port: SpecWorkerPort, handler: SpecRequestHandler): void {
  port.on('message', (call) => {
    handler.handle(call.request).then(
      (answer) => port.postMessage({ id: call.id, answer }),
      (error: unknown) => port.postMessage({ id: call.id, error: messageOf(error) }),
    );
  });
}
