/**
 * Asks the spec worker (see specWorkerProtocol), one request at a time, each within its budget. The worker starts at
 * the first request. A request past its budget ends the worker (terminate() stops even a loop that never yields) and
 * answers "not done" with why; the next request starts a new worker. Never throws and never hangs.
 */
import { Worker } from 'node:worker_threads';
import type { CheckedResponse } from './responseCheck';
import {
  SPEC_BUDGETS_MS,
  SPEC_STEP_NAMES,
  type CheckedView,
  type SpecAnswers,
  type SpecRequest,
  type SpecRequestKind,
  type SpecSource,
  type SpecSummary,
  type SpecWorkerCall,
  type SpecWorkerReply,
} from './specWorkerProtocol';
import { messageOf } from '../text/errorMessage';

export type Budgeted<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly reason: string };

/** The heap a worker may use: a spec that needs more ends the worker, not the extension host. */
const WORKER_HEAP_MB = 1024;

export class SpecWorkerClient {
  private worker?: Worker;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;

  /**
   * @param entry the worker's script (dist/specWorker.js in the extension).
   * @param budgetsMs how long each kind of request may take.
   */
  constructor(
    private readonly entry: string,
    private readonly budgetsMs: Readonly<Record<SpecRequestKind, number>> = SPEC_BUDGETS_MS,
  ) {}

  ask<K extends SpecRequestKind>(request: Extract<SpecRequest, { kind: K }>): Promise<Budgeted<SpecAnswers[K]>> {
    const answer = this.queue.then(() => this.run(request));
    this.queue = answer;
    return answer as Promise<Budgeted<SpecAnswers[K]>>;
  }

  /** The spec read in full; a step not done is a problem at its first line saying why ("Not checked: …"). */
  async load(source: SpecSource): Promise<SpecSummary> {
    const answer = await this.ask({ kind: 'load', source });
    return answer.done ? answer.value : { ok: false, problems: [{ start: { line: 0, column: 0 }, message: `Not checked: ${answer.reason}.` }] };
  }

  /**
   * The response checked against the operation, and its body for the view; a check not done is "unchecked" with why,
   * and the body shown as received.
   */
  async check(source: SpecSource, method: string, path: string, response: CheckedResponse): Promise<CheckedView> {
    const answer = await this.ask({ kind: 'check', source, method, path, response });
    return answer.done
      ? answer.value
      : {
          check: { verdict: 'unchecked', documentedAs: String(response.status), reason: answer.reason },
          body: { text: response.bodyText, json: response.bodyText.length === 0 },
        };
  }

  dispose(): void {
    this.disposed = true;
    if (this.worker) {
      void this.worker.terminate();
      this.worker = undefined;
    }
  }

  private run(request: SpecRequest): Promise<Budgeted<unknown>> {
    const step = SPEC_STEP_NAMES[request.kind];
    if (this.disposed) {
      return Promise.resolve({ done: false, reason: `${step} was not done: the extension is stopping` });
    }
    let worker: Worker;
    try {
      worker = this.started();
    } catch (error) {
      return Promise.resolve({ done: false, reason: `${step} failed: ${messageOf(error)}` });
    }
    const id = this.nextId++;
    const budgetMs = this.budgetsMs[request.kind];
    return new Promise((resolve) => {
      const finish = (result: Budgeted<unknown>): void => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(result);
      };
      const onMessage = (reply: SpecWorkerReply): void => {
        if (reply.id === id) {
          finish('error' in reply ? { done: false, reason: `${step} failed: ${reply.error}` } : { done: true, value: reply.answer });
        }
      };
      const onError = (error: Error): void => {
        this.stop(worker);
        finish({ done: false, reason: `${step} failed: ${error.message}` });
      };
      const onExit = (code: number): void => {
        this.forget(worker);
        finish({ done: false, reason: `${step} was not finished: the spec worker stopped (exit code ${code})` });
      };
      const timer = setTimeout(() => {
        this.stop(worker);
        finish({
          done: false,
          reason: `${step} took more than ${seconds(budgetMs)}, so it was stopped (a spec this slow may be built to stall the editor)`,
        });
      }, budgetMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      try {
        worker.postMessage({ id, request } satisfies SpecWorkerCall);
      } catch (error) {
        finish({ done: false, reason: `${step} failed: ${messageOf(error)}` });
      }
    });
  }

  private started(): Worker {
    if (!this.worker) {
      const worker = new Worker(this.entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      // An error or exit between requests only means the next request starts a new worker (an 'error' event nobody
      // listens to would be thrown in the extension host).
      worker.on('error', () => this.forget(worker)).on('exit', () => this.forget(worker));
      // Idle, it keeps nothing alive; a request in flight has its budget's timer.
      worker.unref();
      this.worker = worker;
    }
    return this.worker;
  }

  private stop(worker: Worker): void {
    this.forget(worker);
    void worker.terminate();
  }

  private forget(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
    }
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
