import assert from 'node:assert/strict';
import { basicAuthorization, type ClientCredentials, requestClientCredentialsToken, type TokenRequestOptions } from '../../src/core/tokens/tokenRequests';
import { type TokenErrorKind, TokenRequestError } from '../../src/core/tokens/tokenErrors';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';

const SECRET = 'unit-test-secret-Zq8';
const credentials: ClientCredentials = { apiKey: 'unit-test-key', apiSecret: SECRET };
const options: TokenRequestOptions = { timeoutMs: 2000, maxAttempts: 3, sleep: async () => undefined };

/** Asserts the request failed with this kind, and that the message names the cause without the secret. */
async function assertFails(promise: Promise<unknown>, kind: TokenErrorKind, message: RegExp): Promise<TokenRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TokenRequestError, `expected a TokenRequestError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    assert.ok(!error.message.includes(SECRET), 'the secret is not in the message');
    return error;
  }
  assert.fail(`expected the request to fail with ${kind}`);
}

describe('client credentials against the sandbox authorization server', () => {
  let sandbox: Sandbox;
  const special: ClientCredentials = { apiKey: 'special-key', apiSecret: 'a+b%c$d&e=f g' };

  before(async () => {
    sandbox = await startSandbox({
      clients: [
        { clientId: credentials.apiKey, clientSecret: credentials.apiSecret },
        { clientId: special.apiKey, clientSecret: special.apiSecret },
      ],
    });
  });
  after(() => sandbox.close());

  it('gets a Bearer token for scope anonymous whose lifetime counts from the response', async () => {
    const sent = Date.now();
    const token = await requestClientCredentialsToken(sandbox.issuer, credentials, options);
    assert.equal(token.tokenType, 'Bearer');
    assert.equal(token.scope, 'anonymous');
    assert.equal(token.accessToken.split('.').length, 3, 'a JWT');
    assert.ok(token.receivedAt >= sent);
    assert.equal(token.expiresAt - token.receivedAt, 3600 * 1000);
  });

  it('form-urlencodes key and secret before base64 (RFC 6749 §2.3.1), so secrets with + % $ & = and spaces work', async () => {
    const token = await requestClientCredentialsToken(sandbox.issuer, special, options);
    assert.ok(token.accessToken.length > 0);
    assert.equal(basicAuthorization(special), `Basic ${Buffer.from('special-key:a%2Bb%25c%24d%26e%3Df+g').toString('base64')}`);
  });

  it('reports a wrong secret as rejected credentials, without retrying', async () => {
    sandbox.resetStats();
    await assertFails(
      requestClientCredentialsToken(sandbox.issuer, { ...credentials, apiSecret: 'wrong-secret' }, options),
      'invalid-credentials',
      /rejected the API key or secret/,
    );
    assert.equal(sandbox.stats().tokenRequests, 1);
  });

  it('reports key and secret swapped (secret:key) as rejected credentials', async () => {
    await assertFails(
      requestClientCredentialsToken(sandbox.issuer, { apiKey: credentials.apiSecret, apiSecret: credentials.apiKey }, options),
      'invalid-credentials',
      /key goes first/,
    );
  });

  it('explains an issuer URL that has /v1/token already', async () => {
    await assertFails(
      requestClientCredentialsToken(`${sandbox.issuer}/v1/token`, credentials, options),
      'not-json',
      /without \/v1\/token|not a Fortellis authorization server/,
    );
  });
});

describe('client credentials against servers that misbehave', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const issuer = () => `${server!.origin}/oauth2/test`;

  it('sends the Fortellis request: POST form body, Basic key:secret, JSON accepted', async () => {
    server = await startServer((_req, res) => json(res, 200, { access_token: 't', token_type: 'Bearer', expires_in: 3600, scope: 'anonymous' }));
    await requestClientCredentialsToken(issuer(), credentials, options);
    const [request] = server.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/oauth2/test/v1/token');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers.authorization, `Basic ${Buffer.from(`unit-test-key:${SECRET}`).toString('base64')}`);
    assert.equal(request.body, 'grant_type=client_credentials&scope=anonymous');
  });

  it('counts the lifetime from when a slow response arrived', async () => {
    server = await startServer((_req, res) => setTimeout(() => json(res, 200, { access_token: 't', expires_in: 3600 }), 300));
    const sent = Date.now();
    const token = await requestClientCredentialsToken(issuer(), credentials, options);
    assert.ok(token.expiresAt >= sent + 300 + 3600 * 1000, 'the 300 ms in flight do not shorten the lifetime');
  });

  it('explains an HTML page', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Not Found</body></html>');
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'not-json', /HTML page/);
  });

  it('explains malformed JSON and an empty body', async () => {
    server = await startServer((_req, res, i) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(i === 0 ? '{"access_token": "t", "expires_in": 36' : '');
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'not-json', /not JSON/);
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'not-json', /empty body/);
  });

  it('refuses a response without access_token', async () => {
    server = await startServer((_req, res) => json(res, 200, { token_type: 'Bearer', expires_in: 3600 }));
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'malformed-response', /without an access_token/);
  });

  for (const [label, expiresIn] of [
    ['missing', undefined],
    ['0', 0],
    ['negative', -5],
    ['a string', '3600'],
  ] as const) {
    it(`refuses a token whose expires_in is ${label}`, async () => {
      server = await startServer((_req, res) => json(res, 200, { access_token: 't', token_type: 'Bearer', expires_in: expiresIn }));
      await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'malformed-response', /valid expires_in/);
    });
  }

  it('explains invalid_scope', async () => {
    server = await startServer((_req, res) => json(res, 400, { error: 'invalid_scope', error_description: 'The requested scope is invalid' }));
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'invalid-scope', /scope "anonymous"/);
  });

  it('treats a bare 401 as rejected credentials', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'invalid-credentials', /HTTP 401/);
  });

  it('waits as Retry-After says on 503, then succeeds', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 503, { error: 'temporarily_unavailable' }, { 'Retry-After': '2' }) : json(res, 200, { access_token: 't', expires_in: 3600 }),
    );
    const waits: number[] = [];
    const retries: string[] = [];
    const token = await requestClientCredentialsToken(issuer(), credentials, {
      ...options,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (message) => retries.push(message),
    });
    assert.equal(token.accessToken, 't');
    assert.deepEqual(waits, [2000]);
    assert.match(retries[0], /HTTP 503.*Trying again in 2 s \(attempt 2 of 3\)/);
  });

  it('gives up on a failing gateway after the configured attempts, with growing waits', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const waits: number[] = [];
    await assertFails(
      requestClientCredentialsToken(issuer(), credentials, { ...options, sleep: async (ms) => void waits.push(ms) }),
      'server-error',
      /HTTP 502 \(an HTML error page\)/,
    );
    assert.equal(server.requests.length, 3);
    assert.deepEqual(waits, [500, 1000]);
  });

  it('does not retry a 500, nor wait longer than 10 s for a Retry-After', async () => {
    server = await startServer((_req, res, i) => json(res, i === 0 ? 500 : 429, {}, i === 0 ? {} : { 'Retry-After': '120' }));
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'server-error', /HTTP 500/);
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'rate-limited', /wait 120 s/);
    assert.equal(server.requests.length, 2);
  });

  it('does not follow a redirect, so the credentials never reach the other host', async () => {
    const elsewhere = await startServer((_req, res) => json(res, 200, { access_token: 't', expires_in: 3600 }));
    try {
      server = await startServer((_req, res) => {
        res.writeHead(307, { Location: `${elsewhere.origin}/steal` });
        res.end();
      });
      await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'redirect', /redirected the token request to 127\.0\.0\.1:\d+/);
      assert.equal(elsewhere.requests.length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  it('times out a server that stalls', async () => {
    server = await startServer(() => undefined);
    await assertFails(
      requestClientCredentialsToken(issuer(), credentials, { ...options, timeoutMs: 200 }),
      'timeout',
      /did not answer within 0 s|did not answer within/,
    );
    assert.equal(server.requests.length, 1, 'a timeout is not retried');
  });

  it('times out a body that stops half way', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"access_token":');
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, { ...options, timeoutMs: 300 }), 'timeout', /did not answer/);
  });

  it('retries a connection reset mid-body, then reports it', async () => {
    server = await startServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"access_token":"');
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
      void req;
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'unreachable', /ECONNRESET|reset/);
    assert.equal(server.requests.length, 3);
  });

  it('refuses a body far larger than a token response', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`{"access_token":"${'x'.repeat(10 * 1024 * 1024)}","expires_in":3600}`);
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'malformed-response', /larger than 256 KB/);
  });

  it('names the server that cannot be reached, and the proxy when one is configured', async () => {
    server = await startServer(() => undefined);
    const closed = issuer();
    await server.close();
    server = undefined;
    await assertFails(
      requestClientCredentialsToken(closed, credentials, options),
      'unreachable',
      /Could not reach 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED\)/,
    );
    await assertFails(
      requestClientCredentialsToken(closed, credentials, { ...options, proxy: 'http://proxy.corp:3128' }),
      'proxy',
      /through the proxy http:\/\/proxy\.corp:3128/,
    );
  });

  it('explains a proxy that wants authentication', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic' });
      res.end();
    });
    await assertFails(requestClientCredentialsToken(issuer(), credentials, options), 'proxy', /HTTP 407/);
  });

  it('refuses plain http to any host but loopback, before sending anything', async () => {
    await assertFails(
      requestClientCredentialsToken('http://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7', credentials, options),
      'insecure-endpoint',
      /plain http/,
    );
  });
});
