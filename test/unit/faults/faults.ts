import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Fault } from './faultProxy';

/** The shape of a Fortellis token response, for faults that break one field of it. */
export function tokenResponse(fields: Record<string, unknown>): Record<string, unknown> {
  return { token_type: 'Bearer', access_token: 'fault-proxy-token', expires_in: 3600, scope: 'anonymous', ...fields };
}

export function answer(status: number, body: string, headers: OutgoingHttpHeaders = {}): Fault {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

export function jsonAnswer(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): Fault {
  return answer(status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

/** What a gateway, a WAF or a captive portal puts in front of a server. */
export function htmlPage(status: number, title: string): Fault {
  return answer(status, `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, {
    'Content-Type': 'text/html; charset=utf-8',
  });
}

/** Reads the request and never answers. */
export const stall: Fault = () => undefined;

/** Sends the headers and part of the body, then resets the TCP connection (RST). */
export const resetMidBody: Fault = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
  res.write('{"access_token":"');
  setTimeout(() => res.socket?.resetAndDestroy(), 20);
};

/** A JSON token response whose access_token alone is `bytes` long. */
export function hugeBody(bytes: number): Fault {
  return jsonAnswer(200, tokenResponse({ access_token: 'x'.repeat(bytes) }));
}

export function redirectTo(location: string): Fault {
  return answer(307, '', { Location: location });
}

/** What an endless body has done so far. */
export interface Download {
  readonly bytes: number;
  /** The client closed the connection. */
  readonly closed: boolean;
}

/**
 * A 200 JSON response whose body never ends: it is written as fast as the client reads it, until the client
 * hangs up or stop() cuts it.
 */
export function endlessBody(): { readonly fault: Fault; readonly download: () => Download; stop(): void } {
  let bytes = 0;
  let closed = false;
  let response: ServerResponse | undefined;
  const chunk = 'x'.repeat(64 * 1024);
  const fault: Fault = (_req, res) => {
    response = res;
    res.on('close', () => (closed = true));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"access_token":"');
    // Writes until the socket's buffer is full, then again on each 'drain'.
    const pump = (): void => {
      while (!closed && !res.destroyed) {
        bytes += chunk.length;
        if (!res.write(chunk)) {
          return;
        }
      }
    };
    res.on('drain', pump);
    pump();
  };
  return { fault, download: () => ({ bytes, closed }), stop: () => response?.destroy() };
}
