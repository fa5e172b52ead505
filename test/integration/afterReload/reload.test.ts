import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fingerprint, readNote, sandboxTokenRequests, statusBarText, testApp } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/** Runs in a reloaded window, after ../tokenCommands.test: what the first window stored must be reused. */
describe('After a reload', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  afterEach(() => user?.dispose());

  it('shows the countdown of the token from SecretStorage at once, with no request and no prompt', async () => {
    const note = readNote();
    const api = await extensionApi();
    user = new ScriptedUser([]);
    await statusBarText(api, /Fortellis: sandbox · \d+m$/);
    assert.equal(api.status().expiresAt, note.expiresAt);
    await vscode.commands.executeCommand('fortellis.copyToken');
    assert.equal(fingerprint(await vscode.env.clipboard.readText()), note.token, 'the same token');
    assert.equal(await sandboxTokenRequests(), note.tokenRequests, 'no token request after the reload');
    assert.equal(user.prompts.length, 0, 'the secret came from SecretStorage');
  });

  it('"Sign Out" forgets the secret and the token; the next "Get Fortellis Token" asks for the secret only', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([], 'Sign Out');
    await vscode.commands.executeCommand('fortellis.signOut');
    assert.match(user.messages.join('\n'), /Signed out of "sandbox"/);
    await statusBarText(api, /Fortellis: sandbox · no token$/);
    user.dispose();

    user = new ScriptedUser([testApp.apiSecret]);
    await vscode.commands.executeCommand('fortellis.getToken');
    assert.equal(user.prompts.length, 1);
    assert.equal(user.prompts[0].password, true);
    await statusBarText(api, /Fortellis: sandbox · 59m$/);
  });

  it('"Remove Profile" deletes the profile and returns the status bar to its first state', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([], 'Remove');
    await vscode.commands.executeCommand('fortellis.removeProfile');
    assert.deepEqual(vscode.workspace.getConfiguration('fortellis').get('profiles'), []);
    await statusBarText(api, /^\$\(key\) Fortellis$/);
  });
});
