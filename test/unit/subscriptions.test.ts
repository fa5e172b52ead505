import assert from 'node:assert/strict';
import { HttpRequestError } from '../../src/core/http/limitedFetch';
import { listSubscriptions, SubscriptionsError } from '../../src/core/apiRequests/subscriptions';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';
import { sandboxAppToken, tampered } from './helpers/sandboxTokens';

const options = { timeoutMs: 2000 };
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdWJzY3JpcHRpb25zIn0.c2lnbmF0dXJlLW9mLXRoZS1zdWJzY3JpcHRpb25zLXRva2Vu';

async function assertFails(promise: Promise<unknown>, token: string, status: number | undefined, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SubscriptionsError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, message);
    assert.ok(!error.message.includes(token), 'the token is not in the message');
    return true;
  });
}

describe('listing subscriptions', () => {
  describe('on the sandbox', () => {
    let sandbox: Sandbox;
    let token: string;
    before(async () => {
      sandbox = await startSandbox();
      token = await sandboxAppToken(sandbox);
    });
    after(() => sandbox.close());

    it("lists the app's subscriptions with their organisation and status", async () => {
      assert.deepEqual(await listSubscriptions(sandbox.subscriptionsUrl, token, options), [
        { subscriptionId: 'test', orgName: 'Sample data', orgId: 'sample-org', status: 'active' },
        { subscriptionId: 'sandbox-dealer-1', orgName: 'Sandbox Motors', orgId: 'sandbox-org-1', status: 'active' },
        { subscriptionId: 'sandbox-dealer-inactive', orgName: 'Dormant Autos', orgId: 'sandbox-org-2', status: 'inactive' },
      ]);
    });

    it("explains a token the service refuses, with the gateway code's hint", async () => {
      const bad = tampered(token);
      await assertFails(
        listSubscriptions(sandbox.subscriptionsUrl, bad, options),
        bad,
        401,
        /^127\.0\.0\.1:\d+ refused to list the subscriptions \(HTTP 401 INVALID-TOKEN\)\. The gateway could not validate the token/,
      );
    });
  });

  describe('from servers that misbehave', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const list = () => listSubscriptions(`${server?.origin}/v1/solution/subscriptions`, TOKEN, options);

    it('sends the token, Accept: application/json and a Request-Id', async () => {
      server = await startServer((_req, res) => json(res, 200, { subscriptions: [] }));
      assert.deepEqual(await list(), []);
      const [{ method, headers }] = server.requests;
      assert.equal(method, 'GET');
      assert.equal(headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(headers.accept, 'application/json');
      assert.match(String(headers['request-id']), /^[0-9a-f-]{36}$/);
    });

    it('keeps entries with a subscriptionId and the fields it knows', async () => {
      server = await startServer((_req, res) =>
        json(res, 200, {
          subscriptions: [{ subscriptionId: 'a', status: 'Active', apis: [1] }, { orgName: 'no id' }, 'junk', { subscriptionId: 'b', orgName: 42 }],
        }),
      );
      assert.deepEqual(await list(), [{ subscriptionId: 'a', status: 'Active' }, { subscriptionId: 'b' }]);
    });

    it('explains an HTTP error without a gateway code', async () => {
      server = await startServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('nothing here'));
      await assertFails(list(), TOKEN, 404, /answered HTTP 404 Not Found to the subscriptions request\. Check the subscriptions URL/);
    });

    it('explains an HTML page, an empty body and JSON without a subscriptions list', async () => {
      server = await startServer((_req, res, index) => {
        if (index === 0) {
          res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Sign in</body></html>');
        } else if (index === 1) {
          res.writeHead(200).end();
        } else {
          json(res, 200, { items: [] });
        }
      });
      await assertFails(
        list(),
        TOKEN,
        200,
        /answered with an HTML page instead of a JSON list of subscriptions\. Check the subscriptions URL \(it ends with \/v1\/solution\/subscriptions\)/,
      );
      await assertFails(list(), TOKEN, 200, /answered with an empty body/);
      await assertFails(list(), TOKEN, 200, /answered JSON without a "subscriptions" list/);
    });

    it('does not follow a redirect', async () => {
      server = await startServer((_req, res) => res.writeHead(301, { Location: 'https://elsewhere.example/subscriptions' }).end());
      await assertFails(list(), TOKEN, 301, /redirected the subscriptions request \(HTTP 301\); it was not followed/);
      assert.equal(server.requests.length, 1);
    });

    it('refuses plain http to a host that is not this machine', async () => {
      await assert.rejects(listSubscriptions('http://subscriptions.fortellis.io/v1/solution/subscriptions', TOKEN, options), (error: unknown) => {
        assert.ok(error instanceof HttpRequestError);
        assert.equal(error.kind, 'insecure-url');
        assert.match(error.message, /Refusing to send your token over plain http to subscriptions\.fortellis\.io/);
        return true;
      });
    });
  });
});
