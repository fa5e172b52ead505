import assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SNIPPET_LANGUAGES } from '../../../src/core/snippets/renderSnippet';
import { REQUEST_ID_FORM, runSnippet } from '../../snippetRuns/snippetRunner';
import { apiRequests, copiedToken, ensureSandboxProfile, NEW_URL, sandboxApiBaseUrl } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/** Characters that break naive quoting in shells, string literals and .http files. */
const AWKWARD_BODY = JSON.stringify({ note: 'It\'s "quoted" $HOME `cmd` \\path {{var}} ${x} 100% é 日本', lines: 'a\nb\tc' });
const AWKWARD_QUERY = '?q=a%20b&dollar=%24x&quote=%22';

/**
 * "Insert Request Snippet" in a real editor, for every language, then the inserted text runs as written against the
 * sandbox's Fortellis-like API, with the token from FORTELLIS_TOKEN: the API must see an authenticated request with
 * the Fortellis headers and the body byte for byte.
 */
describe('Request snippets, inserted in a real editor and run as written', function () {
  this.timeout(180_000);
  let user: ScriptedUser | undefined;
  before(ensureSandboxProfile);
  afterEach(() => user?.dispose());
  const verified: string[] = [];

  // Through the reporter, so that the runner prints it with the results.
  after(() => Mocha.reporters.Base.consoleLog(`      how each language was verified:\n${verified.map((line) => `        ${line}`).join('\n')}`));

  for (const language of SNIPPET_LANGUAGES) {
    it(`${language.label}: a POST with an awkward URL and body, read from FORTELLIS_TOKEN`, async () => {
      const token = await copiedToken();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const document = await vscode.workspace.openTextDocument({ language: language.languageIds[0], content: '' });
      await vscode.window.showTextDocument(document);
      // Languages VS Code does not know here (e.g. http) open as plain text: the command asks which language.
      const asked = vscode.window.activeTextEditor?.document.languageId === language.languageIds[0] ? [] : [language.label];
      const url = `${sandboxApiBaseUrl()}/snippets/${language.id}/v1/vehicles${AWKWARD_QUERY}`;
      user = new ScriptedUser([...asked, 'POST', NEW_URL, url, AWKWARD_BODY, 'test', 'Read the token']);
      await vscode.commands.executeCommand('fortellis.insertRequestSnippet');
      assert.equal(user.unanswered, 0, 'every step was asked');
      const text = vscode.window.activeTextEditor?.document.getText() ?? '';
      assert.ok(text.length > 0, 'the snippet is in the editor');
      assert.ok(!text.includes(token), 'the token is not in the file');
      assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, 'no Request-Id written into the file: it is made at each run');

      const sentBefore = (await apiRequests()).length;
      const result = await runSnippet(language.id, text, { FORTELLIS_TOKEN: token });
      verified.push(`${language.label} ${result.ran} (${result.how})`);
      if (result.ran === 'unavailable') {
        assert.fail(`${language.label} cannot be checked here: ${result.how}`);
      }
      assert.equal(result.exitCode, 0, `${language.label} exited with ${result.exitCode}: ${result.stderr.slice(0, 500)}`);
      if (result.ran === 'syntax-check') {
        return;
      }
      const seen = (await apiRequests()).slice(sentBefore).filter((record) => record.path.endsWith(`/snippets/${language.id}/v1/vehicles`));
      assert.equal(seen.length, 1, 'the API saw the request once');
      const [record] = seen;
      assert.match(record.requestId ?? '', REQUEST_ID_FORM, 'a Request-Id made by the snippet as it ran');
      assert.equal(record.method, 'POST');
      assert.equal(`/api${record.path.replace(/^\/api/, '')}?${record.query}`, new URL(url).pathname + new URL(url).search);
      assert.equal(record.authenticated, true, 'a valid sandbox token');
      assert.equal(record.subscriptionId, 'test');
      assert.equal(record.accept, 'application/json');
      assert.match(record.contentType ?? '', /^application\/json/);
      assert.equal(record.body, AWKWARD_BODY, 'the body byte for byte');
      assert.equal(record.status, 200);
    });
  }
});
