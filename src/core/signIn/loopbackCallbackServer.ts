/**
 * A short-lived http server on the loopback address and port of a registered Callback URL, which catches the
 * browser's redirect at the end of a sign-in. The implicit flow's tokens travel in the URL fragment, which browsers
 * never send to a server: at the callback path, a small page reads the fragment and posts it back to the same path.
 * Nothing here logs: the requests carry codes and tokens.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isLoopbackHost } from '../http/urlPolicy';
import { acceptOneCallback, type AcceptedCallback, type ExpectedCallback, type SignInCallback, signInErrorMessage } from './signInCallback';

export type LoopbackFailure = 'not-loopback' | 'port-in-use' | 'port-forbidden' | 'listen-failed' | 'timeout' | 'closed';

export class LoopbackCallbackError extends Error {
  constructor(
    readonly reason: LoopbackFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LoopbackCallbackError';
  }
}

export interface LoopbackCallbackOptions {
  /** The app's registered Callback URL, e.g. http://127.0.0.1:8123/callback: its host, port and exact path are served. */
  readonly redirectUri: string;
  readonly timeoutMs: number;
  /** The pending sign-in: callbacks without its state are answered, ignored, and the wait goes on. */
  readonly expected: ExpectedCallback;
}

export interface LoopbackCallback {
  /** The first callback with the expected state (a code, tokens or an error); rejects with a LoopbackCallbackError on timeout or close(). */
  readonly callback: Promise<AcceptedCallback>;
  /** Stops waiting and frees the port; a page being sent to the browser is finished first. */
  close(): Promise<void>;
}

/** Form posts to the callback carry a few tokens: a few KB. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long close() lets a response in progress finish before cutting its connection. */
const CLOSE_GRACE_MS = 1000;

interface LoopbackTarget {
  /** The Callback URL's host:port as a browser sends it in Host (lower case, no default port). */
  readonly authority: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

/** Listens at once; rejects with a LoopbackCallbackError when the URI is not loopback or the port cannot be used. */
export async function startLoopbackCallback({ redirectUri, timeoutMs, expected }: LoopbackCallbackOptions): Promise<LoopbackCallback> {
  const target = loopbackTarget(redirectUri);
  const server = createServer();
  await listen(server, target);

  const accept = acceptOneCallback(expected);
  let resolve!: (callback: AcceptedCallback) => void;
  let reject!: (error: LoopbackCallbackError) => void;
  const callback = new Promise<AcceptedCallback>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A caller that closes without awaiting the callback must not cause an unhandled rejection.
  callback.catch(() => undefined);

  let closing: Promise<void> | undefined;
  const stop = (error?: LoopbackCallbackError): Promise<void> => {
    clearTimeout(timer);
    if (error) {
      reject(error);
    }
    closing ??= closeServer(server);
    return closing;
  };
  const timer = setTimeout(() => {
    const seconds = Math.ceil(timeoutMs / 1000);
    const message = `No sign-in response reached ${redirectUri} within ${seconds} s. Check that it is the Callback URL registered for the app, then sign in again or try a different way.`;
    void stop(new LoopbackCallbackError('timeout', message));
  }, timeoutMs);

  server.on('error', (error: NodeJS.ErrnoException) => void stop(listenError(error, target.port)));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answer(request, response, target, accept).then(
      (accepted) => {
        if (accepted) {
          resolve(accepted);
          void stop();
        }
      },
      // The browser went away mid-request: nothing to answer.
      () => response.destroy(),
    );
  });
  return { callback, close: () => stop(new LoopbackCallbackError('closed', 'The sign-in was cancelled.')) };
}

/** The Callback URL when it is a loopback one (http, 127.0.0.1/localhost/::1, no query); else a LoopbackCallbackError. */
export function checkedLoopbackRedirectUri(redirectUri: string): string {
  loopbackTarget(redirectUri);
  return redirectUri;
}

function loopbackTarget(redirectUri: string): LoopbackTarget {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new LoopbackCallbackError('not-loopback', `The Callback URL is not a URL: "${redirectUri}".`);
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    throw new LoopbackCallbackError(
      'not-loopback',
      `The loopback callback needs an http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path> Callback URL, not ${url.origin}.`,
    );
  }
  if (url.search || url.hash) {
    throw new LoopbackCallbackError('not-loopback', 'A loopback Callback URL has no query string or fragment.');
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return {
    authority: url.host,
    // Browsers fall back to 127.0.0.1 for localhost; binding it explicitly does not depend on how localhost resolves here.
    host: hostname === 'localhost' ? '127.0.0.1' : hostname,
    port: url.port ? Number(url.port) : 80,
    path: url.pathname,
  };
}

function listen(server: Server, { host, port }: LoopbackTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, port: number): LoopbackCallbackError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new LoopbackCallbackError(
        'port-in-use',
        `Port ${port} is in use by another program: close it, or register a different loopback Callback URL for the app and set it in the profile.`,
      );
    case 'EACCES':
      return new LoopbackCallbackError(
        'port-forbidden',
        `Port ${port} needs administrator rights here: register a loopback Callback URL with a port above 1023 for the app and set it in the profile.`,
      );
    default:
      return new LoopbackCallbackError('listen-failed', `Could not listen on port ${port} for the sign-in callback (${error.code ?? error.message}).`);
  }
}

