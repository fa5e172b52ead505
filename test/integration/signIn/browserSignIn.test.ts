import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { USER_ACTION } from '../../../src/core/agentTools/agentUserActions';
import { jwtClaims } from '../../../src/core/tokens/jwt';
import type { ApiRequestRecord } from '../../sandbox/apiServer';
import { apiRequests, copiedToken, extensionApi, fingerprint, NEW_URL, sandboxApiBaseUrl, statusBarText, testApp, until } from '../testEnvironment';
import { terminalTokenOnceItIs } from '../terminals';
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

  it("\"Choose Token…\" reaches Copy Token, new terminals and the agent tools' call_api: the user's token, then the app's again", async () => {
    const choose = async (answer: string) => {
      user = new ScriptedUser([answer]);
      await vscode.commands.executeCommand('fortellis.chooseToken');
      user.dispose();
    };
    const agentCall = async (): Promise<ApiRequestRecord | undefined> => {
      const result = await vscode.lm.invokeTool('fortellis_call_api', {
        input: { method: 'GET', url: '/cdk-test/user-context/v1/me', subscriptionId: 'test' },
        toolInvocationToken: undefined,
      });
      const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('\n');
      assert.match(text, /200/, 'the tool reports the answer');
      return (await apiRequests()).filter((seen) => seen.path.endsWith('/user-context/v1/me')).at(-1);
    };

    await choose("The Signed-In User's Token");
    const userToken = await copiedToken();
    assert.equal(jwtClaims(userToken)?.sub, TEST_USER, "Copy Token copies the user's token");
    assert.equal(await terminalTokenOnceItIs('user-chosen', fingerprint(userToken)), fingerprint(userToken), "new terminals get the user's token");
    assert.equal((await agentCall())?.subject, TEST_USER, "call_api sends the user's token");

    await choose("The App's Token");
    const appToken = await copiedToken();
    assert.equal(jwtClaims(appToken)?.sub, testApp.apiKey, "Copy Token copies the app's token again");
    assert.equal(await terminalTokenOnceItIs('app-chosen', fingerprint(appToken)), fingerprint(appToken), "new terminals get the app's token again");
    assert.equal((await agentCall())?.subject, testApp.apiKey, "call_api sends the app's token again");
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

  it("call_api with the user's token chosen and no user signed in says what to do, and sends nothing", async () => {
    user = new ScriptedUser(["The Signed-In User's Token"]);
    await vscode.commands.executeCommand('fortellis.chooseToken');
    user.dispose();
    try {
      const before = (await apiRequests()).length;
      const result = await vscode.lm.invokeTool('fortellis_call_api', {
        input: { method: 'GET', url: '/cdk-test/user-context/v1/me', subscriptionId: 'test' },
        toolInvocationToken: undefined,
      });
      const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('\n');
      assert.equal(text, USER_ACTION.notSignedIn('sandbox'));
      assert.equal((await apiRequests()).length, before, 'nothing was sent');
    } finally {
      user = new ScriptedUser(["The App's Token"]);
      await vscode.commands.executeCommand('fortellis.chooseToken');
    }
  });
});
