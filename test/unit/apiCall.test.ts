import assert from 'node:assert/strict';
import nodeFetch from 'node-fetch';
import {
  type ApiRequest,
  type ApiResponse,
  MAX_API_RESPONSE_BYTES,
  type RenewedCall,
  sendApiRequest,
  sendRenewingOnce,
} from '../../src/core/apiRequests/apiCall';
import { responseBody, responseView } from '../../src/core/apiRequests/responseView';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_HINTS } from '../../src/core/apiRequests/gatewayErrors';
import { type FetchFunction, type HttpErrorKind, HttpRequestError } from '../../src/core/http/limitedFetch';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { installOfflineDns } from './faults/offlineDns';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';
import { sandboxAppToken, untilExpired } from './helpers/sandboxTokens';

const options = { timeoutMs: 2000 };

/** Asserts the call failed with this kind and message, and that the message does not hold the token. */
async function assertFails(promise: Promise<unknown>, token: string, kind: HttpErrorKind, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HttpRequestError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    assert.ok(token.length > 0 && !error.message.includes(token), 'the token is not in the message');
    return true;
  });
}

function assertNoToken(text: string, token: string): void {
  assert.ok(!text.includes(token), 'the token is not in the text');
  assert.ok(!text.includes(token.split('.')[2] ?? token), 'nor its signature');
  assert.doesNotMatch(text, /Bearer [\w-]{8,}/, "nor the request's Authorization header");
}

