import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { AgentTools } from '../../../src/agentTools/agentTools';
import { GATEWAY_ERROR_HINTS } from '../../../src/core/apiRequests/gatewayErrors';
import { AGENT_TOOL_NAMES, AGENT_TOOLS } from '../../../src/core/agentTools/agentToolNames';
import type { Redactor } from '../../../src/core/text/redaction';
import type { TokenLifecycle } from '../../../src/core/tokens/tokenLifecycle';
import type { Log } from '../../../src/log';
import { Settings } from '../../../src/settings';
import { type Sandbox, startSandbox } from '../../sandbox/sandboxServer';
import { apiRequests, copiedToken, ensureSandboxProfile, sandboxApiBaseUrl, testApp, until } from '../testEnvironment';
import { recoverable } from '../../unit/helpers/credentialRecovery';
import { ScriptedUser } from '../userInput';

/** Every result part of every call in this window, for the secret scan at the end. */
const results: Array<{ call: string; part: string }> = [];
/** Every token and secret this window has seen, for the same scan. */
const secrets = new Set<string>([testApp.apiSecret]);

async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<string[]> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  const parts = result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, `${name}: text parts only`);
    return part.value;
  });
  // The label never holds a pasted token: it is printed on failure and written to test-results.
  const label = JSON.stringify(input, (key, value: unknown) => (key === 'token' ? `<a token of ${String(value).length} characters>` : value));
  parts.forEach((part) => results.push({ call: `${name} ${label}`, part }));
  return parts;
}

const fortellis = () => vscode.workspace.getConfiguration('fortellis');

async function rememberCurrentToken(): Promise<string> {
  const token = await copiedToken();
  secrets.add(token);
  return token;
}

const ours = () => vscode.lm.tools.filter((tool) => (AGENT_TOOL_NAMES as readonly string[]).includes(tool.name));

