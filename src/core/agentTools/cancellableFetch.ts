/** A fetch that also stops when `signal` aborts (a tool call cancelled by its caller), as well as on its own timeout. */
import nodeFetch from 'node-fetch';
import type { FetchFunction } from '../http/limitedFetch';

export function cancellableFetch(signal: AbortSignal, fetch: FetchFunction = nodeFetch): FetchFunction {
  return ((url: Parameters<FetchFunction>[0], init?: Parameters<FetchFunction>[1]) => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal.aborted) {
      abort();
    }
    signal.addEventListener('abort', abort, { once: true });
    init?.signal?.addEventListener('abort', abort, { once: true });
    // Kept until the call's signal goes: the body is read after fetch resolves, and a cancellation then stops it too.
    return fetch(url, { ...init, signal: controller.signal as NonNullable<Parameters<FetchFunction>[1]>['signal'] });
  }) as FetchFunction;
}
