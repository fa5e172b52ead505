import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureSandboxProfile, NEW_URL, sandboxApiBaseUrl } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/**
 * `.http` and `.rest` files are `http` files (the language id REST Client and httpyac use) even in a host without either
 * extension, so that Insert Request Snippet writes into them instead of asking for a language and opening a new editor.
 */
describe('.http and .rest files without REST Client or httpyac', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  let folder: string;
  before(async () => {
    await ensureSandboxProfile();
    folder = mkdtempSync(join(tmpdir(), 'fortellis-http-'));
  });
  afterEach(() => user?.dispose());
  after(() => rmSync(folder, { recursive: true, force: true }));

  for (const name of ['call.http', 'call.rest']) {
    it(`${name} opens as an http file, and Insert Request Snippet writes the request into it`, async () => {
      const path = join(folder, name);
      writeFileSync(path, '');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(path));
      assert.equal(editor.document.languageId, 'http');
      // No language is asked: the file's own is used.
      user = new ScriptedUser(['GET', NEW_URL, `${sandboxApiBaseUrl()}/sales/v1/vehicles`, 'test', 'Read the token']);
      await vscode.commands.executeCommand('fortellis.insertRequestSnippet');
      assert.equal(user.unanswered, 0, 'every step was asked');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path, 'the snippet went into the .http file, not a new editor');
      assert.match(editor.document.getText(), /^GET https?:\/\/\S+\/sales\/v1\/vehicles/m);
      assert.ok(!user.prompts.some((prompt) => /Language/.test(prompt.title ?? '')), 'no language was asked');
    });
  }
});
