import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { extensionApi, fingerprint, statusBarText, testApp } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

type Fault = 'forward' | 'html502' | 'brokenJson' | 'noExpiry' | 'stall' | 'shortLived' | 'echoSecret';

/**
 * A server between the extension and the sandbox that forwards, or misbehaves as the test says. The profile points
 * at it, so a failure hits the same issuer, secret and cached token as the success before it.
 */
async function startFaultServer(upstream: URL): Promise<{ issuer: string; fault: Fault; server: Server; tokenRequests: number[] }> {
  const state = { issuer: '', fault: 'forward' as Fault, server: createServer(), tokenRequests: [] as number[] };
  state.server.on('request', (req, res) => {
    if (req.url?.endsWith('/v1/token')) {
      state.tokenRequests.push(Date.now());
    }
    switch (state.fault) {
      case 'html502':
        res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      case 'brokenJson':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"access_token": "abc", "expires_in": 36');
        return;
      case 'noExpiry':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"access_token":"abc","token_type":"Bearer"}');
        return;
      case 'stall':
        return;
      case 'echoSecret': {
        // A server that echoes the credentials it received in its error description.
        const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
        res
          .writeHead(400, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_request', error_description: `client ${decodeURIComponent(basic)} is not valid` }));
        return;
      }
      case 'shortLived': {
        // The sandbox's answer, with a token that lives 120 s (as a developer's own server may issue).
        const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.from(
              Buffer.concat(chunks)
                .toString('utf8')
                .replace(/"expires_in":\s*\d+/, '"expires_in":120'),
            );
            res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
          });
        });
        req.pipe(forwarded);
        return;
      }
      case 'forward': {
        const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        req.pipe(forwarded);
      }
    }
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.issuer = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}${upstream.pathname}`;
  return state;
}

describe('Failures in the real extension host', function () {
  this.timeout(60_000);
  let fault: Awaited<ReturnType<typeof startFaultServer>>;
  let user: ScriptedUser | undefined;
  let tokenBefore = '';
  afterEach(() => user?.dispose());
  after(async () => {
    fault.server.closeAllConnections();
    fault.server.close();
    user = new ScriptedUser([], 'Remove');
    await vscode.commands.executeCommand('fortellis.removeProfile');
    user.dispose();
  });

  before(async () => {
    await vscode.workspace.getConfiguration('fortellis').update('http.timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    fault = await startFaultServer(new URL(vscode.workspace.getConfiguration('fortellis').get<string>('sandbox.issuer') ?? ''));
    user = new ScriptedUser(['Custom issuer', fault.issuer, 'faulty', testApp.apiKey, testApp.apiSecret, '']);
    await vscode.commands.executeCommand('fortellis.getToken');
    await statusBarText(await extensionApi(), /Fortellis: faulty · 59m$/);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('fortellis.copyToken');
    tokenBefore = fingerprint(await vscode.env.clipboard.readText());
  });

  const cases: Array<[Fault, RegExp]> = [
    ['html502', /HTTP 502 \(an HTML error page\)\. This is on the server's side/],
    ['brokenJson', /a body that is not JSON/],
    ['noExpiry', /without a valid expires_in \(missing\)/],
    ['stall', /did not answer within 2 s/],
    ['echoSecret', /refused the token request: invalid_request \(client .*:\S*redacted\S* is not valid\)/i],
  ];
  for (const [name, message] of cases) {
    it(`${name}: "Renew Token" says what went wrong, and the cached token and the secret survive`, async () => {
      const api = await extensionApi();
      const expiresAt = api.status().expiresAt;
      fault.fault = name;
      user = new ScriptedUser([]);
      await vscode.commands.executeCommand('fortellis.renewToken');
      const raw = user.messages.join('\n');
      // Checked first, and the secret is masked before any text reaches an assertion message (and so the test output).
      const shown = raw.split(testApp.apiSecret).join('<the API secret>');
      assert.ok(!raw.includes(testApp.apiSecret), `the secret is not in the message: ${shown}`);
      assert.match(shown, message);
      assert.equal(api.status().expiresAt, expiresAt, 'the status bar still counts down the same token');
      await vscode.commands.executeCommand('fortellis.copyToken');
      assert.equal(fingerprint(await vscode.env.clipboard.readText()), tokenBefore, 'Copy Token still gives the cached token');
      fault.fault = 'forward';
      await vscode.commands.executeCommand('fortellis.renewToken');
      assert.equal(user.prompts.length, 0, 'the stored secret still works: nothing was asked');
      assert.match(user.messages.join('\n'), /renewed: expires in 59m/);
      await vscode.commands.executeCommand('fortellis.copyToken');
      tokenBefore = fingerprint(await vscode.env.clipboard.readText());
    });
  }

  it('a token that lives 120 s, with default renewal settings, costs at most 2 token requests in 60 s (no renewal storm)', async function () {
    this.timeout(90_000);
    fault.fault = 'shortLived';
    user = new ScriptedUser([]);
    const before = fault.tokenRequests.length;
    await vscode.commands.executeCommand('fortellis.renewToken');
    await statusBarText(await extensionApi(), /Fortellis: faulty · [12]m$/);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    const requests = fault.tokenRequests.length - before;
    console.log(`      ${requests} token requests in the 60 s after a 120 s token arrived`);
    assert.ok(requests >= 1 && requests <= 2, `${requests} token requests in 60 s`);
    fault.fault = 'forward';
  });

  it('editing the issuer asks for the secret again: no "keep" option, and nothing reaches the new issuer', async () => {
    const reached: string[] = [];
    const typo = createServer((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => typo.listen(0, '127.0.0.1', resolve));
    try {
      const typoIssuer = `http://127.0.0.1:${(typo.address() as AddressInfo).port}/oauth2/typo`;
      user = new ScriptedUser(['Custom issuer', typoIssuer, 'faulty', testApp.apiKey, '']);
      // The scripted user cannot answer the secret prompt: the command's failure reaches the user as a message, not a throw.
      await vscode.commands.executeCommand('fortellis.editProfile');
      assert.ok(
        user.messages.some((message) => /rejected ""/.test(message)),
        `the failure was shown: ${JSON.stringify(user.messages)}`,
      );
      const secretPrompt = user.prompts.find((prompt) => prompt.password);
      assert.ok(secretPrompt, 'the wizard asked for the secret');
      assert.doesNotMatch(secretPrompt.prompt ?? '', /keep/i);
      assert.deepEqual(reached, [], 'no request reached the new issuer');
      assert.match(
        vscode.workspace.getConfiguration('fortellis').inspect<Array<{ issuer?: string }>>('profiles')?.globalValue?.[0]?.issuer ?? '',
        /^http:\/\/127\.0\.0\.1:\d+\/oauth2\//,
      );
      assert.notEqual(vscode.workspace.getConfiguration('fortellis').inspect<Array<{ issuer?: string }>>('profiles')?.globalValue?.[0]?.issuer, typoIssuer);
    } finally {
      typo.close();
    }
  });
});
