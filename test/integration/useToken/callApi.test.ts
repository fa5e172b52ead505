import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_HINTS } from '../../../src/core/apiRequests/gatewayErrors';
import { apiRequests, copiedToken, curlFromResponseLens, ensureSandboxProfile, NEW_URL, sandboxApiBaseUrl } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/** "Call API…" against the sandbox's Fortellis-like API: the response in a read-only editor, gateway codes explained. */
describe('Call API', function () {
  this.timeout(120_000);
  let user: ScriptedUser | undefined;
  before(ensureSandboxProfile);
  afterEach(() => user?.dispose());

  async function callApi(answers: Array<string | { pickIfAsked: string }>): Promise<string> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser(answers);
    await vscode.commands.executeCommand('fortellis.callApi');
    assert.equal(user.unanswered, 0, 'every step was asked');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the response opened in an editor');
    assert.equal(editor.document.uri.scheme, 'fortellis-view', 'a read-only view, not a file');
    return editor.document.getText();
  }

  it("a POST with the JSON body: status, time, Request-Id, headers and pretty JSON; the Subscription-Id picked from the app's subscriptions", async () => {
    const token = await copiedToken();
    const url = `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders`;
    const text = await callApi(['POST', NEW_URL, url, '{"vin":"1FTFW1E5"}', 'sandbox-dealer-1']);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'jsonc', 'the one response view: a JSON body opens as JSON with comments');
    const picker = user?.prompts.find((prompt) => prompt.title === 'Call API · Subscription-Id');
    assert.ok(
      picker?.items?.some((label) => label === 'sandbox-dealer-1'),
      `the app's subscriptions are listed: ${picker?.items?.join(' | ')}`,
    );
    assert.ok(
      picker?.items?.some((label) => /\$\(warning\) sandbox-dealer-inactive/.test(label)),
      'an inactive subscription is flagged',
    );
    assert.match(text, /^\/\/ HTTP 200 OK · \d+ ms · POST \S+\/cdk-test\/sales\/v1\/orders$/m);
    const requestId = /^\/\/ Request-Id: ([0-9a-f-]{36})$/m.exec(text)?.[1];
    assert.ok(requestId, `the Request-Id is shown:\n${text}`);
    // The sandbox echoes what it received; the view pretty-prints the JSON it answered.
    assert.match(text, /^\{\n {2}"method": "POST",$/m, `pretty JSON:\n${text}`);
    assert.ok(text.includes('"body": "{\\"vin\\":\\"1FTFW1E5\\"}"'), 'the body the API received');
    assert.ok(!text.includes(token), 'the token is not in the view');
    const [record] = (await apiRequests()).filter((seen) => seen.requestId === requestId);
    assert.equal(record?.authenticated, true);
    assert.equal(record?.subscriptionId, 'sandbox-dealer-1');
    assert.equal(record?.body, '{"vin":"1FTFW1E5"}');
  });

  it('Copy as curl on the response of a plain call: the request as sent, the token read from $FORTELLIS_TOKEN_FILE, never the token', async () => {
    const token = await copiedToken();
    const url = `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders`;
    await callApi(['POST', NEW_URL, url, '{"vin":"1FTFW1E5"}', 'sandbox-dealer-1']);
    const view = vscode.window.activeTextEditor;
    assert.ok(view);
    user = new ScriptedUser([]);
    const curl = await curlFromResponseLens(view.document.uri);
    assert.match(
      curl,
      /^curl -X POST 'http:\/\/127\.0\.0\.2:\d+\/api\/cdk-test\/sales\/v1\/orders' -H "Authorization: Bearer \$\(cat "\$FORTELLIS_TOKEN_FILE" 2>\/dev\/null \|\| printf %s "\$FORTELLIS_TOKEN"\)" -H 'Subscription-Id: sandbox-dealer-1' -H 'Request-Id: [0-9a-f-]{36}' -H 'Accept: application\/json' -H 'Content-Type: application\/json' --data-raw '\{"vin":"1FTFW1E5"\}'$/,
    );
    assert.ok(!curl.includes(token), 'no token in the command');
    assert.ok(user.messages.some((message) => message.startsWith('Fortellis: the request is on the clipboard as a curl command')));
  });

  it("the editor's selection is the body", async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: 'ignored\n{"selected":true}\nignored' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 17);
    user = new ScriptedUser(['PUT', NEW_URL, `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders/1`, 'test']);
    await vscode.commands.executeCommand('fortellis.callApi');
    assert.equal(user.unanswered, 0);
    assert.ok(!user.prompts.some((prompt) => prompt.title === 'Call API · Body'), 'no body prompt');
    const shown = vscode.window.visibleTextEditors.find((visible) => visible.document.uri.scheme === 'fortellis-view');
    assert.ok(shown, `the response is shown (messages: ${user.messages.join(' | ')})`);
    assert.ok(shown.document.getText().includes('"body": "{\\"selected\\":true}"'), shown.document.getText());
  });

  it('every Fortellis gateway error code gets its one-line hint, in the view and as a warning', async () => {
    for (const code of GATEWAY_ERROR_CODES) {
      const text = await callApi(['GET', NEW_URL, `${sandboxApiBaseUrl()}/__gateway-errors/${code}`, 'test']);
      assert.ok(text.includes(code) && text.includes(GATEWAY_ERROR_HINTS[code]), `${code}: the hint is in the view:\n${text}`);
      assert.ok(user?.messages.includes(`Fortellis gateway: ${code}. ${GATEWAY_ERROR_HINTS[code]}`), `${code}: warned`);
      user?.dispose();
    }
  });

  it("an unknown Subscription-Id typed by hand: the gateway's SUBSCRIPTION-MISMATCH, explained", async () => {
    const text = await callApi(['GET', NEW_URL, `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders`, 'Enter a Subscription-Id', 'not-a-subscription']);
    assert.match(text, /^\/\/ HTTP 403 /m);
    assert.ok(text.includes(GATEWAY_ERROR_HINTS['SUBSCRIPTION-MISMATCH']));
  });

  it('Request History: a call is kept, sent again with a fresh token and a new Request-Id, its response opened again, saved as .http, and cleared', async () => {
    const token = await copiedToken();
    user = new ScriptedUser([], 'Clear');
    await vscode.commands.executeCommand('fortellis.clearRequestHistory');
    user.dispose();
    const url = `${sandboxApiBaseUrl()}/cdk-test/history/v1/orders`;
    await callApi(['POST', NEW_URL, url, '{"vin":"HISTORY1"}', 'test']);
    const sentTo = async () => (await apiRequests()).filter((record) => record.path.endsWith('/history/v1/orders'));
    assert.equal((await sentTo()).length, 1);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser([url, 'Send Again']);
    await vscode.commands.executeCommand('fortellis.showRequestHistory');
    assert.equal(user.unanswered, 0, 'picked from the history');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /^\/\/ HTTP 200 OK · \d+ ms · POST \S+\/cdk-test\/history\/v1\/orders$/m, 'the answer in the response view');
    const sent = await sentTo();
    assert.equal(sent.length, 2, 'sent again');
    assert.notEqual(sent[1].requestId, sent[0].requestId, 'with a new Request-Id');
    assert.equal(sent[1].authenticated, true);
    assert.equal(sent[1].subscriptionId, 'test');
    assert.equal(sent[1].body, '{"vin":"HISTORY1"}', 'the same body');
    user?.dispose();

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser([url, 'Open Response']);
    await vscode.commands.executeCommand('fortellis.showRequestHistory');
    assert.equal(user.unanswered, 0, 'Open Response is offered');
    const reopened = vscode.window.activeTextEditor?.document;
    assert.equal(reopened?.getText(), text, 'the response as it was shown, Request-Id and all');
    assert.equal(reopened?.languageId, 'jsonc');
    const archive = join(process.env.FORTELLIS_TEST_USER_DATA_DIR ?? '', 'User', 'globalStorage', 'fortellis-auth.fortellis-auth', 'responses');
    const kept = readdirSync(archive);
    assert.equal(kept.length, 2, 'one file per response kept');
    for (const file of kept) {
      assert.equal(statSync(join(archive, file)).mode & 0o777, 0o600);
      assert.ok(!readFileSync(join(archive, file), 'utf8').includes(token), 'no token in a kept response');
    }
    user.dispose();

    user = new ScriptedUser([url, 'Save as .http']);
    await vscode.commands.executeCommand('fortellis.showRequestHistory');
    assert.equal(user.unanswered, 0);
    const saved = vscode.window.activeTextEditor?.document;
    assert.equal(saved?.languageId, 'http');
    assert.match(saved?.getText() ?? '', new RegExp(`^POST ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(saved?.getText() ?? '', /^Authorization: Bearer \{\{\$dotenv FORTELLIS_TOKEN\}\}$/m);
    assert.match(saved?.getText() ?? '', /^\{"vin":"HISTORY1"\}$/m);
    user.dispose();

    user = new ScriptedUser([], 'Clear');
    await vscode.commands.executeCommand('fortellis.clearRequestHistory');
    assert.deepEqual(readdirSync(archive), [], 'the kept responses go with the history');
    await vscode.commands.executeCommand('fortellis.showRequestHistory');
    assert.ok(
      user.messages.some((message) => message.startsWith('No request in the history yet')),
      user.messages.join(' | '),
    );
  });
});
