import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { SANDBOX_SPEC_PATH } from '../../sandbox/spec/vehicleApi';
import { runSnippet } from '../../snippetRuns/snippetRunner';
import { apiRequests, copiedToken, curlFromResponseLens, ensureSandboxProfile, until } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

const RESPONSE_SCHEME = 'fortellis-response';

/** The sandbox's spec opened from the workspace: code lenses, Call with the check, Copy as curl, Open as .http. */
describe('specs in a real VS Code', function () {
  this.timeout(180_000);
  let user: ScriptedUser | undefined;
  let specUri: vscode.Uri;
  let lenses: vscode.CodeLens[];
  let token: string;

  before(async () => {
    await ensureSandboxProfile();
    token = await copiedToken();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder');
    const path = join(folder, 'sandbox-vehicles.yaml');
    copyFileSync(SANDBOX_SPEC_PATH, path);
    specUri = vscode.Uri.file(path);
  });
  afterEach(() => user?.dispose());

  it('opening the spec gives Call, Insert Snippet… and Open as .http above each of its 4 operations', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await vscode.window.showTextDocument(specUri);
    assert.equal(editor.document.languageId, 'yaml');
    lenses = await until('the code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', specUri, 100);
      return found.length > 0 ? found : undefined;
    });
    const lines = editor.document.getText().split('\n');
    assert.deepEqual(
      lenses.map((lens) => `${lines[lens.range.start.line].trim()} ${lens.command?.title}`),
      [
        'get: $(play) Call',
        'get: Insert Snippet…',
        'get: Open as .http',
        'post: $(play) Call',
        'post: Insert Snippet…',
        'post: Open as .http',
        'get: $(play) Call',
        'get: Insert Snippet…',
        'get: Open as .http',
        'get: $(play) Call',
        'get: Insert Snippet…',
        'get: Open as .http',
      ],
    );
    assert.deepEqual(vscode.languages.getDiagnostics(specUri), []);
  });

  async function clickCall(method: string, path: string, answers: string[]): Promise<vscode.TextEditor> {
    const lens = lenses.find(
      (candidate) => candidate.command?.title === '$(play) Call' && candidate.command.arguments?.[1] === method && candidate.command.arguments[2] === path,
    );
    assert.ok(lens?.command, `a Call lens for ${method} ${path}`);
    // The lens carries the spec's URI: the call needs no editor open.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser(answers);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(user.unanswered, 0, `every step was asked: ${JSON.stringify(user.prompts)}`);
    return until('the response view', () => vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === RESPONSE_SCHEME));
  }

  it('Call on GET /vehicles/{vehicleId}: the path parameter asked with its example, a 200 that matches the spec, as JSON with comments', async () => {
    const editor = await clickCall('GET', '/vehicles/{vehicleId}', ['V-1002', 'test']);
    const asked = user?.prompts[0];
    assert.equal(asked?.title, 'Call GET /vehicles/{vehicleId} · vehicleId');
    const text = editor.document.getText();
    assert.equal(editor.document.languageId, 'jsonc');
    assert.match(
      text,
      /^\/\/ HTTP 200 OK · \d+ ms · GET http:\/\/127\.0\.0\.2:\d+\/api\/sandbox\/vehicles\/v1\/vehicles\/V-1002\n\/\/ Request-Id: [0-9a-f-]{36}\n\/\/ ✓ Matches the spec: GET \/vehicles\/\{vehicleId\}, response 200\.\n/,
    );
    assert.equal(text.match(/request-id/gi)?.length, 1, `the Request-Id once:\n${text}`);
    assert.match(text, /^\{\n {2}"vehicleId": "V-1002",$/m);
    assert.ok(!text.includes(token), 'no token in the view');
    const requestId = /Request-Id: (\S+)/.exec(text)?.[1];
    const [record] = (await apiRequests()).filter((seen) => seen.requestId === requestId);
    assert.equal(record?.subscriptionId, 'test');
    assert.equal(record?.accept, 'application/json');
    assert.equal(record?.authenticated, true);
  });

  it('Copy as curl on the response: the request reading $FORTELLIS_TOKEN_FILE, else $FORTELLIS_TOKEN, never the token', async () => {
    const response = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === RESPONSE_SCHEME);
    assert.ok(response);
    user = new ScriptedUser([]);
    const curl = await curlFromResponseLens(response.document.uri);
    assert.match(
      curl,
      /^curl 'http:\/\/127\.0\.0\.2:\d+\/api\/sandbox\/vehicles\/v1\/vehicles\/V-1002' -H "Authorization: Bearer \$\(cat "\$FORTELLIS_TOKEN_FILE" 2>\/dev\/null \|\| printf %s "\$FORTELLIS_TOKEN"\)" -H 'Subscription-Id: test' -H 'Request-Id: [0-9a-f-]{36}' -H 'Accept: application\/json'$/,
    );
    assert.ok(!curl.includes(token));
  });

  it('Call on the operation that breaks its schema lists each mismatch with its JSON path', async () => {
    const editor = await clickCall('GET', '/vehicles/{vehicleId}/recalls', ['V-1001', 'test']);
    const text = editor.document.getText();
    assert.ok(
      text.includes(
        [
          '// ✗ Does not match the spec: GET /vehicles/{vehicleId}/recalls, response 200: 3 mismatches.',
          '//   $.recalls[0].campaign: is required but missing',
          '//   $.recalls[0].issuedOn: should be a date (format), is "31/12/2025"',
          '//   $.recalls[0].remedyAvailable: should be boolean, is string "yes"',
        ].join('\n'),
      ),
      text,
    );
  });

  it('Call on POST /vehicles sends the example body, edited in the body box', async () => {
    const editor = await clickCall('POST', '/vehicles', ['{"vin":"2HGFC2F59JH000001","make":"Honda","model":"Civic","year":2024}', 'test']);
    const text = editor.document.getText();
    assert.match(text, /^\/\/ HTTP 201 Created/);
    assert.match(text, /✓ Matches the spec: POST \/vehicles, response 201\./);
    const body = user?.prompts.find((prompt) => prompt.title === 'Call POST /vehicles · Body');
    assert.ok(body, 'the body box was shown');
  });

  it('Insert Snippet… on GET /vehicles/{vehicleId}: a Python snippet of the filled request, the token from FORTELLIS_TOKEN', async () => {
    const lens = lenses.find((candidate) => candidate.command?.title === 'Insert Snippet…' && candidate.command.arguments?.[2] === '/vehicles/{vehicleId}');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    user = new ScriptedUser(['Python', 'V-1002', 'test']);
    await vscode.commands.executeCommand(lens?.command?.command ?? '', ...(lens?.command?.arguments ?? []));
    assert.equal(user.unanswered, 0);
    const editor = await until('the snippet', () => vscode.window.visibleTextEditors.find((visible) => visible.document.languageId === 'python'));
    const text = editor.document.getText();
    assert.match(text, /http:\/\/127\.0\.0\.2:\d+\/api\/sandbox\/vehicles\/v1\/vehicles\/V-1002/);
    assert.match(text, /FORTELLIS_TOKEN/);
    assert.ok(!text.includes(token));
    const result = await runSnippet('python', text, { FORTELLIS_TOKEN: token });
    assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`.split(token).join('<token>'));
    assert.match(result.stdout, /"vehicleId":\s*"V-1002"/);
  });

  it("a spec's own header parameter: asked, sent by Call, copied by Copy as curl, and in Insert Snippet…'s snippet, which sends it", async () => {
    const dealerPath = join(dirname(specUri.fsPath), 'sandbox-vehicles-dealer.yaml');
    const sandboxSpec = readFileSync(SANDBOX_SPEC_PATH, 'utf8');
    const readOne = '        - $ref: "#/parameters/VehicleId"\n      responses:\n        "200":\n          description: The vehicle.\n';
    assert.ok(sandboxSpec.includes(readOne), 'the sandbox spec still reads one vehicle this way');
    writeFileSync(
      dealerPath,
      sandboxSpec.replace(
        readOne,
        readOne.replace(
          '      responses:',
          '        - name: X-Dealer-Id\n          in: header\n          type: string\n          x-example: D-12\n      responses:',
        ),
      ),
    );
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(dealerPath));
      const found = await until('the code lenses of the dealer spec', async () => {
        const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(dealerPath), 100);
        return all.length > 0 ? all : undefined;
      });
      const lensFor = (title: string) =>
        found.find((lens) => lens.command?.title === title && lens.command.arguments?.[2] === '/vehicles/{vehicleId}')?.command;
      const call = lensFor('$(play) Call');
      assert.ok(call);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      user = new ScriptedUser(['V-1002', 'D-12', 'test']);
      await vscode.commands.executeCommand(call.command, ...(call.arguments ?? []));
      assert.equal(user.unanswered, 0, JSON.stringify(user.prompts));
      assert.ok(user.prompts.some((prompt) => prompt.title === 'Call GET /vehicles/{vehicleId} · X-Dealer-Id'));
      const view = await until('the response view', () => vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === RESPONSE_SCHEME));
      const requestId = /Request-Id: (\S+)/.exec(view.document.getText())?.[1];
      const [called] = (await apiRequests()).filter((seen) => seen.requestId === requestId);
      assert.equal(called?.headers['x-dealer-id'], 'D-12', 'Call sent it');

      const copy = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', view.document.uri))[0]?.command;
      assert.ok(copy);
      await vscode.commands.executeCommand(copy.command, ...(copy.arguments ?? []));
      const curl = await vscode.env.clipboard.readText();
      assert.ok(curl.includes(` -H 'X-Dealer-Id: D-12'`), curl.split(token).join('<token>'));
      assert.ok(!curl.includes(token));

      const insert = lensFor('Insert Snippet…');
      assert.ok(insert);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      user.dispose();
      user = new ScriptedUser(['Python', 'V-1002', 'D-12', 'test']);
      await vscode.commands.executeCommand(insert.command, ...(insert.arguments ?? []));
      assert.equal(user.unanswered, 0, JSON.stringify(user.prompts));
      const snippet = await until('the snippet', () => vscode.window.visibleTextEditors.find((visible) => visible.document.languageId === 'python'));
      const before = (await apiRequests()).length;
      const result = await runSnippet('python', snippet.document.getText(), { FORTELLIS_TOKEN: token });
      assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`.split(token).join('<token>'));
      const [ran] = (await apiRequests()).slice(before);
      assert.equal(ran?.headers['x-dealer-id'], 'D-12', 'the snippet sent it');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(dealerPath, { force: true });
    }
  });

  it('Open as .http writes every operation into a file that httpyac sends with the token from FORTELLIS_TOKEN', async () => {
    user = new ScriptedUser(['test']);
    const lens = lenses.find((candidate) => candidate.command?.title === 'Open as .http');
    await vscode.commands.executeCommand(lens?.command?.command ?? '', ...(lens?.command?.arguments ?? []));
    const httpPath = specUri.fsPath.replace(/\.yaml$/, '.http');
    const text = await until('the .http file', () => {
      try {
        return readFileSync(httpPath, 'utf8');
      } catch {
        return undefined;
      }
    });
    assert.ok(
      vscode.window.visibleTextEditors.some((editor) => editor.document.uri.fsPath === httpPath),
      'the file is opened',
    );
    assert.ok(!text.includes(token));
    const before = (await apiRequests()).length;
    const result = await runSnippet('http', text, { FORTELLIS_TOKEN: token });
    assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`.split(token).join('<token>'));
    const sent = (await apiRequests()).slice(before);
    assert.deepEqual(
      sent.map((record) => `${record.method} ${record.path.replace(/^.*\/v1/, '')} ${record.status} ${record.authenticated}`),
      ['GET /vehicles 200 true', 'POST /vehicles 201 true', 'GET /vehicles/V-1001 200 true', 'GET /vehicles/V-1001/recalls 200 true'],
    );
  });

  it('a workspace spec cannot redirect the token: Call goes to the API base whatever host the spec names, and a path that leaves the base is asked about first', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const hostilePath = join(folder, 'hostile-spec.yaml');
    writeFileSync(
      hostilePath,
      [
        'swagger: "2.0"',
        'info: {title: Hostile, version: "1"}',
        'host: 127.0.0.3:9',
        'basePath: /sandbox/vehicles/v1',
        'schemes: [http]',
        'paths:',
        '  /vehicles:',
        '    get:',
        '      responses: {"200": {description: ok}}',
        '  /../../../../steal:',
        '    get:',
        '      responses: {"200": {description: ok}}',
        '',
      ].join('\n'),
    );
    const uri = vscode.Uri.file(hostilePath);
    await vscode.window.showTextDocument(uri);
    const found = await until("the hostile spec's code lenses", async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return all.length >= 6 ? all : undefined;
    });
    const call = (path: string) => found.find((lens) => lens.command?.title === '$(play) Call' && lens.command.arguments?.[2] === path)?.command;
    const responseViews = () => vscode.workspace.textDocuments.filter((document) => document.uri.scheme === RESPONSE_SCHEME).length;

    user = new ScriptedUser(['test']);
    await vscode.commands.executeCommand(call('/vehicles')?.command ?? '', ...(call('/vehicles')?.arguments ?? []));
    assert.deepEqual(user.messages, [], 'nothing to confirm under the API base');
    const response = await until('the response view', () =>
      vscode.window.visibleTextEditors.find(
        (editor) => editor.document.uri.scheme === RESPONSE_SCHEME && editor.document.getText().includes('/sandbox/vehicles/v1/vehicles'),
      ),
    );
    assert.match(response.document.getText(), /^\/\/ HTTP 200 OK · \d+ ms · GET http:\/\/127\.0\.0\.2:\d+\/api\/sandbox\/vehicles\/v1\/vehicles\n/);
    user.dispose();

    const requestsBefore = (await apiRequests()).length;
    const viewsBefore = responseViews();
    // The user declines the modal (no answer): nothing is sent, not even the Subscription-Id is asked.
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand(call('/../../../../steal')?.command ?? '', ...(call('/../../../../steal')?.arguments ?? []));
    assert.equal(user.messages.length, 1, JSON.stringify(user.messages));
    assert.match(user.messages[0], /^Send the token of "[^"]+" to 127\.0\.0\.2:\d+\? 127\.0\.0\.2:\d+ is not under this environment's API base/);
    assert.deepEqual(user.prompts, [], 'declined before the Subscription-Id step');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(responseViews(), viewsBefore, 'no response');
    assert.equal((await apiRequests()).length, requestsBefore, 'no request');
  });

  it('a spec that cannot be parsed gets a diagnostic at the right line, and no code lens crash', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const brokenPath = join(folder, 'broken-spec.yaml');
    writeFileSync(brokenPath, 'swagger: "2.0"\ninfo: {title: Broken, version: "1"}\npaths:\n  /things:\n    get:\n      responses: [unclosed\n');
    const uri = vscode.Uri.file(brokenPath);
    await vscode.window.showTextDocument(uri);
    const diagnostics = await until('the diagnostic', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Fortellis spec');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0].message, /^Not valid YAML: /);
    assert.ok(diagnostics[0].range.start.line >= 5, `line ${diagnostics[0].range.start.line}`);
    const brokenLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    assert.equal(brokenLenses.length, 3, 'the operation still has its lenses; Call would report the problem');
  });
});