describe('Agent tools (vscode.lm) in the real extension host, against the sandbox', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  afterEach(() => user?.dispose());

  it('vscode.lm.tools lists every Fortellis tool, with its description and input schema', async () => {
    await until(`all ${AGENT_TOOL_NAMES.length} tools listed`, () => (ours().length === AGENT_TOOL_NAMES.length ? true : undefined), 10_000).catch(
      (error: Error) => {
        throw new Error(
          `${error.message} (seen: ${ours()
            .map((tool) => tool.name)
            .join(', ')})`,
        );
      },
    );
    for (const tool of ours()) {
      assert.ok(tool.description.length > 80, `${tool.name} has a model description`);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object', `${tool.name} has an input schema`);
    }
  });

  it('no profile: every tool that needs one says "run Get Fortellis Token", and opens no prompt', async () => {
    const saved = fortellis().inspect<unknown[]>('profiles')?.globalValue;
    await fortellis().update('profiles', [], vscode.ConfigurationTarget.Global);
    try {
      user = new ScriptedUser([]);
      for (const [name, input] of [
        [AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/sales/v1/vehicles' }],
        [AGENT_TOOLS.tokenStatus, {}],
        [AGENT_TOOLS.listSubscriptions, {}],
      ] as const) {
        const [text] = await invoke(name, input);
        assert.match(text, /no Fortellis profile.*run "Fortellis: Get Fortellis Token"/s, `${name}: ${text}`);
      }
      assert.deepEqual(user.prompts, [], 'no input box or quick pick');
      assert.deepEqual(user.messages, [], 'no notification');
    } finally {
      await fortellis().update('profiles', saved, vscode.ConfigurationTarget.Global);
    }
  });

  it("GET 200 under the API base: status, Request-Id, headers and the body; the profile's Subscription-Id and a fresh token sent", async () => {
    await ensureSandboxProfile();
    await rememberCurrentToken();
    const [text] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/sales/v1/vehicles?limit=2' });
    assert.match(text, new RegExp(`^GET ${sandboxApiBaseUrl()}/cdk-test/sales/v1/vehicles\\?limit=2 → HTTP 200 OK in \\d+ ms$`, 'm'), text);
    const requestId = /Request-Id: ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(requestId, text);
    assert.match(text, /^content-type: application\/json/m);
    assert.match(text, /^Body \(\d+ bytes received, complete; results are capped at 16384 bytes\):\n\{\n {2}"method": "GET"/m);
    const [record] = (await apiRequests()).filter((seen) => seen.requestId === requestId);
    assert.equal(record?.authenticated, true);
    assert.equal(record?.subscriptionId, 'test');
    assert.equal(record?.query, 'limit=2');
  });

  it('POST with a JSON body and another Subscription-Id: exactly one request, the body received byte for byte', async () => {
    const before = (await apiRequests()).length;
    const body = { vin: '1FTFW1E5', note: 'quotes " $HOME `x` \\ ü' };
    const [text] = await invoke(AGENT_TOOLS.callApi, {
      method: 'POST',
      url: `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders`,
      body,
      subscriptionId: 'sandbox-dealer-1',
    });
    assert.match(text, /→ HTTP 200 OK/);
    assert.match(text, /Subscription-Id: sandbox-dealer-1/);
    const after = (await apiRequests()).slice(before);
    assert.equal(after.length, 1, 'one request');
    assert.equal(after[0].method, 'POST');
    assert.equal(after[0].body, JSON.stringify(body));
    assert.equal(after[0].contentType, 'application/json');
  });

  it('an API that echoes the caller\'s token encoded (base64 of "Bearer " + token, at each alignment, wrapped, in a query) reaches the model without it', async () => {
    const token = await rememberCurrentToken();
    const [text] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/__echo-credential' });
    assert.ok(text.includes('→ HTTP 200 OK'), 'answered 200');
    for (const field of ['authorizationBase64', 'offsetByOne', 'offsetByTwo', 'wrappedAt76', 'inAQuery']) {
      assert.match(text, new RegExp(`"${field}": "[^"]*\\[redacted\\]`), `${field} is redacted (the text is not printed: it would show the token)`);
    }
    assert.ok(text.includes('&page=2"'), 'what is around the token stays');
    assert.ok(!recoverable(text, token), 'the token cannot be decoded from the result');
  });

  it('a gateway error comes back with its code and hint; fortellis_explain_error explains the same body', async () => {
    const [text] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/__gateway-errors/API-SUBSCRIPTION-INACTIVE' });
    assert.match(text, /→ HTTP 403 Forbidden/);
    const hint = GATEWAY_ERROR_HINTS['API-SUBSCRIPTION-INACTIVE'];
    assert.ok(text.includes(`Fortellis gateway error API-SUBSCRIPTION-INACTIVE: ${hint}`), text);
    assert.ok(text.includes('"code": "API-SUBSCRIPTION-INACTIVE"'), `the body's code survives redaction:\n${text}`);
    const body = text.slice(text.indexOf('{'));
    const [explained] = await invoke(AGENT_TOOLS.explainError, { error: body });
    assert.ok(explained.startsWith(`API-SUBSCRIPTION-INACTIVE: ${hint}`), explained);
    assert.match(explained, /Request-Id: [0-9a-f-]{36}/);
    const [byCode] = await invoke(AGENT_TOOLS.explainError, { error: 'token-issuer-mismatch' });
    assert.equal(byCode, `TOKEN-ISSUER-MISMATCH: ${GATEWAY_ERROR_HINTS['TOKEN-ISSUER-MISMATCH']}`);
  });

  it("fortellis_list_subscriptions: the app's subscriptions with their status", async () => {
    const [text] = await invoke(AGENT_TOOLS.listSubscriptions, {});
    assert.match(text, /^- test: status active, org "Sample data", orgId sample-org, the profile's default$/m, text);
    assert.match(text, /^- sandbox-dealer-1: status active, org "Sandbox Motors"/m);
    assert.match(text, /^- sandbox-dealer-inactive: status inactive/m);
  });

  it('fortellis_token_status: profile, environment, subject, scopes and expiry, never the token', async () => {
    const [text] = await invoke(AGENT_TOOLS.tokenStatus, {});
    assert.match(text, /^Active profile: sandbox/m, text);
    assert.match(text, /^Environment: Local sandbox; issuer http:\/\/127\.0\.0\.2:\d+\/oauth2\/sandbox/m);
    assert.match(
      text,
      /^App token \(client credentials\):\n- subject: integration-app-key\n- scopes: anonymous\n- expires: \d{4}-\d\d-\d\dT[\d:.]+Z \(in (59|58)m\)$/m,
    );
  });

  it('fortellis_decode_token: claims and the four checks of a pasted token, without the token or its signature', async () => {
    const token = await rememberCurrentToken();
    const [text] = await invoke(AGENT_TOOLS.decodeToken, { token: `Bearer ${token}` });
    assert.match(text, /^The Fortellis gateway should accept this token\.$/m, text);
    for (const check of ['signature', 'issuer', 'audience', 'expiry']) {
      assert.match(text, new RegExp(`^- PASS ${check}: `, 'm'));
    }
    assert.match(text, /"aud": "api_providers"/);
    assert.ok(!text.includes(token.split('.')[2]), 'no signature');
    const [notJwt] = await invoke(AGENT_TOOLS.decodeToken, { token: 'abc.def' });
    assert.match(notJwt, /This is not a JWT: it has 2 parts/);
  });

  it('a call cancelled before it starts rejects with Canceled and sends nothing', async () => {
    const before = (await apiRequests()).length;
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    await assert.rejects(invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/sales/v1/vehicles' }, source.token), (error: Error) =>
      /Canceled/i.test(`${error.name} ${error.message}`),
    );
    assert.equal((await apiRequests()).length, before, 'the sandbox saw no request');
  });

  it('a call cancelled while the server is silent rejects at once, and its connection is closed', async () => {
    const connections: { closed: boolean }[] = [];
    const silent: Server = createServer((req) => {
      const seen = { closed: false };
      connections.push(seen);
      req.socket.on('close', () => (seen.closed = true));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const source = new vscode.CancellationTokenSource();
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
      const call = invoke(AGENT_TOOLS.callApi, { method: 'GET', url }, source.token);
      await until('the request reached the silent server', () => (connections.length === 1 ? true : undefined), 10_000);
      const cancelledAt = Date.now();
      source.cancel();
      await assert.rejects(call, (error: Error) => /Canceled/i.test(`${error.name} ${error.message}`));
      // The silent server never answers: a rejection long before the request's own timeout (30 s) is the cancellation's.
      assert.ok(Date.now() - cancelledAt < 5000, `rejected ${Date.now() - cancelledAt} ms after the cancellation`);
      await until('the connection was closed', () => (connections[0].closed ? true : undefined), 3000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  describe('an expired token that the client still believes valid', () => {
    let shortLived: Sandbox;
    let proxy: Server;
    const profileName = 'short-lived';

    before(async () => {
      // A sandbox whose tokens live 2 s, behind a server that says they live an hour: the extension keeps using the
      // token after it expired, as after a clock skew or an early revocation, and the gateway answers TOKEN-EXPIRED.
      shortLived = await startSandbox({ accessTokenTtlSeconds: 2, clients: [{ clientId: testApp.apiKey, clientSecret: testApp.apiSecret }] });
      const upstream = new URL(shortLived.issuer);
      proxy = createServer((req, res) => {
        const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(chunks)
              .toString('utf8')
              .replace(/"expires_in":\s*\d+/, '"expires_in":3600');
            res
              .writeHead(answer.statusCode ?? 502, {
                'content-type': answer.headers['content-type'] ?? 'application/json',
                'content-length': String(Buffer.byteLength(text)),
              })
              .end(text);
          });
        });
        req.pipe(forwarded);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const issuer = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
      user = new ScriptedUser(['Custom issuer', issuer, profileName, testApp.apiKey, testApp.apiSecret, 'test']);
      await vscode.commands.executeCommand('fortellis.addProfile');
      assert.equal(user.unanswered, 0, `every step of Add Profile was asked (messages: ${user.messages.join(' | ')})`);
      user.dispose();
      const profiles = (fortellis().get<Array<Record<string, unknown>>>('profiles') ?? []).map((profile) =>
        profile.name === profileName ? { ...profile, apiBaseUrl: shortLived.apiBaseUrl, subscriptionsUrl: shortLived.subscriptionsUrl } : profile,
      );
      await fortellis().update('profiles', profiles, vscode.ConfigurationTarget.Global);
      await fortellis().update('activeProfile', profileName, vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      shortLived.stats().issuedAccessTokens.forEach((token) => secrets.add(token));
      user = new ScriptedUser([{ pickIfAsked: profileName }], 'Remove');
      await vscode.commands.executeCommand('fortellis.removeProfile');
      user.dispose();
      await fortellis().update('activeProfile', 'sandbox', vscode.ConfigurationTarget.Global);
      proxy.closeAllConnections();
      proxy.close();
      await shortLived.close();
    });

    it('the gateway answers TOKEN-EXPIRED; the tool renews the token and sends the request once more', async () => {
      assert.equal(shortLived.stats().issuedAccessTokens.length, 1, 'one token so far');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const [text] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/ping' });
      assert.match(text, /→ HTTP 200 OK/, text);
      assert.match(
        text,
        /The gateway first refused the token \(HTTP 401 TOKEN-EXPIRED, Request-Id [0-9a-f-]{36}\): the token was renewed and the request sent once more\./,
      );
      assert.equal(shortLived.stats().issuedAccessTokens.length, 2, 'renewed once');
      assert.deepEqual(
        shortLived.apiRequests().map((seen) => [seen.status, seen.gatewayCode ?? '']),
        [
          [401, 'TOKEN-EXPIRED'],
          [200, ''],
        ],
      );
    });
  });

  it('"fortellis.agentTools.enabled": false unregisters the tools, so a call fails; true registers them again', async () => {
    // package.json's `when` clause also hides them from chat; in VS Code 1.139 vscode.lm.tools still lists disabled
    // tools (it is built from getAllToolsIncludingDisabled), so what a test can see here is the call failing.
    const explain = () =>
      Promise.race([
        Promise.resolve(vscode.lm.invokeTool(AGENT_TOOLS.explainError, { input: { error: 'INVALID-TOKEN' }, toolInvocationToken: undefined })).then(
          () => 'answered',
          (error: Error) => `rejected: ${error.message}`,
        ),
        new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 10 s'), 10_000)),
      ]);
    await fortellis().update('agentTools.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const outcome = await explain();
      assert.match(outcome, /^rejected: /, outcome);
      console.log(`      disabled: invokeTool ${outcome}`);
    } finally {
      await fortellis().update('agentTools.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    const [text] = await invoke(AGENT_TOOLS.explainError, { error: 'INVALID-TOKEN' });
    assert.match(text, /^INVALID-TOKEN: /);
  });

  describe('prepareInvocation, called directly', () => {
    const settings = new Settings(() => undefined);
    const tools = new AgentTools({
      settings,
      tokens: { environment: (profile) => settings.environment(profile) } as Pick<TokenLifecycle, 'environment'> as TokenLifecycle,
      redactor: {} as Redactor,
      log: {} as Log,
    });

    it('a POST under the API base asks first, naming the method, the host and the profile', () => {
      const prepared = tools.prepare(AGENT_TOOLS.callApi, { method: 'POST', url: '/cdk-test/sales/v1/orders', body: { vin: '1' } });
      const host = new URL(sandboxApiBaseUrl()).host;
      assert.equal(prepared?.confirmationMessages?.title, `Fortellis: POST to ${host} as "sandbox"?`);
      const message = String(prepared?.confirmationMessages?.message);
      assert.match(message, new RegExp(`^Send POST ${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders$`, 'm'));
      assert.match(message, new RegExp(`^Host: ${host}$`, 'm'));
      assert.match(message, /^Profile: sandbox /m);
      assert.match(message, /^Body: 11 bytes$/m);
    });

    it('a GET to a host outside the API base asks first; a GET under it does not', () => {
      const prepared = tools.prepare(AGENT_TOOLS.callApi, { method: 'GET', url: 'https://api.example.com/v1/things' });
      assert.equal(prepared?.confirmationMessages?.title, 'Fortellis: GET to api.example.com as "sandbox"?');
      assert.match(String(prepared?.confirmationMessages?.message), /api\.example\.com is outside the profile's API base/);
      const inside = tools.prepare(AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/sales/v1/vehicles' });
      assert.equal(inside?.confirmationMessages, undefined);
      assert.match(
        inside?.invocationMessage ?? '',
        /^Fortellis: GET 127\.0\.0\.2:\d+\/api\/cdk-test\/sales\/v1\/vehicles with the token of profile "sandbox"$/,
      );
    });
  });

  // Last: mocha runs nested describes after the outer it()s, so this sees every call above.
  describe('secret scan over every call above', () => {
    it('secret scan: no result part of any call holds the API secret, a token, or an Authorization header', async () => {
      await rememberCurrentToken();
      const session = await vscode.authentication.getSession('fortellis', ['openid'], { silent: true }).then(
        (found) => found,
        () => undefined,
      );
      if (session) {
        secrets.add(session.accessToken);
      }
      let checks = 0;
      const calls = new Set(results.map((result) => result.call));
      for (const { call, part } of results) {
        for (const secret of secrets) {
          checks++;
          assert.ok(!recoverable(part, secret), `${call}: a result part holds a secret or token, plain or encoded`);
        }
        checks++;
        assert.ok(!/^\s*authorization\s*:(?!\s*\[redacted\])/im.test(part), `${call}: an Authorization header`);
        checks++;
        assert.ok(!/\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/.test(part), `${call}: a bearer credential`);
      }
      assert.ok(results.length >= 14 && secrets.size >= 4, `${results.length} parts, ${secrets.size} secrets`);
      // What the model would read, for people to look at: scanned above, so it holds no secret.
      const examples = results.map(({ call, part }) => `## ${call}\n\n\`\`\`\n${part}\n\`\`\`\n`).join('\n');
      writeFileSync(join(__dirname, '..', '..', '..', '..', 'test-results', 'integration', 'agent-tool-results.md'), examples);
      console.log(
        `      secret scan: ${checks} checks over ${results.length} result parts of ${calls.size} distinct calls, against ${secrets.size} secrets and tokens`,
      );
    });
  });
});
