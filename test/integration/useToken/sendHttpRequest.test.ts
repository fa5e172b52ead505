import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apiRequests, copiedToken, ensureSandboxProfile, sandboxApiBaseUrl, until } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

const SEND_LENS = '$(play) Send with Fortellis token';

/**
 * A request in an editor: "New Request…" opens one under the profile's API base, the JSON body is checked as the user
 * types, and the "Send with Fortellis token" lens sends it through the request pipeline (token, new Request-Id,
 * Subscription-Id, the destination confirmed), the answer in the response view.
 */
describe('Requests in an editor: New Request… and Send with Fortellis token', function () {
  this.timeout(120_000);
  let user: ScriptedUser | undefined;
  before(ensureSandboxProfile);
  afterEach(() => user?.dispose());

  async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    assert.ok(await editor.edit((edit) => edit.replace(whole, text)));
  }

  async function sendLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return lenses.filter((lens) => lens.command?.title === SEND_LENS);
  }

  /** Clicks the lens: runs its command as the editor would. */
  async function click(lens: vscode.CodeLens, answers: string[] = [], messageChoice?: string): Promise<ScriptedUser> {
    user = new ScriptedUser(answers, messageChoice);
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    return user;
  }

  it('New Request… opens a request under the API base; a broken JSON body is flagged at its line; the lens sends the request as written, with a new Request-Id each time', async () => {
    const token = await copiedToken();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.newRequest');
    user.dispose();
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the request opened in an editor');
    assert.equal(editor.document.languageId, 'http');
    assert.ok(editor.document.getText().includes(`@base = ${sandboxApiBaseUrl()}`), editor.document.getText());
    assert.ok(!editor.document.getText().includes(token), 'no token in the editor');
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^POST \{\{base\}\}\/cdk-test\/$/, 'the cursor is where the path goes');

    const request = (body: string) =>
      [
        `@base = ${sandboxApiBaseUrl()}`,
        '###',
        'POST {{base}}/cdk-test/sales/v1/orders',
        'Subscription-Id: sandbox-dealer-1',
        'Request-Id: {{$guid}}',
        'X-Dealer-Code: D-42',
        'Content-Type: application/json',
        '',
        body,
        '',
      ].join('\n');
    await replaceAll(editor, request('{\n  "vin": "1FTFW1E5",\n  "options": [\n    "tow",\n  ]\n}'));
    const broken = await until(
      'a warning on the broken body',
      () => vscode.languages.getDiagnostics(editor.document.uri).find((diagnostic) => diagnostic.source === 'Fortellis'),
      10_000,
    );
    assert.equal(broken.range.start.line, 12, 'at the line where the JSON breaks: the ] after a trailing comma');
    assert.match(broken.message, /^The body is not valid JSON: /);

    const body = '{\n  "vin": "1FTFW1E5",\n  "options": [\n    "tow"\n  ]\n}';
    await replaceAll(editor, request(body));
    await until('the warning to go', () => (vscode.languages.getDiagnostics(editor.document.uri).length === 0 ? true : undefined), 10_000);

    const [lens] = await sendLenses(editor.document);
    assert.equal(lens?.range.start.line, 2, 'the lens is on the request line');
    const before = (await apiRequests()).length;
    await click(lens);
    await click(lens);
    const sent = (await apiRequests()).slice(before);
    assert.equal(sent.length, 2, 'each click sent the request once');
    for (const record of sent) {
      assert.equal(record.method, 'POST');
      assert.equal(record.path, '/api/cdk-test/sales/v1/orders');
      assert.equal(record.authenticated, true);
      assert.equal(record.subscriptionId, 'sandbox-dealer-1');
      assert.equal(record.headers['x-dealer-code'], 'D-42');
      assert.equal(record.body, body, 'the body byte for byte');
    }
    assert.notEqual(sent[0].requestId, sent[1].requestId, 'a new Request-Id for each send');
    const view = vscode.window.visibleTextEditors.find((visible) => visible.document.uri.scheme === 'fortellis-view');
    assert.ok(view, 'the answer opened in the response view');
    assert.equal(view.document.languageId, 'jsonc');
    assert.match(view.document.getText(), /^\/\/ HTTP 200 OK · \d+ ms · POST \S+\/cdk-test\/sales\/v1\/orders$/m);
    assert.ok(!view.document.getText().includes(token), 'the token is not in the view');
  });

  it('a host outside the API base is asked about first, and nothing goes there unless the user sends', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'http', content: 'GET https://api.example.com/v1/things\nSubscription-Id: test\n' });
    await vscode.window.showTextDocument(document);
    const [lens] = await sendLenses(document);
    const before = (await apiRequests()).length;
    const asked = await click(lens);
    assert.ok(
      asked.messages.some((message) => message.startsWith('Send the token of "sandbox" to api.example.com?')),
      asked.messages.join(' | '),
    );
    assert.equal((await apiRequests()).length, before, 'nothing was sent');
  });

  it('a line it does not understand is named, and nothing is sent', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'http',
      content: `GET ${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders\nX-Secret: {{$dotenv AWS_SECRET_ACCESS_KEY}}\n`,
    });
    await vscode.window.showTextDocument(document);
    const [lens] = await sendLenses(document);
    const before = (await apiRequests()).length;
    const told = await click(lens);
    assert.ok(
      told.messages.some((message) => /^Fortellis: not sent\. Line 2 of Untitled-\d+: \{\{\$dotenv AWS_SECRET_ACCESS_KEY\}\} is not a value/.test(message)),
      told.messages.join(' | '),
    );
    assert.equal((await apiRequests()).length, before, 'nothing was sent');
  });
});
