import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Answers a request in place of the authorization server. */
export type Fault = (request: IncomingMessage, response: ServerResponse) => void;

/** A private key and certificate, PEM-encoded. */
export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>, or https://… when started with a TLS identity. */
  readonly origin: string;
  /** HTTP requests received since the last switchTo. */
  readonly requests: number;
  /** TCP connections accepted since the last switchTo, including those whose TLS handshake failed. */
  readonly connections: number;
  /** Answers every request with the fault from now on; undefined forwards to the upstream again. */
  switchTo(fault: Fault | undefined): void;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection: a proxy does not pass them on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/**
 * A loopback reverse proxy in front of an HTTP upstream (the sandbox) that can be switched, between requests,
 * to answer by itself instead: so a client first gets real tokens through it, then meets the fault.
 */
export async function startFaultProxy(upstream: string, tls?: TlsIdentity): Promise<FaultProxy> {
  const upstreamUrl = new URL(upstream);
  let fault: Fault | undefined;
  let requests = 0;
  let connections = 0;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    if (fault) {
      fault(req, res);
    } else {
      forward(upstreamUrl, req, res);
    }
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  server.on('connection', () => connections++);
  const port = await listen(server);
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    switchTo(next) {
      fault = next;
      requests = 0;
      connections = 0;
    },
    close: () => close(server),
  };
}

function forward(upstream: URL, req: IncomingMessage, res: ServerResponse): void {
  const outgoing = request(new URL(req.url ?? '/', upstream), { method: req.method, headers: { ...endToEnd(req.headers), host: upstream.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
    answer.pipe(res);
  });
  outgoing.on('error', () => res.destroy());
  req.pipe(outgoing);
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server and every connection still open, stalled requests included. */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
