import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fingerprint, jwtClaims, leaveNote, sandboxTokenRequests, statusBarText, testApp, until } from './testEnvironment';
import { ScriptedUser } from './userInput';

/**
 * The first window: a new user runs the commands against the sandbox. The suite in afterReload/ runs
 * next, in a reloaded window of the same browser profile, and checks what survived.
 */
describe('Fortellis commands in a real extension host', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  afterEach(() => user?.dispose());

  const profiles = () => vscode.workspace.getConfiguration('fortellis').get<unknown[]>('profiles') ?? [];

  it('starts with no profile, and the status bar offers to get a token', async () => {
    const api = await extensionApi();
    assert.deepEqual(profiles(), []);
    assert.equal(await statusBarText(api, /^\$\(key\) Fortellis$/), '$(key) Fortellis');
  });

  it('"Get Fortellis Token" walks a new user through a profile, keeps the secret out of settings, and counts down', async () => {
    const api = await extensionApi();
    const before = await sandboxTokenRequests();
    user = new ScriptedUser(['Local sandbox', 'sandbox', testApp.apiKey, testApp.apiSecret, 'test']);
    await vscode.commands.executeCommand('fortellis.getToken');
    assert.equal(user.unanswered, 0, 'every step was asked');
    const secretPrompt = user.prompts[3];
    assert.equal(secretPrompt.password, true, 'the secret box is masked');
    assert.match(secretPrompt.title ?? '', /Add Fortellis Profile \(4\/5\)/);
    assert.match(user.messages.join('\n'), /Fortellis token for "sandbox" ready: expires in 59m, at /);
    assert.equal((await sandboxTokenRequests()) - before, 1, 'one token request: the one that verified the credentials');

    assert.deepEqual(profiles(), [{ name: 'sandbox', environment: 'sandbox', apiKey: testApp.apiKey, subscriptionId: 'test' }]);
    const allSettings = JSON.stringify(vscode.workspace.getConfiguration().inspect('fortellis'));
    assert.ok(!allSettings.includes(testApp.apiSecret), 'the secret is in no setting');
    assert.equal(await statusBarText(api, /Fortellis: sandbox · 59m$/), '$(key) Fortellis: sandbox · 59m');
    const expiresIn = (api.status().expiresAt ?? 0) - Date.now();
    assert.ok(expiresIn > 3590_000 && expiresIn <= 3600_000, `expires in ${expiresIn} ms`);
  });

  it('"Copy Token" puts the cached token on the clipboard without a new request, and never shows it', async () => {
    const before = await sandboxTokenRequests();
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.copyToken');
    const copied = await vscode.env.clipboard.readText();
    assert.equal(copied.split('.').length, 3, 'a JWT');
    assert.equal(jwtClaims(copied).aud, 'api_providers');
    assert.equal(await sandboxTokenRequests(), before, 'served from the cache');
    assert.match(user.messages.join('\n'), /Fortellis token for "sandbox" copied: expires in 59m, at .*; the clipboard is cleared in 60 s\.$/m);
    assert.ok(!user.messages.join('\n').includes(copied), 'the token is not shown');
  });

  it('"Copy Token" clears the clipboard after fortellis.copyToken.clearAfterSeconds if it still holds the token, and leaves what was copied since', async () => {
    const fortellis = () => vscode.workspace.getConfiguration('fortellis');
    await fortellis().update('copyToken.clearAfterSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      user = new ScriptedUser([]);
      await vscode.commands.executeCommand('fortellis.copyToken');
      assert.match(user.messages.join('\n'), /copied: expires in 59m, at .*; the clipboard is cleared in 1 s\.$/m);
      assert.equal(jwtClaims(await vscode.env.clipboard.readText()).aud, 'api_providers', 'the token is there at first');
      await until('the clipboard is cleared', async () => ((await vscode.env.clipboard.readText()) === '' ? true : undefined));

      await vscode.commands.executeCommand('fortellis.copyToken');
      await vscode.env.clipboard.writeText('copied since');
      // Past the second copy's clean-up, which reads the clipboard back and finds something else.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(await vscode.env.clipboard.readText(), 'copied since');
    } finally {
      await fortellis().update('copyToken.clearAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("the status bar's token actions offer copy, renew, switch profile and sign out, and run the one picked", async () => {
    await vscode.env.clipboard.writeText('');
    user = new ScriptedUser(['Copy Token']);
    await vscode.commands.executeCommand('fortellis.tokenActions');
    assert.equal(user.prompts[0].kind, 'pick');
    assert.equal(user.prompts[0].title, 'Fortellis: sandbox');
    const offered = (user.prompts[0].items ?? []).join(' | ');
    for (const action of ['Copy Token', 'Renew Token', 'Switch Profile', 'Sign Out']) {
      assert.ok(offered.includes(action), `${action} is offered: ${offered}`);
    }
    assert.equal(jwtClaims(await vscode.env.clipboard.readText()).aud, 'api_providers');
  });

  it('"Renew Token" gets a new token and the status bar follows it', async () => {
    const api = await extensionApi();
    const old = api.status().expiresAt ?? 0;
    await vscode.env.clipboard.writeText('');
    user = new ScriptedUser([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await vscode.commands.executeCommand('fortellis.renewToken');
    assert.match(user.messages.join('\n'), /Fortellis token for "sandbox" renewed: expires in 59m/);
    assert.ok((api.status().expiresAt ?? 0) > old, 'the new token expires later');
    await vscode.commands.executeCommand('fortellis.copyToken');
    assert.notEqual(await vscode.env.clipboard.readText(), '');
  });

  it('a wrong secret in "Edit Profile" is rejected with a clear message, and loses nothing', async () => {
    const api = await extensionApi();
    const expiresAt = api.status().expiresAt;
    user = new ScriptedUser(['Local sandbox', 'sandbox', testApp.apiKey, 'definitely-wrong-secret', 'test']);
    await vscode.commands.executeCommand('fortellis.editProfile');
    assert.match(user.messages.join('\n'), /rejected the API key or secret .*Nothing was saved\./);
    assert.ok(!user.messages.join('\n').includes('definitely-wrong-secret'));
    user.dispose();
    // The stored secret still works and the cached token is still the one served.
    assert.equal(api.status().expiresAt, expiresAt);
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.renewToken');
    assert.match(user.messages.join('\n'), /renewed/);
  });

  after(async () => {
    // For the suite that runs after the reload: the token it should find, and how many requests were made.
    const api = await extensionApi();
    await vscode.commands.executeCommand('fortellis.copyToken');
    leaveNote({ token: fingerprint(await vscode.env.clipboard.readText()), expiresAt: api.status().expiresAt, tokenRequests: await sandboxTokenRequests() });
  });
});
