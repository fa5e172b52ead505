import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApiRequestRecord } from '../../sandbox/apiServer';
import { apiRequests, extensionApi, NEW_URL, sandboxApiBaseUrl, statusBarText, testApp, until } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/** The runner's page handler logs in as this user on the sandbox's sign-in pages (test/host/runIntegrationTests). */
const TEST_USER = 'dealer-alice';

async function setCallbackMode(mode: 'uriHandler' | 'loopback' | 'paste'): Promise<void> {
  const config = vscode.workspace.getConfiguration('fortellis');
  const profiles = (config.get<Array<Record<string, unknown>>>('profiles') ?? []).map((profile) => ({ ...profile, callbackMode: mode }));
  await config.update('profiles', profiles, vscode.ConfigurationTarget.Global);
}

describe('Browser sign-in through the real workbench', function () {
  this.timeout(90_000);
  let user: ScriptedUser | undefined;
  afterEach(() => user?.dispose());

  before(async () => {
    user = new ScriptedUser(['Local sandbox', 'sandbox', testApp.apiKey, testApp.apiSecret, '']);
    await vscode.commands.executeCommand('fortellis.getToken');
    user.dispose();
  });

  it('"Sign In with Browser" (URI handler): authorization code with PKCE, a refresh token, and the user\'s countdown', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.signIn');
    assert.match(user.messages.join('\n'), new RegExp(`Signed in to Fortellis as ${TEST_USER} \\(sandbox\\): user token expires in 59m`));
    const status = await until('the user token in the status', () => api.status().user, 30_000);
    assert.equal(status.refreshable, true, 'offline_access gave a refresh token');
    await statusBarText(api, /./);
    assert.equal(status.statusBarText, '$(account) Fortellis user: sandbox · 59m');
  });

  it('"Sign In with Browser" with no API secret stored asks for it (masked), checks it, and signs in', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([], 'Sign Out');
    await vscode.commands.executeCommand('fortellis.signOut');
    user.dispose();
    user = new ScriptedUser([testApp.apiSecret]);
    await vscode.commands.executeCommand('fortellis.signIn');
    const secretPrompt = user.prompts.find((prompt) => prompt.password);
    assert.ok(secretPrompt, 'the secret was asked for');
    assert.match(secretPrompt.title ?? '', /API secret for Fortellis profile "sandbox"/);
    assert.match(user.messages.join('\n'), new RegExp(`Signed in to Fortellis as ${TEST_USER} \\(sandbox\\)`));
    assert.ok(!user.messages.join('\n').includes('the code exchange needs'), 'no error instead of the question');
    await until('the user token in the status', () => api.status().user, 30_000);
  });

  it('"Renew Token" renews the user token with the refresh token', async () => {
    const api = await extensionApi();
    const before = api.status().user?.expiresAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.renewToken');
    assert.match(user.messages.join('\n'), /Fortellis user token for "sandbox" renewed: expires in 59m/);
    assert.ok((api.status().user?.expiresAt ?? 0) > before);
  });

  it('"Choose Token…": Call API sends the signed-in user\'s token (the API sees the user), then the app\'s again; the tooltip says which is in use', async () => {
    const api = await extensionApi();
    const url = `${sandboxApiBaseUrl()}/cdk-test/user-context/v1/me`;
    const callApi = async (): Promise<ApiRequestRecord> => {
      user = new ScriptedUser(['GET', NEW_URL, url, { pickIfAsked: 'Enter a Subscription-Id' }, 'test']);
      await vscode.commands.executeCommand('fortellis.callApi');
      assert.equal(user.unanswered, 0, 'every step was asked');
      user.dispose();
      const record = (await apiRequests()).filter((seen) => seen.path.endsWith('/user-context/v1/me')).at(-1);
      assert.ok(record, 'the API saw the call');
      assert.equal(record.authenticated, true);
      return record;
    };
    user = new ScriptedUser(["The Signed-In User's Token"]);
    await vscode.commands.executeCommand('fortellis.chooseToken');
    assert.ok(
      user.messages.some((message) => message.startsWith('Requests of "sandbox" now use the signed-in user\'s token')),
      user.messages.join(' | '),
    );
    user.dispose();
    assert.equal((await callApi()).subject, TEST_USER, "the user's token");

    user = new ScriptedUser(["The App's Token"]);
    await vscode.commands.executeCommand('fortellis.chooseToken');
    user.dispose();
    assert.equal((await callApi()).subject, testApp.apiKey, "the app's token (its client id)");
    assert.ok(api.status().user, 'the user stays signed in');
  });

  it('loopback mode: the redirect reaches a short-lived local server on the registered Callback URL', async () => {
    await setCallbackMode('loopback');
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.signIn');
    assert.match(user.messages.join('\n'), new RegExp(`Signed in to Fortellis as ${TEST_USER}`));
    await vscode.commands.executeCommand('fortellis.showCallbackUrl');
    assert.equal(await vscode.env.clipboard.readText(), 'http://127.0.0.1:8123/callback');
  });

  it('implicit flow (legacy): id_token and access token from the fragment, through the loopback page; no refresh token', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.signInImplicit');
    assert.match(user.messages.join('\n'), new RegExp(`Signed in to Fortellis as ${TEST_USER}`));
    assert.equal(api.status().user?.refreshable, false);
  });

  it('a busy loopback port is explained, and another way is offered', async () => {
    const { createServer } = await import('node:http');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(8123, '127.0.0.1', resolve));
    try {
      user = new ScriptedUser([]);
      await vscode.commands.executeCommand('fortellis.signIn');
      assert.match(user.messages.join('\n'), /8123 is in use/);
    } finally {
      squatter.close();
    }
  });

  it('a Callback URL the app did not register: the wait times out with a message naming the URL to register', async function () {
    this.timeout(60_000);
    const config = vscode.workspace.getConfiguration('fortellis');
    await config.update('signIn.timeoutSeconds', 10, vscode.ConfigurationTarget.Global);
    await config.update('signIn.loopbackRedirectUri', 'http://127.0.0.1:8124/not-registered', vscode.ConfigurationTarget.Global);
    try {
      user = new ScriptedUser([]);
      await vscode.commands.executeCommand('fortellis.signIn');
      assert.match(
        user.messages.join('\n'),
        /No sign-in response reached http:\/\/127\.0\.0\.1:8124\/not-registered within 10 s\. Check that it is the Callback URL registered for the app/,
      );
    } finally {
      await config.update('signIn.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await config.update('signIn.loopbackRedirectUri', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Sign Out" also ends the browser session: no user token, no user countdown', async () => {
    const api = await extensionApi();
    assert.ok(api.status().user, 'signed in before');
    await setCallbackMode('uriHandler');
    user = new ScriptedUser([], 'Sign Out');
    await vscode.commands.executeCommand('fortellis.signOut');
    await until('the user token to go', () => (api.status().user === undefined ? true : undefined), 30_000);
  });
});
