import * as vscode from 'vscode';
import type { Log } from '../../platform/log';

/** A URI VS Code handed the extension; a sign-in waiting for it claims it. */
export interface ReceivedUri {
  readonly uri: vscode.Uri;
  claim(): void;
}

/**
 * Every URI VS Code hands the extension (<uriScheme>://fortellis-auth.fortellis-auth/…), as an event. One that no
 * sign-in in progress claims (forged, stale, replayed) changes nothing, and the log says so.
 */
export class UriEventHandler extends vscode.EventEmitter<ReceivedUri> implements vscode.UriHandler {
  constructor(private readonly log: Log) {
    super();
  }

  handleUri(uri: vscode.Uri): void {
    let claimed = false;
    this.fire({ uri, claim: () => (claimed = true) });
    if (!claimed) {
      // The path only: the query of a callback carries a code.
      this.log.warn(`Ignored a link to ${uri.path}: it answers no sign-in in progress (an old, replayed or forged link). Nothing changed.`);
    }
  }
}
