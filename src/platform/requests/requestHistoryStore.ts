import type * as vscode from 'vscode';
import type { RenewedCall } from '../../core/apiRequests/apiCall';
import { type HistoryEntry, historyEntry, parseHistory, withEntry } from '../../core/apiRequests/requestHistory';
import type { ResponseArchive } from '../../core/apiRequests/responseArchive';
import type { Redactor } from '../../core/text/redaction';

const HISTORY_KEY = 'fortellis.requestHistory';

/**
 * The request history in VS Code's global state: per user, in every window and workspace; never a token. Each entry's
 * response view is kept in the response archive (the extension's own storage), without tokens or secrets, and goes
 * with its entry.
 */
export class RequestHistoryStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly redactor: Redactor,
    private readonly archive: ResponseArchive,
  ) {}

  entries(): HistoryEntry[] {
    return parseHistory(this.state.get<unknown>(HISTORY_KEY, []));
  }

  /** Keeps the request and, when given, the response view it was shown in. */
  async add(label: string, profileName: string, sent: RenewedCall, view?: { readonly text: string; readonly languageId: string }): Promise<void> {
    // historyEntry takes the request's token out itself; the view is the answer, which may echo the token too.
    const redact = (text: string) => this.redactor.redact(text);
    const entry = historyEntry(label, profileName, sent, Date.now(), redact);
    const token = sent.request.token;
    const response = view && {
      file: await this.archive.save(redact(token ? view.text.split(token).join('[redacted]') : view.text)),
      languageId: view.languageId,
    };
    const kept = withEntry(this.entries(), { ...entry, ...(response && { response }) });
    await this.state.update(HISTORY_KEY, kept);
    await this.archive.keepOnly(new Set(kept.flatMap((each) => (each.response ? [each.response.file] : []))));
  }

  /** The response view kept for `entry`, or undefined when there is none (any more). */
  async response(entry: HistoryEntry): Promise<string | undefined> {
    return entry.response && this.archive.read(entry.response.file);
  }

  async clear(): Promise<void> {
    await this.state.update(HISTORY_KEY, undefined);
    await this.archive.keepOnly(new Set(), 0);
  }
}
