import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fortellisCollection } from '../../sandbox/postmanCollections';
import { ScriptedUser } from '../userInput';

/** Import Postman Collection…: the collection file picked, a new untitled .http editor with its requests. */
describe('Import Postman Collection', function () {
  this.timeout(60_000);
  let user: ScriptedUser | undefined;
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'fortellis-postman-'));
  });
  afterEach(async () => {
    user?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('Postman: a Fortellis collection opens as a new .http editor with the Fortellis headers and no credential', async () => {
    const path = join(folder, 'Sandbox Vehicles.postman_collection.json');
    writeFileSync(path, JSON.stringify(fortellisCollection('https://api.fortellis.io/cdk-test/vehicles/v1')));
    user = new ScriptedUser([path]);
    await vscode.commands.executeCommand('fortellis.importPostmanCollection');
    assert.equal(user.unanswered, 0);
    assert.deepEqual(user.prompts, [{ kind: 'open', title: 'Import Postman Collection' }]);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'an editor opened');
    assert.equal(document.uri.scheme, 'untitled');
    assert.equal(document.languageId, 'http');
    const text = document.getText();
    assert.match(text, /^@baseUrl = https:\/\/api\.fortellis\.io\/cdk-test\/vehicles\/v1$/mu);
    assert.match(
      text,
      /^POST \{\{baseUrl\}\}\/vehicles\nAuthorization: Bearer \{\{\$dotenv FORTELLIS_TOKEN\}\}\nSubscription-Id: \{\{subscriptionId\}\}\nRequest-Id: \{\{\$guid\}\}$/mu,
    );
    assert.equal(text.match(/^###$/gmu)?.length, 3);
    assert.ok(!text.includes('my-api-secret'));
    assert.deepEqual(user.messages, [], 'nothing was left out, so nothing to say');
  });

  it('Postman: a file that is not a collection gets the reason, and no editor opens', async () => {
    const path = join(folder, 'broken.json');
    writeFileSync(path, '{"info": {"name": "x"}, "item": [');
    user = new ScriptedUser([path]);
    await vscode.commands.executeCommand('fortellis.importPostmanCollection');
    assert.equal(user.messages.length, 1);
    assert.match(user.messages[0], /^Fortellis Import Postman Collection: The Postman collection is not JSON: /u);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('Postman: cancelling the file dialog does nothing', async () => {
    user = new ScriptedUser([undefined]);
    await vscode.commands.executeCommand('fortellis.importPostmanCollection');
    assert.deepEqual(user.messages, []);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });
});
