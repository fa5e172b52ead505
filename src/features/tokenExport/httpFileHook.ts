import * as vscode from 'vscode';
import { HTTP_LANGUAGE_ID } from '../../platform/commandIds';

/**
 * What activation registers for .http files: a listener for http documents opened or saved, which hands each to
 * `consider` (in the commands' bundle, loaded then). Other documents cost nothing.
 */
export function registerHttpFileHook(consider: (document: vscode.TextDocument) => void): vscode.Disposable {
  const look = (document: vscode.TextDocument): void => {
    if (document.languageId === HTTP_LANGUAGE_ID && document.uri.scheme === 'file') {
      consider(document);
    }
  };
  vscode.workspace.textDocuments.forEach(look);
  return vscode.Disposable.from(vscode.workspace.onDidOpenTextDocument(look), vscode.workspace.onDidSaveTextDocument(look));
}
