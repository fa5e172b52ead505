import * as vscode from 'vscode';

/** Every URI VS Code hands the extension (<uriScheme>://fortellis-auth.fortellis-auth/…), as an event. */
export class UriEventHandler extends vscode.EventEmitter<vscode.Uri> implements vscode.UriHandler {
  handleUri(uri: vscode.Uri): void {
    this.fire(uri);
  }
}
