/**
 * What .http files get from Fortellis Auth in the editor: a "Send with Fortellis token" code lens on every request line,
 * and the JSON bodies checked as the user types (a warning at the line where the JSON breaks). The reading rules are
 * in src/core/httpFiles; sending is Send Request with Fortellis Token (httpFileSend.ts).
 */
import * as vscode from 'vscode';
import { jsonBodyProblems, requestLines } from '../../core/httpFiles/httpFileRequests';
import { COMMANDS, HTTP_LANGUAGE_ID } from '../../platform/commandIds';

/** Larger files get neither lenses nor checks: reading them would hold the extension host up. */
const MAX_CHECKED_CHARS = 2 * 1024 * 1024;
const CHECK_DELAY_MS = 300;

export function registerHttpFileLenses(): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('fortellis-http');
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const readable = (document: vscode.TextDocument) => document.languageId === HTTP_LANGUAGE_ID && document.getText().length <= MAX_CHECKED_CHARS;
  const check = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    if (!readable(document)) {
      diagnostics.delete(document.uri);
      return;
    }
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        if (!document.isClosed) {
          diagnostics.set(
            document.uri,
            jsonBodyProblems(document.getText()).map((problem) => {
              const diagnostic = new vscode.Diagnostic(document.lineAt(problem.line).range, problem.message, vscode.DiagnosticSeverity.Warning);
              diagnostic.source = 'Fortellis';
              return diagnostic;
            }),
          );
        }
      }, CHECK_DELAY_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    diagnostics,
    vscode.languages.registerCodeLensProvider(
      { language: HTTP_LANGUAGE_ID },
      {
        provideCodeLenses: (document) =>
          readable(document)
            ? requestLines(document.getText()).map(
                (line) =>
                  new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
                    title: '$(play) Send with Fortellis token',
                    tooltip: "Sends this request with the active profile's token, a new Request-Id and its Subscription-Id",
                    command: COMMANDS.sendHttpRequest,
                    arguments: [document.uri, line],
                  }),
              )
            : [],
      },
    ),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(pending.get(document.uri.toString()));
      diagnostics.delete(document.uri);
    }),
    { dispose: () => pending.forEach((timer) => clearTimeout(timer)) },
  );
}