describe('Call API against the sandbox gateway', () => {
  let sandbox: Sandbox;
  let token: string;
  const request = (path: string, extra: Partial<ApiRequest> = {}): ApiRequest => ({
    method: 'GET',
    url: `${sandbox.apiBaseUrl}${path}`,
    token,
    subscriptionId: 'test',
    requestId: 'call-api-test-1',
    ...extra,
  });

  before(async () => {
    sandbox = await startSandbox();
    token = await sandboxAppToken(sandbox);
  });
  beforeEach(() => sandbox.resetApiRequests());
  after(() => sandbox.close());

  it('sends the Fortellis headers and a JSON body, and shows the answer pretty-printed without the token', async () => {
    const body = '{"customer":{"name":"Zoë","vehicles":[1,2]}}';
    const sent = request('/cdk-test/sales/v1/deals?limit=5', { method: 'post', subscriptionId: 'sandbox-dealer-1', body });
    const response = await sendApiRequest(sent, options);

    assert.equal(response.status, 200);
    assert.equal(response.statusText, 'OK');
    assert.equal(response.requestId, 'call-api-test-1');
    assert.equal(response.truncated, false);
    assert.equal(response.gatewayError, undefined);
    assert.ok(response.elapsedMs >= 0 && response.elapsedMs < 2000);
    assert.ok(response.headers.some(([name, value]) => name === 'content-type' && value === 'application/json'));
    const echoed = JSON.parse(response.bodyText) as Record<string, unknown>;
    assert.equal(echoed.body, body, 'the body arrived as typed');
    assert.deepEqual(
      sandbox.apiRequests().map(({ method, query, authenticated, subscriptionId, requestId, accept, contentType }) => ({
        method,
        query,
        authenticated,
        subscriptionId,
        requestId,
        accept,
        contentType,
      })),
      [
        {
          method: 'POST',
          query: 'limit=5',
          authenticated: true,
          subscriptionId: 'sandbox-dealer-1',
          requestId: 'call-api-test-1',
          accept: 'application/json',
          contentType: 'application/json',
        },
      ],
    );

    const text = viewText(sent, response);
    const lines = text.split('\n');
    assert.match(lines[0], /^\/\/ HTTP 200 OK · \d+ ms · post \S+$/);
    assert.equal(lines[1], '// Request-Id: call-api-test-1');
    assert.ok(lines.includes('// content-type: application/json'));
    const bodyStart = lines.indexOf('');
    assert.ok(bodyStart > 1, 'a blank line before the body');
    assert.equal(lines.slice(bodyStart + 1).join('\n'), JSON.stringify(echoed, null, 2));
    assertNoToken(text, token);
  });

  it('sends no Content-Type without a body, and no Subscription-Id when there is none (the gateway says so)', async () => {
    const response = await sendApiRequest(request('/cdk-test/ping', { subscriptionId: '' }), options);
    assert.equal(response.status, 400);
    assert.deepEqual(response.gatewayError, { code: 'MISSING-SUBSCRIPTION-ID', hint: GATEWAY_ERROR_HINTS['MISSING-SUBSCRIPTION-ID'] });
    const [record] = sandbox.apiRequests();
    assert.equal(record.contentType, undefined);
    assert.equal(record.subscriptionId, undefined);
  });

  it('names every gateway error code with its hint', async () => {
    for (const code of GATEWAY_ERROR_CODES) {
      const sent = request(`/__gateway-errors/${code}`);
      const response = await sendApiRequest(sent, options);
      assert.deepEqual(response.gatewayError, { code, hint: GATEWAY_ERROR_HINTS[code] }, code);
      const text = viewText(sent, response);
      assert.equal(text.split('\n')[2].replace(/^\/\/ /, ''), `${code}: ${GATEWAY_ERROR_HINTS[code]}`);
      assertNoToken(text, token);
    }
  });

  it("explains an inactive subscription and one that is not the app's", async () => {
    const inactive = await sendApiRequest(request('/cdk-test/ping', { subscriptionId: 'sandbox-dealer-inactive' }), options);
    assert.equal(inactive.gatewayError?.code, 'API-SUBSCRIPTION-INACTIVE');
    const foreign = await sendApiRequest(request('/cdk-test/ping', { subscriptionId: 'another-apps-dealer' }), options);
    assert.equal(foreign.gatewayError?.code, 'SUBSCRIPTION-MISMATCH');
    assert.match(
      viewText(request(''), foreign),
      /^(\/\/ )?HTTP 403 Forbidden · \d+ ms · GET \S+\n(\/\/ )?Request-Id: call-api-test-1\n(\/\/ )?SUBSCRIPTION-MISMATCH: .*pick one of the app's subscriptions/,
    );
  });

  it('renews an expired token and sends the request once more, saying so; a second refusal is not retried', async function () {
    this.timeout(12_000);
    // 3 s, not 1 s: the renewed token must outlive renewing and sending once more, which took over a second on a
    // loaded machine.
    const shortLived = await startSandbox({ accessTokenTtlSeconds: 3 });
    try {
      const expiring = await sandboxAppToken(shortLived);
      await untilExpired(expiring);
      let renewals = 0;
      const fresh = async () => {
        renewals++;
        return sandboxAppToken(shortLived);
      };
      const sent: ApiRequest = {
        method: 'GET',
        url: `${shortLived.apiBaseUrl}/cdk-test/ping`,
        token: expiring,
        subscriptionId: 'test',
        requestId: 'expired-2',
      };
      const call = await sendRenewingOnce(sent, fresh, () => 'retried-2', options);
      assert.equal(call.response.status, 200);
      assert.equal(renewals, 1);
      assert.deepEqual(call.retried, { status: 401, code: 'TOKEN-EXPIRED', requestId: 'expired-2' });
      assert.equal(call.request.requestId, 'retried-2');
      assert.match(
        viewText(call.request, call.response, call.retried),
        /The gateway refused the token \(HTTP 401 TOKEN-EXPIRED, Request-Id expired-2\): it was renewed and the request sent once more\./,
      );
      // A token the gateway keeps refusing is renewed once, not in a loop.
      let refusedRenewals = 0;
      const stillExpired = await sendRenewingOnce(
        sent,
        async () => (refusedRenewals++, expiring),
        () => 'retried-3',
        options,
      );
      assert.equal(stillExpired.response.status, 401);
      assert.equal(refusedRenewals, 1);
      // Other gateway errors are not a token problem: no renewal.
      const mismatch = await sendRenewingOnce(
        request('/__gateway-errors/SUBSCRIPTION-MISMATCH'),
        async () => assert.fail('renewed for a subscription error'),
        () => 'x',
        options,
      );
      assert.equal(mismatch.retried, undefined);
    } finally {
      await shortLived.close();
    }
  });

  it('shows TOKEN-EXPIRED with its hint once a real token has expired', async function () {
    this.timeout(8000);
    const shortLived = await startSandbox({ accessTokenTtlSeconds: 1 });
    try {
      const expiring = await sandboxAppToken(shortLived);
      await untilExpired(expiring);
      const sent: ApiRequest = {
        method: 'GET',
        url: `${shortLived.apiBaseUrl}/cdk-test/ping`,
        token: expiring,
        subscriptionId: 'test',
        requestId: 'expired-1',
      };
      const response = await sendApiRequest(sent, options);
      assert.equal(response.status, 401);
      assert.equal(response.gatewayError?.code, 'TOKEN-EXPIRED');
      const text = viewText(sent, response);
      assert.match(text, /TOKEN-EXPIRED: The token has expired: run "Fortellis: Renew Token"/);
      assertNoToken(text, expiring);
    } finally {
      await shortLived.close();
    }
  });

  it('refuses a body on GET, and a token or Subscription-Id a header cannot carry, without echoing them', async () => {
    await assertFails(sendApiRequest(request('/cdk-test/ping', { body: '{}' }), options), token, 'invalid-request', /GET request cannot carry a body/);
    await assertFails(sendApiRequest(request('/cdk-test/ping', { method: 'GET /admin' }), options), token, 'invalid-request', /one word such as GET or POST/);
    await assertFails(sendApiRequest(request('/cdk-test/ping', { token: `${token}\r\nX-Injected: 1` }), options), token, 'invalid-request', /copy it again/);
    await assertFails(
      sendApiRequest(request('/cdk-test/ping', { subscriptionId: 'test\nX-Injected: 1' }), options),
      token,
      'invalid-request',
      /Subscription-Id header has line breaks/,
    );
    assert.deepEqual(sandbox.apiRequests(), [], 'nothing was sent');
  });
});

