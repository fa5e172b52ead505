import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { blankLineYaml, exampleRefSpec } from '../../unit/specs/hostileSpecs';
import { ensureSandboxProfile, until } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/**
 * Specs an attacker wrote, in the hostile workspace (trusted, and in Restricted Mode): reading them, writing their
 * request bodies and checking responses runs in the spec worker, so the extension host keeps answering meanwhile. How
 * long anything takes is the bench's business (test/bench/heartbeatBench.ts); here, what the user sees, and in which order.
 */
const mode = process.env.FORTELLIS_TEST_TRUST === 'trusted' ? 'trusted' : 'restricted';

describe(`Hostile specs in the hostile workspace (${mode})`, function () {
  this.timeout(180_000);
  let user: ScriptedUser | undefined;
  afterEach(() => user?.dispose());

  const write = (name: string, text: string): vscode.Uri => {
    const path = join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', name);
    writeFileSync(path, text);
    return vscode.Uri.file(path);
  };
  const lensesOf = (uri: vscode.Uri) =>
    until(
      `the code lenses of ${uri.path}`,
      async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
        return found.length > 0 ? found : undefined;
      },
      120_000,
    );

  it('a YAML spec with 80,000 blanks on one line: Call, Insert Snippet… and Open as .http above its operation, and a problem on the spec', async () => {
    const uri = write('blank-line.yaml', blankLineYaml());
    await vscode.window.showTextDocument(uri);
    const lenses = await lensesOf(uri);
    assert.deepEqual(
      lenses.map((lens) => `${lens.range.start.line} ${lens.command?.title}`),
      ['5 $(play) Call', '5 Insert Snippet…', '5 Open as .http'],
    );
    const problems = await until(
      'a problem on the spec',
      () => {
        const found = vscode.languages.getDiagnostics(uri);
        return found.length > 0 ? found : undefined;
      },
      120_000,
    );
    // The YAML parser's answer, or (should reading it ever outlast its budget) why it was not read.
    assert.equal(problems.length, 1, problems.map((problem) => problem.message).join('\n'));
    assert.match(problems[0].message, /^Not valid YAML: |^Not checked: reading the spec took more than 10 s, so it was stopped/);
  });

  it('Call on a spec whose body is costly to write: the extension host runs other work while the body is written, and the Call ends with the body box or why not', async () => {
    await ensureSandboxProfile();
    const uri = write('example-ref.yaml', exampleRefSpec());
    const other = write(
      'small-spec.yaml',
      'openapi: 3.0.3\ninfo: {title: Small, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n',
    );
    // Code lenses are asked of documents the workbench has open.
    await vscode.window.showTextDocument(uri);
    await vscode.workspace.openTextDocument(other);
    const call = (await lensesOf(uri)).find((lens) => lens.command?.title === '$(play) Call')?.command;
    assert.ok(call, 'a Call lens');
    let settled = false;
    let otherWork: Promise<{ duringCall: boolean; lenses: number }> | undefined;
    user = new ScriptedUser(['D-1', undefined]);
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const scripted = window.showInputBox;
    window.showInputBox = ((options?: vscode.InputBoxOptions) => {
      if (options?.title?.endsWith('· dealer')) {
        // The next thing the Call does is write the body. What the host does next, in its next turn:
        setImmediate(() => {
          const duringCall = !settled;
          otherWork = Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', other, 100)).then((lenses) => ({
            duringCall,
            lenses: lenses.length,
          }));
        });
      }
      return scripted(options);
    }) as typeof vscode.window.showInputBox;
    await vscode.commands.executeCommand(call.command, ...(call.arguments ?? []));
    settled = true;
    const answered = await until('the other work', () => otherWork);
    assert.deepEqual(answered, { duringCall: true, lenses: 3 });
    const bodyAsked = user.prompts.some((prompt) => prompt.title === 'Call POST /bulk · Body');
    const whyNot = user.messages.find((message) => /writing the request took more than 10 s, so it was stopped/.test(message));
    assert.ok(bodyAsked || whyNot, `the body box, or why not: ${JSON.stringify({ prompts: user.prompts, messages: user.messages })}`);
  });
});
