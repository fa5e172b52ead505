import type * as vscode from 'vscode';
import type { RenewedCall } from '../../core/apiRequests/apiCall';
import { type HistoryEntry, historyEntry, parseHistory, withEntry } from '../../core/apiRequests/requestHistory';
import type { Redactor } from '../../core/text/redaction';

const HISTORY_KEY = 'fortellis.requestHistory';

/** The request history in VS Code's global state: per user, in every window and workspace; never a token. */
export class RequestHistoryStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly redactor: Redactor,
  ) {}

  entries(): HistoryEntry[] {
    return parseHistory(this.state.get<unknown>(HISTORY_KEY, []));
  }

  async add(label: string, profileName: string, sent: RenewedCall): Promise<void> {
    const entry = historyEntry(label, profileName, sent, Date.now(), (text) => this.redactor.redact(text));
    await this.state.update(HISTORY_KEY, withEntry(this.entries(), entry));
  }

  async clear(): Promise<void> {
    await this.state.update(HISTORY_KEY, undefined);
  }
}
