import * as vscode from 'vscode';
import type { ApiRequest } from '../../core/apiRequests/apiCall';
import { curlCommand, type CurlRequest, curlRequestOf } from '../../core/specs/copyAsCurl';
import { COMMANDS, READ_ONLY_SCHEME, RESPONSE_SCHEME } from '../commandIds';
import type { Log } from '../log';

/**
 * The request behind each response view (Call API, a spec's Call, Send with Fortellis token, the history's Send
 * Again), for Copy as curl: a "Copy as curl" code lens on the view, and the command. The request is kept without its
 * token, and forgotten when the view closes.
 */
export class ResponseRequests implements vscode.Disposable {
  private readonly requests = new Map<string, CurlRequest>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: Log) {
    this.subscriptions = [
      this.changed,
      vscode.languages.registerCodeLensProvider([{ scheme: READ_ONLY_SCHEME }, { scheme: RESPONSE_SCHEME }], {
        onDidChangeCodeLenses: this.changed.event,
        provideCodeLenses: (document) =>
          this.requests.has(document.uri.toString())
            ? [
                new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
                  title: '$(copy) Copy as curl',
                  tooltip: 'The request as a curl command, the token read from the file $FORTELLIS_TOKEN_FILE names, else $FORTELLIS_TOKEN',
                  command: COMMANDS.copyAsCurl,
                  arguments: [document.uri],
                }),
              ]
            : [],
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.requests.delete(document.uri.toString())),
    ];
  }

  /** `document` shows the answer to `request`. */
  remember(document: vscode.TextDocument, request: ApiRequest): void {
    this.requests.set(document.uri.toString(), curlRequestOf(request));
    this.changed.fire();
  }

  /** Copy as curl: the request behind the response view `uri` (by default the active editor's) on the clipboard. */
  async copyAsCurl(uri?: unknown): Promise<void> {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const request = target && this.requests.get(target.toString());
    if (!request) {
      void this.log.showWarning(
        "Fortellis: Copy as curl works on the response of a request Fortellis Auth sent (Call API, a spec's Call, Send with Fortellis token).",
      );
      return;
    }
    await vscode.env.clipboard.writeText(curlCommand(request));
    void this.log.showInformation(
      'Fortellis: the request is on the clipboard as a curl command; it reads the token from the file $FORTELLIS_TOKEN_FILE names (kept fresh), else from $FORTELLIS_TOKEN.',
    );
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.requests.clear();
  }
}
