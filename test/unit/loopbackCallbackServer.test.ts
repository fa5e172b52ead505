/**
 * The loopback callback server answers only a Host equal to its Callback URL's host:port and a loopback or absent
 * Origin: a page reached by DNS rebinding (Host: attacker.example:8123) or posted from another site gets a 4xx and
 * no page, and never counts as the sign-in's answer. Raw HTTP requests, so that Host is exactly what is sent.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { type LoopbackCallback, startLoopbackCallback } from '../../src/core/signIn/loopbackCallbackServer';
import type { AcceptedCallback, ExpectedCallback } from '../../src/core/signIn/signInCallback';
import { freePort } from './helpers/freePort';

const EXPECTED: ExpectedCallback = { state: 'st4te-of-this-sign-in', responseType: 'code', issuer: 'http://127.0.0.1:4500/oauth2/sandbox' };

interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Sends `lines` (the request line and headers) and `body` as they are, and reads the whole answer. */
function rawRequest(port: number, lines: string[], body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
        headers: head,
        body: /^transfer-encoding: chunked$/im.test(head) ? unchunked(body) : body,
      });
    });
    socket.end(`${[...lines, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`);
  });
}

function unchunked(body: string): string {
  let text = '';
  for (let at = 0; ;) {
    const end = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, end), 16);
    if (!(size > 0)) {
      return text;
    }
    text += body.slice(end + 2, end + 2 + size);
    at = end + 2 + size + 2;
  }
}

function stateOf(callback: Promise<AcceptedCallback>): Promise<AcceptedCallback | 'pending'> {
  return Promise.race([callback, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);
}

describe('the loopback callback server answers only its own Host and a loopback Origin', () => {
  let port: number;
  let loopback: LoopbackCallback | undefined;

  beforeEach(async () => {
    port = await freePort();
  });
  afterEach(async () => {
    await loopback?.close();
    loopback = undefined;
  });

  async function listen(redirectUri: string): Promise<LoopbackCallback> {
    loopback = await startLoopbackCallback({ redirectUri, timeoutMs: 5000, expected: EXPECTED });
    return loopback;
  }

  const callbackQuery = `/callback?code=c0de-from-the-issuer&state=${EXPECTED.state}`;

  it('Host: attacker.example:<port> (DNS rebinding) gets 421 and no page, even with the right state, and the sign-in still waits', async () => {
    const { callback } = await listen(`http://127.0.0.1:${port}/callback`);
    for (const path of ['/callback', callbackQuery, '/other']) {
      const answer = await rawRequest(port, [`GET ${path} HTTP/1.1`, `Host: attacker.example:${port}`]);
      assert.equal(answer.status, 421, path);
      assert.equal(answer.body, '', `no page for ${path}`);
    }
    assert.equal(await stateOf(callback), 'pending');
  });

  it('a Host that differs from the Callback URL in any way (port, name, none) gets 421; the exact one is served', async () => {
    const { callback } = await listen(`http://localhost:${port}/callback`);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port + 1}`, 'localhost', `localhost.attacker.example:${port}`, undefined]) {
      const answer = await rawRequest(port, [`GET /callback HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`])]);
      assert.equal(answer.status, host === undefined ? 400 : 421, String(host));
      assert.equal(answer.body, '');
    }
    const relay = await rawRequest(port, [`GET /callback HTTP/1.1`, `Host: LOCALHOST:${port}`]);
    assert.equal(relay.status, 200, 'a host name is not case-sensitive');
    assert.match(relay.body, /Finishing the Fortellis sign-in/);
    assert.equal(await stateOf(callback), 'pending');
  });

  it('a form post with the right state from another Origin gets 403 and no page, and is not taken as the answer', async () => {
    const { callback } = await listen(`http://127.0.0.1:${port}/callback`);
    const form = `code=c0de-from-the-issuer&state=${EXPECTED.state}`;
    for (const origin of [`http://attacker.example:${port}`, 'https://identity.example.com', 'null']) {
      const answer = await rawRequest(
        port,
        ['POST /callback HTTP/1.1', `Host: 127.0.0.1:${port}`, `Origin: ${origin}`, 'Content-Type: application/x-www-form-urlencoded'],
        form,
      );
      assert.equal(answer.status, 403, origin);
      assert.equal(answer.body, '');
    }
    assert.equal(await stateOf(callback), 'pending');
    const accepted = await rawRequest(
      port,
      ['POST /callback HTTP/1.1', `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'Content-Type: application/x-www-form-urlencoded'],
      form,
    );
    assert.equal(accepted.status, 200);
    assert.deepEqual(await callback, { kind: 'code', code: 'c0de-from-the-issuer' });
  });

  it('a redirect without Origin is answered, and the relay page sends its own origin with its post (Referrer-Policy same-origin)', async () => {
    const { callback } = await listen(`http://127.0.0.1:${port}/callback`);
    const relay = await rawRequest(port, ['GET /callback HTTP/1.1', `Host: 127.0.0.1:${port}`]);
    // With no-referrer a browser sends "Origin: null" with the relay's post, which would be refused.
    assert.match(relay.headers, /^Referrer-Policy: same-origin$/im);
    const answer = await rawRequest(port, [`GET ${callbackQuery} HTTP/1.1`, `Host: 127.0.0.1:${port}`]);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Signed in to Fortellis/);
    assert.deepEqual(await callback, { kind: 'code', code: 'c0de-from-the-issuer' });
  });
});