/** Answers one request; returns the callback when the request was the one the sign-in waits for. */
async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  target: LoopbackTarget,
  accept: (callback: URLSearchParams) => SignInCallback,
): Promise<AcceptedCallback | undefined> {
  // Another Host is a page reached by DNS rebinding; another Origin, a post from another site: neither gets a page.
  if (!isOurHost(request.headers.host, target)) {
    sendNothing(response, 421);
    return undefined;
  }
  if (!isLoopbackOrigin(request.headers.origin)) {
    sendNothing(response, 403);
    return undefined;
  }
  const url = new URL(request.url ?? '/', 'http://loopback');
  if (url.pathname !== target.path) {
    send(response, 404, messagePage('Not found', 'This address only receives the Fortellis sign-in for VS Code.'));
    return undefined;
  }
  const parameters = await callbackParameters(request, url);
  if (typeof parameters === 'number') {
    send(response, parameters, messagePage('Not a sign-in response', 'This address only receives the Fortellis sign-in for VS Code.'));
    return undefined;
  }
  if (parameters === undefined) {
    send(response, 200, relayPage(target.path));
    return undefined;
  }
  const callback = accept(parameters);
  switch (callback.kind) {
    case 'foreign':
      send(
        response,
        400,
        messagePage(
          'Not the sign-in VS Code is waiting for',
          'This sign-in response is stale, repeated or not from VS Code, so it was ignored. If VS Code is still waiting, finish the sign-in in the tab it opened.',
        ),
      );
      return undefined;
    case 'error':
      send(response, 200, messagePage('Fortellis sign-in failed', `${signInErrorMessage(callback)} You can close this tab and return to VS Code.`));
      return callback;
    default:
      send(response, 200, messagePage('Signed in to Fortellis', 'Signed in to Fortellis. You can close this tab and return to VS Code.'));
      return callback;
  }
}

/** The Host header names the Callback URL's host and port (a host name in any case, ":80" or not for port 80). */
function isOurHost(host: string | undefined, target: LoopbackTarget): boolean {
  if (host === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    return false;
  }
  try {
    return new URL(`http://${host}`).host === target.authority;
  } catch {
    return false;
  }
}

/** No Origin (a redirect, a typed address), or one on a loopback host (the relay page; a loopback issuer's form_post). */
function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) {
    return true;
  }
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The response parameters of a GET's query or of a form POST; undefined for a GET without a query (the fragment
 * may hold them: serve the relay page); an HTTP status for anything else.
 */
async function callbackParameters(request: IncomingMessage, url: URL): Promise<URLSearchParams | number | undefined> {
  if (request.method === 'GET') {
    return url.search ? url.searchParams : undefined;
  }
  if (request.method !== 'POST') {
    return 405;
  }
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return 415;
  }
  const body = await readBody(request);
  return body === undefined ? 413 : new URLSearchParams(body);
}

/** The body as text, or undefined when it exceeds MAX_BODY_BYTES (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface Page {
  readonly html: string;
  readonly nonce: string;
}

/** A status and no body: a request that is not for this server gets no page to read. */
function sendNothing(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'Content-Length': '0', 'Cache-Control': 'no-store', Connection: 'close' });
  response.end();
}

function send(response: ServerResponse, status: number, { html, nonce }: Page): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // Not no-referrer: with it, the relay page's post would carry "Origin: null", which is refused. same-origin still
    // never sends the callback's address (with its code) to another site.
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    // One request per connection: nothing stays open once the sign-in is answered.
    Connection: 'close',
  });
  response.end(html);
}

function messagePage(title: string, message: string): Page {
  return page(title, () => `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/**
 * Reads the fragment, removes it from the address bar and history, and posts it to the callback path as a form:
 * the browser then shows the page that answers the post.
 */
function relayPage(path: string): Page {
  return page(
    'Finishing the Fortellis sign-in',
    (nonce) => `<h1>Finishing the Fortellis sign-in…</h1>
<p id="status">Passing the sign-in response to VS Code.</p>
<noscript><p>JavaScript is off, so this page cannot pass the response on: copy this page's full address and paste it into VS Code.</p></noscript>
<form id="relay" method="post" action="${escapeHtml(path)}"></form>
<script nonce="${nonce}">
  (function () {
    var response = location.hash.slice(1);
    history.replaceState(null, '', location.pathname);
    if (!response) {
      document.getElementById('status').textContent = 'This address carries no sign-in response. Start the sign-in from VS Code.';
      return;
    }
    var form = document.getElementById('relay');
    new URLSearchParams(response).forEach(function (value, name) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    });
    form.submit();
  })();
</script>`,
  );
}

function page(title: string, body: (nonce: string) => string): Page {
  const nonce = randomBytes(16).toString('base64');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body { font-family: system-ui, sans-serif; max-width: 36em; margin: 4em auto; padding: 0 1em; line-height: 1.5; }</style>
</head>
<body>
${body(nonce)}
</body>
</html>
`;
  return { html, nonce };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Frees the port at once; connections still sending a page get CLOSE_GRACE_MS to finish. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
}
