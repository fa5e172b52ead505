import { join } from 'node:path';
import * as vscode from 'vscode';
import { checkCollectionSize } from '../../core/postman/postmanImportLimits';
import { readCollectionOffThread } from '../../core/postman/postmanOffThread';
import { HTTP_LANGUAGE_ID } from '../../platform/commandIds';
import type { Log } from '../../platform/log';

/** Where Fortellis' sample data answers: the Subscription-Id a new file starts with. */
const SAMPLE_SUBSCRIPTION_ID = 'test';

/**
 * "Fortellis: Import Postman Collection…": a collection file (v2.0, v2.1) opened as a new .http file, each request
 * with the Fortellis headers and the token from FORTELLIS_TOKEN. Needs no profile. Postman's SDK reads it in a worker
 * of its own (dist/postmanWorker.js, within a budget), never on the extension host's thread; a collection it cannot
 * read throws its message to the failure funnel.
 */
export class ImportPostmanCollection {
  constructor(private readonly log: Log) {}

  async run(): Promise<void> {
    const [uri] =
      (await vscode.window.showOpenDialog({
        title: 'Import Postman Collection',
        openLabel: 'Import',
        canSelectMany: false,
        filters: { 'Postman collection': ['json'] },
      })) ?? [];
    if (!uri) {
      return;
    }
    checkCollectionSize((await vscode.workspace.fs.stat(uri)).size);
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    const file = await this.log.withProgress('Reading the Postman collection…', () =>
      readCollectionOffThread(join(__dirname, 'postmanWorker.js'), { text, options: { subscriptionId: SAMPLE_SUBSCRIPTION_ID } }),
    );
    const document = await vscode.workspace.openTextDocument({ language: HTTP_LANGUAGE_ID, content: file.text });
    await vscode.window.showTextDocument(document);
    this.log.info(`Import Postman Collection: ${file.requests} requests imported, ${file.notes.length} notes.`);
    if (file.notes.length > 0) {
      void vscode.window.showInformationMessage(
        `Fortellis: ${file.requests} requests imported; ${file.notes.length} things were left out or changed, each said in a comment in the file.`,
      );
    }
  }
}
