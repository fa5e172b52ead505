import * as vscode from 'vscode';
import { HTTP_LANGUAGE_ID } from '../../platform/commandIds';
import { draftOf, type HistoryEntry } from '../../core/apiRequests/requestHistory';
import { renderRequestSnippet } from '../../core/snippets/renderSnippet';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { Log } from '../../platform/log';
import type { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import type { CommandHandler } from '../../platform/registerCommands';
import { ApiRequestPipeline, type PipelineParts } from '../../platform/requests/apiRequestPipeline';
import type { RequestHistoryStore } from '../../platform/requests/requestHistoryStore';
import type { TokenDestinationPrompt } from '../../platform/requests/tokenDestinationPrompt';
import type { Settings } from '../../platform/settings/settings';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';

export type HistoryCommand = 'showRequestHistory' | 'clearRequestHistory';

const TITLE = 'Request History';

/**
 * "Fortellis: Request History…": the last requests sent by Call API, a spec's Call and Send (never a token), to send
 * again with a fresh token and a new Request-Id, to open the response as it was shown, or to save as a .http file; and
 * "Clear Request History".
 */
export class RequestHistoryCommands {
  private readonly pipeline: ApiRequestPipeline;

  constructor(
    private readonly acquire: AcquireToken,
    tokens: TokenLifecycle,
    private readonly history: RequestHistoryStore,
    private readonly documents: ReadOnlyDocuments,
    private readonly destinations: TokenDestinationPrompt,
    settings: Settings,
    private readonly log: Log,
    { choice, responses }: Pick<PipelineParts, 'choice' | 'responses'>,
  ) {
    this.pipeline = new ApiRequestPipeline({ tokens, settings, log, history, choice, responses });
  }

  handlers(): Record<HistoryCommand, CommandHandler> {
    return {
      showRequestHistory: () => this.show(),
      clearRequestHistory: () => this.clear(),
    };
  }

  private async show(): Promise<void> {
    const entries = this.history.entries();
    if (entries.length === 0) {
      void this.log.showInformation('No request in the history yet: "Fortellis: Call API…" and the Call of an API spec keep theirs here.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({
        label: `${entry.method} ${entry.url}`,
        description: `${entry.status} · ${entry.elapsedMs} ms · ${entry.profile}`,
        detail: `${new Date(entry.at).toLocaleString()} · ${entry.label} · Subscription-Id ${entry.subscriptionId || '(none)'} · Request-Id ${entry.requestId}`,
        entry,
      })),
      { title: `Fortellis: ${TITLE}`, placeHolder: 'A request to send again or save as .http', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) {
      return;
    }
    const action = await vscode.window.showQuickPick(
      [
        { label: '$(play) Send Again', detail: 'with a fresh token of the active profile and a new Request-Id', id: 'send' as const },
        ...(picked.entry.response
          ? [{ label: '$(eye) Open Response', detail: `the ${picked.entry.status} answer as it was shown then`, id: 'open' as const }]
          : []),
        { label: '$(save) Save as .http', detail: 'the request in a new .http file, the token read from the .env beside it', id: 'save' as const },
      ],
      { title: `${picked.entry.method} ${picked.entry.url}` },
    );
    if (action?.id === 'send') {
      await this.sendAgain(picked.entry);
    } else if (action?.id === 'open') {
      await this.openResponse(picked.entry);
    } else if (action?.id === 'save') {
      await this.saveAsHttp(picked.entry);
    }
  }

  private async sendAgain(entry: HistoryEntry): Promise<void> {
    if (entry.bodyLeftOut) {
      void this.log.showWarning('The body of this request was too long to keep in the history: it cannot be sent again from here.');
      return;
    }
    const acquired = await this.acquire();
    if (!acquired) {
      return;
    }
    const [profile] = acquired;
    const call = { label: TITLE, profile, draft: draftOf(entry), subscriptionId: entry.subscriptionId };
    // The URL was entered for the profile it was sent as: the active profile's token leaves its API base only if you say so.
    if (await this.pipeline.confirm(this.destinations, call)) {
      await this.pipeline.sendAndShow(call, { documents: this.documents, notifyRetry: true });
    }
  }

  private async openResponse(entry: HistoryEntry): Promise<void> {
    const text = await this.history.response(entry);
    if (text === undefined || !entry.response) {
      void this.log.showWarning('The response of this request is no longer kept: send it again to see a new one.');
      return;
    }
    const lastPart = entry.url.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'response';
    await this.documents.show(`${entry.method} ${entry.status} ${lastPart} (${new Date(entry.at).toLocaleTimeString()})`, text, entry.response.languageId);
  }

  private async saveAsHttp(entry: HistoryEntry): Promise<void> {
    const text = renderRequestSnippet('http', { ...draftOf(entry), subscriptionId: entry.subscriptionId, token: { from: 'environment' } });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: HTTP_LANGUAGE_ID, content: text }));
  }

  private async clear(): Promise<void> {
    const count = this.history.entries().length;
    if (count === 0) {
      void this.log.showInformation('The Fortellis request history is empty.');
      return;
    }
    if (await this.log.confirm(`Clear the Fortellis request history?`, `${count} request${count === 1 ? '' : 's'} will be forgotten.`, 'Clear')) {
      await this.history.clear();
      void this.log.showInformation('Cleared the Fortellis request history.');
    }
  }
}
