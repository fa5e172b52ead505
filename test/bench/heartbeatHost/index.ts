/**
 * Runs inside the extension host (code-server), for test/bench/heartbeatBench.ts: the workload whose effect on the
 * extension host the heartbeat extension measures, one phase after the other, each followed by a quiet moment for
 * what the extension does afterwards (diagnostics, the spec worker's answer). With Fortellis Auth loaded it also
 * clicks Call and renews the token; without it, the same files are opened (and the response as a 6 MB JSON document) and the same time passes. Writes the phases'
 * times (ms since the epoch) as JSON to FORTELLIS_HEARTBEAT_PHASES.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { testReportMarker } from '../../host/testReport';
import { ensureSandboxProfile, until } from '../../integration/testEnvironment';
import { ScriptedUser, type Answer } from '../../integration/userInput';
import { BENCH_FILES, type Phase } from '../heartbeatFiles';
import { POLYNOMIAL_EXAMPLE } from '../../unit/specs/hostileSpecs';

/** What each phase leaves the extension host to finish after its action: diagnostics wait 400 ms for the spec to settle. */
const SETTLE_MS = 2500;
const RESPONSE_SCHEME = 'fortellis-response';

const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<void> {
  const out = process.env.FORTELLIS_HEARTBEAT_PHASES;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!out || !folder) {
    throw new Error('FORTELLIS_HEARTBEAT_PHASES and a workspace folder are needed: run test/bench/heartbeatBench.');
  }
  /** A line of the bench's output (the runner prints what follows the marker). */
  const report = (line: string) => console.log(`${testReportMarker}${line}`);
  const extension = vscode.extensions.getExtension('fortellis-auth.fortellis-auth');
  report(extension ? 'With Fortellis Auth: activating it, adding a profile and getting its token' : 'Without Fortellis Auth');
  await extension?.activate();
  if (extension) {
    // A profile and its token, before anything is measured.
    await ensureSandboxProfile();
  }
  const uri = (name: string) => vscode.Uri.file(join(folder, name));
  const phases: Phase[] = [];
  let seen: string[] = [];
  const phase = async (name: string, action: () => Promise<unknown>): Promise<void> => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await pause(500);
    seen = [];
    report(`  ${name}`);
    const start = now();
    await action();
    await pause(SETTLE_MS);
    const end = now();
    for (const [file, diagnostics] of vscode.languages.getDiagnostics()) {
      if (file.fsPath.startsWith(folder)) {
        seen.push(...diagnostics.map((diagnostic) => `problem in ${file.path.split('/').pop()}: ${diagnostic.message.slice(0, 160)}`));
      }
    }
    phases.push({ name, start, end, seen });
  };
  const open = async (name: string) => {
    await vscode.window.showTextDocument(uri(name));
    if (extension) {
      const lenses = await until(`the code lenses of ${name}`, async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri(name), 30);
        return found.length > 0 ? found : undefined;
      });
      seen.push(`${lenses.length} code lenses on ${name}`);
    }
  };
  /** Opens the spec and clicks Call above `method path`, the user answering `answers`. */
  const call = async (name: string, method: string, path: string, answers: Answer[]): Promise<void> => {
    await open(name);
    if (!extension) {
      return;
    }
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri(name), 100);
    const lens = lenses.find((each) => each.command?.title === '$(play) Call' && each.command.arguments?.[1] === method && each.command.arguments[2] === path);
    if (!lens?.command) {
      throw new Error(`No Call lens for ${method} ${path} in ${name}`);
    }
    const user = new ScriptedUser(answers);
    try {
      await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    } finally {
      user.dispose();
    }
    seen.push(...user.prompts.map((prompt) => `asked: ${prompt.title ?? prompt.kind}${prompt.warning ? ` (warning: ${prompt.warning})` : ''}`));
    seen.push(...user.messages.map((message) => `message: ${message.slice(0, 200)}`));
  };

  await phase('Idle (the timer alone)', async () => {
    seen.push(
      `extensions: ${vscode.extensions.all
        .filter((each) => !each.id.startsWith('vscode.'))
        .map((each) => each.id)
        .join(', ')}`,
    );
  });
  await phase('Open the 2 MB spec, its code lenses and diagnostics', () => open(BENCH_FILES.large));
  await phase('Call → check a 5 MB response (21,000 records, uniqueItems)', async () => {
    await call(BENCH_FILES.records, 'GET', '/records', [{ pickIfAsked: 'test' }]);
    if (extension) {
      const view = await until(
        'the response view',
        () => vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === RESPONSE_SCHEME),
        60_000,
      );
      seen.push(...view.document.getText().split('\n', 4).slice(0, 3));
    } else {
      // The same 6 MB of indented JSON, opened as a JSON with Comments editor: VS Code's own cost of the response view.
      await vscode.window.showTextDocument(
        await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri(BENCH_FILES.response)), 'jsonc'),
      );
    }
  });
  await phase('Open the YAML spec with 80,000 blanks on one line', () => open(BENCH_FILES.blankLine));
  await phase('Open the O(n⁸) pattern spec, Call with its 60-digit example', () => call(BENCH_FILES.pattern, 'GET', '/codes', [POLYNOMIAL_EXAMPLE, undefined]));
  await phase('Open the 1.15 MB example-ref spec, Call (its body)', () => call(BENCH_FILES.exampleRef, 'POST', '/bulk', ['D-1', undefined]));
  await phase('Import Postman Collection: 2 MB, 1,500 requests', async () => {
    if (!extension) {
      return;
    }
    const user = new ScriptedUser([join(folder, BENCH_FILES.postman)]);
    try {
      await vscode.commands.executeCommand('fortellis.importPostmanCollection');
    } finally {
      user.dispose();
    }
    const imported = vscode.window.activeTextEditor?.document;
    seen.push(`imported: ${imported?.languageId} file of ${imported?.lineCount} lines`, ...user.messages.map((message) => `message: ${message.slice(0, 200)}`));
  });
  await phase('Renew Token', async () => {
    if (extension) {
      const user = new ScriptedUser([]);
      try {
        await vscode.commands.executeCommand('fortellis.renewToken');
      } finally {
        user.dispose();
      }
      seen.push(...user.messages.map((message) => `message: ${message.slice(0, 200)}`));
    }
  });
  // The heartbeat extension writes its last beats.
  await pause(500);
  writeFileSync(out, JSON.stringify(phases));
}
