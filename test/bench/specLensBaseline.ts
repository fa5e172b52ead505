/**
 * The spec bench's baseline: an extension whose code lens provider does as little as one can for the 2 MB spec. It
 * finds the operations with one regular expression over the text and gives the same 3,000 lenses (three per operation,
 * resolved with a command that does nothing). specBench.ts runs the same host script against it, in its own
 * code-server, so that what VS Code itself takes after the editor is shown (drawing and tokenizing 2 MB, its own code
 * lens request) stands beside what Fortellis Auth adds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAIN = `'use strict';
const vscode = require('vscode');
const OPERATION = /^ {4}(?:get|put|post|delete|patch|head|options):/gm;
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('specLensBaseline.nothing', () => undefined),
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, {
      provideCodeLenses(document) {
        const text = document.getText();
        const lenses = [];
        for (const match of text.matchAll(OPERATION)) {
          const line = document.positionAt(match.index).line;
          const range = new vscode.Range(line, 0, line, 0);
          lenses.push(new vscode.CodeLens(range), new vscode.CodeLens(range), new vscode.CodeLens(range));
        }
        return lenses;
      },
      resolveCodeLens(lens) {
        lens.command = { title: 'Call', command: 'specLensBaseline.nothing' };
        return lens;
      },
    }),
  );
};
`;

/** Writes the baseline extension into `folder` (its extensionDevelopmentPath). */
export async function writeSpecLensBaseline(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const manifest = {
    name: 'spec-lens-baseline',
    displayName: 'Spec lens baseline (bench)',
    publisher: 'fortellis-bench',
    version: '0.0.1',
    engines: { vscode: '^1.95.0' },
    main: './extension.js',
    activationEvents: ['onLanguage:yaml'],
  };
  await writeFile(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(folder, 'extension.js'), MAIN);
}