describe('Call API over the network', () => {
  const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYWxsLWFwaSJ9.c2lnbmF0dXJlLW9mLXRoZS10ZXN0LXRva2Vu';
  let server: TestServer | undefined;
  let other: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    await other?.close();
    server = other = undefined;
  });

  const request = (url: string): ApiRequest => ({ method: 'GET', url, token: TOKEN, subscriptionId: 'test', requestId: 'net-1' });

  it('refuses plain http to a host that is not this machine, before any network traffic', async () => {
    const calls: string[] = [];
    const spy = ((url: string, init) => {
      calls.push(url);
      return nodeFetch(url, init);
    }) as FetchFunction;
    await assertFails(
      sendApiRequest(request('http://api.fortellis.io/cdk-test/ping'), { ...options, fetch: spy }),
      TOKEN,
      'insecure-url',
      /^Refusing to send your token over plain http to api\.fortellis\.io: use https \(http is allowed only on localhost \/ 127\.0\.0\.1\)\.$/,
    );
    await assertFails(sendApiRequest(request('ftp://127.0.0.1/x'), { ...options, fetch: spy }), TOKEN, 'invalid-url', /https:\/\//);
    await assertFails(sendApiRequest(request('api.fortellis.io/cdk-test'), { ...options, fetch: spy }), TOKEN, 'invalid-url', /not a full URL/);
    assert.deepEqual(calls, []);
  });

  it("sends a spec's header parameters as given (If-Match, X-Dealer); refuses one the extension or HTTP sets, or a bad name or value", async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const sent = {
      ...request(`${server.origin}/api/ping`),
      extraHeaders: [
        ['If-Match', '"v7"'],
        ['X-Dealer', 'D-12'],
      ] as const,
    };
    assert.equal((await sendApiRequest(sent, options)).status, 200);
    assert.equal(server.requests[0].headers['if-match'], '"v7"');
    assert.equal(server.requests[0].headers['x-dealer'], 'D-12');
    assert.equal(server.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    for (const [name, value] of [
      ['Authorization', 'Bearer other'],
      ['host', 'attacker.example'],
      ['Request-Id', 'x'],
      ['Bad Name', 'x'],
      ['X-Dealer', 'a\r\nX-Injected: 1'],
      ['Expect', '100-continue'],
      ['Content-Language', 'fr-CA'],
    ]) {
      await assertFails(sendApiRequest({ ...sent, extraHeaders: [[name, value]] }, options), TOKEN, 'invalid-request', /header/i);
    }
    assert.equal(server.requests.length, 1, 'nothing sent for a refused header');
  });

  it('does not follow a redirect, so the token never reaches the other host', async () => {
    other = await startServer((_req, res) => json(res, 200, { stolen: true }));
    const target = `${other.origin}/collect`;
    server = await startServer((_req, res) => res.writeHead(302, { Location: target }).end());
    const sent = request(`${server.origin}/api/ping`);
    const response = await sendApiRequest(sent, options);
    assert.equal(response.status, 302);
    assert.equal(other.requests.length, 0);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.match(viewText(sent, response), new RegExp(`Redirect not followed: the token is sent only to the host you entered\\. Call ${target} directly`));
  });

  it('times out a server that does not answer, naming the host and the setting', async () => {
    server = await startServer(() => undefined);
    await assertFails(
      sendApiRequest(request(`${server.origin}/api/slow`), { timeoutMs: 200 }),
      TOKEN,
      'timeout',
      new RegExp(`^${new URL(server.origin).host} did not answer within 200 ms\\. Try again, or raise "fortellis\\.http\\.timeoutSeconds"\\.$`),
    );
  });

  it('times out a body that stops half way', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items":[');
    });
    await assertFails(sendApiRequest(request(`${server.origin}/api/stall`), { timeoutMs: 300 }), TOKEN, 'timeout', /did not answer/);
  });

  it('explains a host name that does not resolve and a refused connection', async () => {
    const dns = installOfflineDns();
    try {
      await assertFails(
        sendApiRequest(request('https://api.fortellis.invalid/cdk-test/ping'), options),
        TOKEN,
        'unreachable',
        /^Could not reach api\.fortellis\.invalid: the host name does not resolve \(ENOTFOUND\)\. Check the URL and your network\.$/,
      );
    } finally {
      dns.uninstall();
    }
    server = await startServer(() => undefined);
    const { origin } = server;
    await server.close();
    server = undefined;
    await assertFails(
      sendApiRequest(request(`${origin}/api/ping`), { ...options, proxy: 'http://proxy.example:3128' }),
      TOKEN,
      'proxy',
      /through the proxy http:\/\/proxy\.example:3128: the connection was refused \(ECONNREFUSED\)/,
    );
    await assertFails(sendApiRequest(request(`${origin}/api/ping`), options), TOKEN, 'unreachable', /the connection was refused \(ECONNREFUSED\)/);
  });

  it(`keeps the first ${MAX_API_RESPONSE_BYTES / (1024 * 1024)} MB of a larger body and says it was truncated`, async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`[${'"0123456789",'.repeat(500_000)}"end"]`);
    });
    const sent = request(`${server.origin}/api/big`);
    const response = await sendApiRequest(sent, options);
    assert.equal(response.truncated, true);
    assert.equal(Buffer.byteLength(response.bodyText), MAX_API_RESPONSE_BYTES);
    const text = viewText(sent, response);
    assert.match(text, /\nBody truncated: only its first 5 MB is shown\.\n/);
    assert.ok(text.endsWith(response.bodyText), 'shown raw: the beginning of JSON does not parse');
  });

  it('shows a non-JSON body as received, and hides a token the API echoes back', async () => {
    server = await startServer((req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/plain', 'X-Echo': req.headers.authorization ?? '', 'Request-Id': 'from-gateway-7' });
      res.end(`upstream said: you sent ${req.headers.authorization}\nTARGET-RESPONSE`);
    });
    const sent = request(`${server.origin}/api/echo`);
    const response = await sendApiRequest(sent, options);
    assert.equal(response.requestId, 'from-gateway-7', 'the Request-Id of the response wins');
    assert.equal(response.gatewayError?.code, 'TARGET-RESPONSE');
    const text = viewText(sent, response);
    assert.ok(!text.includes(TOKEN));
    assert.match(text, /^HTTP 502 Bad Gateway · \d+ ms · GET \S+\nRequest-Id: from-gateway-7\nTARGET-RESPONSE: /);
    assert.match(text, /\nx-echo: Bearer \[redacted\]\n/);
    assert.ok(text.endsWith('\n\nupstream said: you sent Bearer [redacted]\nTARGET-RESPONSE'));
  });

  it('does not look for gateway codes in a successful body', async () => {
    server = await startServer((_req, res) => json(res, 200, { note: 'QUOTA-EXCEEDED is a word in this document' }));
    const response = await sendApiRequest(request(`${server.origin}/api/doc`), options);
    assert.equal(response.gatewayError, undefined);
  });

  it('says so when the body is empty', async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
    const sent = { ...request(`${server.origin}/api/thing`), method: 'DELETE' };
    const response = await sendApiRequest(sent, options);
    assert.equal(server.requests[0].method, 'DELETE');
    assert.match(viewText(sent, response), /^\/\/ HTTP 204 No Content · \d+ ms · DELETE \S+\n[^]*\n\/\/ \(empty body\)$/);
  });
});

/** The one response view's text, as Call API shows it (no spec check). */
function viewText(request: ApiRequest, response: ApiResponse, retried?: RenewedCall['retried']): string {
  return responseView(request, response, responseBody(response.bodyText, response.truncated), { retried }).text;
}
