import * as vscode from 'vscode';
import { READ_ONLY_SCHEME } from './commandIds';

/**
 * Read-only editors for what the extension shows: API responses and token inspections. The text lives in memory
 * only (never on disk) and is dropped when its editor closes.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];
  private count = 0;

  constructor(private readonly scheme = READ_ONLY_SCHEME) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(scheme, this),
      vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString())),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens `text` in a read-only editor beside the current one, titled `title`. */
  async show(title: string, text: string, languageId: string): Promise<vscode.TextEditor> {
    this.count += 1;
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${this.count}/${title}` });
    this.texts.set(uri.toString(), text);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), languageId);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.texts.clear();
  }
}
