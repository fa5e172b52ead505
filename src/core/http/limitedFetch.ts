/**
 * The HTTP rules of every request that carries a token or fetches signing keys: https except to this machine,
 * a timeout over the whole exchange, a cap on the body, and no redirect followed (the token stays with the host the
 * user chose). node-fetch goes through Node's http/https modules, where VS Code applies the user's proxy settings.
 */
import nodeFetch from 'node-fetch';
import { transportProblem } from './urlPolicy';
import { networkFailure } from './networkFailures';

/** node-fetch, or a stand-in for it in tests. */
export type FetchFunction = typeof nodeFetch;

export type HttpErrorKind = 'invalid-url' | 'insecure-url' | 'invalid-request' | 'timeout' | 'unreachable' | 'tls' | 'proxy';

/** A request that could not be sent or got no HTTP answer; the message says what to do, and never holds a token. */
export class HttpRequestError extends Error {
  /** `cause`: the error below HTTP, for callers that word their own message from it. */
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'HttpRequestError';
  }
}

export interface HttpOptions {
  /** For the whole exchange, body included. */
  readonly timeoutMs: number;
  /** Default node-fetch. */
  readonly fetch?: FetchFunction;
  /** The proxy VS Code is configured with, named in messages when the host cannot be reached. */
  readonly proxy?: string;
}

export interface HttpLimits extends HttpOptions {
  /** Bytes of body kept; the rest is not read (`truncated`). */
  readonly maxBodyBytes: number;
}

export interface HttpRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  /** In the order received; a header sent twice appears twice. */
  readonly headers: Array<[string, string]>;
  readonly bodyText: string;
  readonly truncated: boolean;
  /** From sending the request to the end of the body. */
  readonly elapsedMs: number;
}

/**
 * Parses a URL a request is about to go to, refusing plain http except to this machine. `purpose` completes
 * "Refusing to … over plain http", e.g. "send your token".
 */
export function secureUrl(input: string, purpose: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    // The input is not echoed: a pasted URL may carry anything.
    throw new HttpRequestError('invalid-url', 'The URL is not a full URL: it starts with https://, then the host and the path.');
  }
  const insecure = transportProblem(url, purpose);
  if (insecure) {
    throw new HttpRequestError(url.protocol === 'http:' ? 'insecure-url' : 'invalid-url', insecure);
  }
  return url;
}

/** The Authorization header for a token; refuses one a header cannot carry, without echoing it. */
export function bearerAuthorization(token: string): string {
  if (token.length === 0) {
    throw new HttpRequestError('invalid-request', 'There is no token to send: get one first ("Fortellis: Get Fortellis Token").');
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new HttpRequestError(
      'invalid-request',
      'The token contains spaces, line breaks or other characters a header cannot carry: copy it again, whole and alone.',
    );
  }
  return `Bearer ${token}`;
}

/** The value of a response header (the first one, when sent twice). */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([candidate]) => candidate.toLowerCase() === lower)?.[1];
}

/** Sends one request under `limits`; a 3xx comes back as it is, with its Location header. */
export async function fetchWithLimits(url: URL, request: HttpRequest, limits: HttpLimits): Promise<HttpAnswer> {
  const fetch = limits.fetch ?? nodeFetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  const started = performance.now();
  try {
    const response = await fetch(url.href, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const { text, truncated } = await readCapped(response.body, limits.maxBodyBytes);
    return {
      status: response.status,
      statusText: response.statusText,
      headers: Object.entries(response.headers.raw()).flatMap(([name, values]) => values.map((value): [string, string] => [name, value])),
      bodyText: text,
      truncated,
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw transportError(url, error, limits);
  } finally {
    clearTimeout(timer);
    // Hangs up on a body that was not read to the end.
    controller.abort();
  }
}

async function readCapped(body: NodeJS.ReadableStream, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  // Aborting emits 'error' on the body; once it is no longer read, nothing else listens.
  body.on('error', () => undefined);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (size + bytes.length > maxBytes) {
      chunks.push(bytes.subarray(0, maxBytes - size));
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(bytes);
    size += bytes.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** A failure below HTTP (DNS, TCP, TLS, proxy, timeout) as a message naming the host only. */
function transportError(url: URL, error: unknown, limits: HttpLimits): HttpRequestError {
  const { type, name } = error as { type?: unknown; name?: unknown };
  if (type === 'aborted' || name === 'AbortError') {
    return new HttpRequestError(
      'timeout',
      `${url.host} did not answer within ${limits.timeoutMs < 1000 ? `${limits.timeoutMs} ms` : `${Math.round(limits.timeoutMs / 1000)} s`}. Try again, or raise "fortellis.http.timeoutSeconds".`,
      error,
    );
  }
  const { code, tls, what } = networkFailure(error);
  if (tls) {
    return new HttpRequestError(
      'tls',
      `The TLS certificate of ${url.host} was not accepted (${code}). If a corporate proxy inspects TLS, add its CA to your system store; otherwise check the URL.`,
      error,
    );
  }
  if (limits.proxy) {
    return new HttpRequestError(
      'proxy',
      `Could not reach ${url.host} through the proxy ${limits.proxy}: ${what}. Check VS Code's "http.proxy" setting or the HTTPS_PROXY variable.`,
      error,
    );
  }
  return new HttpRequestError('unreachable', `Could not reach ${url.host}: ${what}. Check the URL and your network.`, error);
}
