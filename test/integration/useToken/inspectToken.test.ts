import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { copiedToken, ensureSandboxProfile, jwtClaims } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/** "Inspect Token" on the current token and on a pasted one, checked against the sandbox issuer's keys. */
describe('Inspect Token', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  before(ensureSandboxProfile);
  afterEach(() => user?.dispose());

  async function inspect(answers: string[]): Promise<string> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser(answers);
    await vscode.commands.executeCommand('fortellis.inspectToken');
    assert.equal(user.unanswered, 0);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.languageId, 'markdown');
    return editor?.document.getText() ?? '';
  }

  it("the app token: decoded, every check passed against the issuer's JWKS, and no signature shown", async () => {
    const token = await copiedToken();
    const text = await inspect(['The app token']);
    for (const check of ['signature', 'issuer', 'audience', 'expiry']) {
      assert.match(text, new RegExp(`✓.*${check}`, 'i'), `${check} passed:\n${text}`);
    }
    assert.doesNotMatch(text, /✗/);
    assert.match(text, /"aud": "api_providers"/);
    assert.ok(text.includes(String(jwtClaims(token).sub)), 'the claims are shown');
    assert.ok(!text.includes(token.split('.')[2]), 'not the signature');
  });

  it('a pasted token signed by another key, for another audience: the signature and audience checks fail, by name', async () => {
    const token = await copiedToken();
    const claims = jwtClaims(token);
    // jose is an ES module: imported dynamically from this CommonJS test.
    const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `foreign-${(await exportJWK(publicKey)).n?.slice(0, 8)}`;
    const forged = await new SignJWT({ ...claims, aud: 'somebody_else' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const text = await inspect(['Paste a token', `Bearer ${forged}`]);
    assert.match(text, /✗.*signature/i);
    assert.ok(text.includes(kid), 'the unknown key id is named');
    assert.match(text, /✗.*audience/i);
    assert.match(text, /✓.*issuer/i);
  });
});
