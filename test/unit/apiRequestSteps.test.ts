import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ApiResponse, RenewedCall } from '../../src/core/apiRequests/apiCall';
import { buildApiRequest, sendDraft, sentCallLogLine } from '../../src/core/apiRequests/apiRequestSteps';
import { fuzzRuns } from './helpers/fuzzSettings';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';

const http = { timeoutMs: 2000 };

describe("The request pipeline's steps: build, send renewing once, the log line", () => {
  it('builds the request from the draft as given, with the token, the Subscription-Id and a new Request-Id each time', () => {
    const draft = { method: 'POST', url: 'https://api.example.com/v1/orders', body: '{}', accept: 'text/csv', extraHeaders: [['If-Match', '"7"']] as const };
    let count = 0;
    const newRequestId = (): string => `request-${++count}`;
    const first = buildApiRequest(draft, 'the-token', 'dealer-1', newRequestId);
    const second = buildApiRequest(draft, 'the-token', 'dealer-1', newRequestId);
    assert.deepEqual(first, { ...draft, token: 'the-token', subscriptionId: 'dealer-1', requestId: 'request-1' });
    assert.equal(second.requestId, 'request-2');
  });

  describe('against a gateway that refuses the first token', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer((_request, response, index) =>
        index === 0 ? json(response, 401, { code: 'TOKEN-EXPIRED' }) : json(response, 200, { ok: true }),
      );
    });
    afterEach(() => server.close());
    const draft = (): { method: string; url: string } => ({ method: 'GET', url: `${server.origin}/cdk-test/orders` });

    it('renews the token once and sends again with it and a new Request-Id; the renewed token is handed over', async () => {
      const renewed: string[] = [];
      const call = await sendDraft(draft(), 'first-token', 'test', async () => 'renewed-token', http, { onRenewed: (token) => renewed.push(token) });
      assert.equal(call.response.status, 200);
      assert.deepEqual(
        server.requests.map((request) => request.headers.authorization),
        ['Bearer first-token', 'Bearer renewed-token'],
      );
      const [firstId, secondId] = server.requests.map((request) => request.headers['request-id']);
      assert.ok(firstId && secondId && firstId !== secondId, 'a new Request-Id for the second send');
      assert.deepEqual(call.retried, { status: 401, code: 'TOKEN-EXPIRED', requestId: firstId });
      assert.deepEqual(renewed, ['renewed-token']);
    });

    it('sends nothing more once the caller gave up, before the renewal or during it; a token renewed meanwhile is still handed over', async () => {
      const cancelled = new Error('cancelled');
      let renewals = 0;
      await assert.rejects(
        sendDraft(draft(), 'first-token', 'test', async () => (renewals++, 'renewed-token'), http, {
          throwIfCancelled: () => {
            throw cancelled;
          },
        }),
        cancelled,
      );
      assert.equal(renewals, 0, 'not renewed once given up');
      assert.equal(server.requests.length, 1);

      await server.close();
      server = await startServer((_request, response, index) =>
        index === 0 ? json(response, 401, { code: 'TOKEN-EXPIRED' }) : json(response, 200, { ok: true }),
      );
      let givenUp = false;
      const renewed: string[] = [];
      await assert.rejects(
        sendDraft(
          draft(),
          'first-token',
          'test',
          async () => {
            givenUp = true;
            return 'renewed-token';
          },
          http,
          {
            throwIfCancelled: () => {
              if (givenUp) {
                throw cancelled;
              }
            },
            onRenewed: (token) => renewed.push(token),
          },
        ),
        cancelled,
      );
      assert.equal(server.requests.length, 1, 'not sent again');
      assert.deepEqual(renewed, ['renewed-token'], 'the renewed token is known, to be kept out of results');
    });
  });

  describe('the log line', () => {
    const response: ApiResponse = {
      status: 403,
      statusText: 'Forbidden',
      elapsedMs: 12,
      headers: [],
      bodyText: '',
      truncated: false,
      requestId: 'rid-1',
      gatewayError: { code: 'SUBSCRIPTION-MISMATCH', hint: 'pick another' },
    };
    const call = (token: string, subscriptionId: string): RenewedCall => ({
      request: { method: 'GET', url: 'https://api.fortellis.io/cdk-test/orders', token, subscriptionId, requestId: 'rid-1' },
      response,
    });

    it('names the sender, the request, the profile, the Subscription-Id, the answer, the gateway code and the verdict', () => {
      assert.equal(
        sentCallLogLine('Call GET /orders', 'sandbox', call('t', 'dealer-1'), 'the response matches the spec'),
        'Call GET /orders: GET https://api.fortellis.io/cdk-test/orders (profile "sandbox", Subscription-Id dealer-1) → 403 in 12 ms, Request-Id rid-1, SUBSCRIPTION-MISMATCH: the response matches the spec',
      );
      assert.match(
        sentCallLogLine('Call API', 'sandbox', call('t', '')),
        /Subscription-Id \(none\)\) → 403 in 12 ms, Request-Id rid-1, SUBSCRIPTION-MISMATCH$/,
      );
    });

    it('never holds the token', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{16,64}$/), fc.string(), fc.string(), (token, profileName, subscriptionId) => {
          fc.pre(![profileName, subscriptionId, call(token, subscriptionId).request.url].some((text) => text.includes(token)));
          assert.ok(!sentCallLogLine('Agent tool fortellis_call_api', profileName, call(token, subscriptionId)).includes(token));
        }),
        { numRuns: fuzzRuns(200) },
      );
    });
  });
});
