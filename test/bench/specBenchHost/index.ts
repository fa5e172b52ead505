/**
 * Runs inside the extension host (code-server), for test/bench/specBench.ts: opens a 2 MB spec with 1,000 operations
 * five times (a new file each time, so nothing is cached) and times each from openTextDocument to the code lenses
 * VS Code's code lens command returns for it. The first run also loads the spec bundle. Writes the times as JSON to
 * FORTELLIS_SPEC_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { largeSpecYaml } from '../../unit/specs/largeSpec';

const RUNS = 5;
const OPERATIONS = 1000;
/** Lenses of the operations one editor shows at a time, at most. */
const SCREENFUL = 30;

export async function run(): Promise<void> {
  const out = process.env.FORTELLIS_SPEC_BENCH_OUT;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!out || !folder) {
    throw new Error('FORTELLIS_SPEC_BENCH_OUT and a workspace folder are needed: run test/bench/specBench.');
  }
  await vscode.extensions.getExtension('fortellis-auth.fortellis-auth')?.activate();
  const text = largeSpecYaml(OPERATIONS, 2 * 1024 * 1024);
  const timesMs: number[] = [];
  /** Per run: when openTextDocument and showTextDocument resolved, from the start. */
  const openedMs: number[] = [];
  const shownMs: number[] = [];
  /** The code lens command once more on the open spec (locations cached): the round trip of 3,000 lenses. */
  const againMs: number[] = [];
  /**
   * The code lens command on a spec opened but not shown: the scan and the 3,000 lenses without the workbench drawing a
   * 2 MB editor at the same time (what the extension host does, with the renderer idle).
   */
  const notShownMs: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const uri = vscode.Uri.file(join(folder, `large-spec-${index}.yaml`));
    writeFileSync(uri.fsPath, text);
    const started = performance.now();
    const document = await vscode.workspace.openTextDocument(uri);
    openedMs.push(performance.now() - started);
    await vscode.window.showTextDocument(document);
    shownMs.push(performance.now() - started);
    for (;;) {
      // Resolving a screenful, as the editor does (it resolves the lenses it shows).
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, SCREENFUL);
      // With a resolve count VS Code returns only the lenses it resolved; the provider gives all 3,000 in one answer.
      if (lenses.length >= SCREENFUL) {
        break;
      }
      if (performance.now() - started > 60_000) {
        throw new Error(`Only ${lenses.length} code lenses after 60 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    timesMs.push(performance.now() - started);
    const again = performance.now();
    await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, SCREENFUL);
    againMs.push(performance.now() - again);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  for (let index = 0; index < RUNS; index++) {
    const uri = vscode.Uri.file(join(folder, `large-spec-hidden-${index}.yaml`));
    writeFileSync(uri.fsPath, text);
    await vscode.workspace.openTextDocument(uri);
    const started = performance.now();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, SCREENFUL);
    notShownMs.push(performance.now() - started);
    if (lenses.length < SCREENFUL) {
      throw new Error(`Only ${lenses.length} code lenses for a spec opened but not shown`);
    }
  }
  writeFileSync(out, JSON.stringify({ bytes: Buffer.byteLength(text), operations: OPERATIONS, timesMs, openedMs, shownMs, againMs, notShownMs }));
}
