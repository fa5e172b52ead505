import * as vscode from 'vscode';
import type { Log } from '../../platform/log';

/** Where Fortellis' sample data answers: the Subscription-Id a new file starts with. */
const SAMPLE_SUBSCRIPTION_ID = 'test';

/**
 * "Fortellis: Import Postman Collection…": a collection file (v2.0, v2.1) opened as a new .http file, each request
 * with the Fortellis headers and the token from FORTELLIS_TOKEN. Needs no profile. Postman's SDK is in its own bundle
 * (dist/postmanImport.js), loaded here on first use; a collection it cannot read throws its message to the failure funnel.
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
    const { checkCollectionSize, postmanHttpFile } = await import('../../core/postman/postmanHttpFile.js');
    checkCollectionSize((await vscode.workspace.fs.stat(uri)).size);
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    const file = postmanHttpFile(text, { subscriptionId: SAMPLE_SUBSCRIPTION_ID });
    const document = await vscode.workspace.openTextDocument({ language: 'http', content: file.text });
    await vscode.window.showTextDocument(document);
    this.log.info(`Import Postman Collection: ${file.requests} requests imported, ${file.notes.length} notes.`);
    if (file.notes.length > 0) {
      void vscode.window.showInformationMessage(
        `Fortellis: ${file.requests} requests imported; ${file.notes.length} things were left out or changed, each said in a comment in the file.`,
      );
    }
  }
}
