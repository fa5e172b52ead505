import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { draftAt } from '../../core/httpFiles/httpFileDraft';
import { newRequestText } from '../../core/httpFiles/newRequestTemplate';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { COMMANDS, HTTP_LANGUAGE_ID } from '../../platform/commandIds';
import type { Log } from '../../platform/log';
import type { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import { ApiRequestPipeline, type PipelineParts } from '../../platform/requests/apiRequestPipeline';
import type { TokenDestinationPrompt } from '../../platform/requests/tokenDestinationPrompt';
import type { Settings } from '../../platform/settings/settings';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';

const TITLE = 'Send Request';

/**
 * "New Request…" opens a request in an editor (a .http document under the profile's API base); "Send Request with
 * Fortellis Token" (its code lens, or the palette at the cursor) sends the request of a .http file through the request
 * pipeline: the profile's chosen token, a new Request-Id, the destination confirmed, the answer in the response view,
 * and the request kept in the history. A line the reader does not understand is named, and nothing is sent.
 */
export class HttpFileSend {
  private readonly pipeline: ApiRequestPipeline;

  constructor(
    private readonly acquire: AcquireToken,
    tokens: TokenLifecycle,
    private readonly documents: ReadOnlyDocuments,
    private readonly destinations: TokenDestinationPrompt,
    private readonly settings: Settings,
    private readonly log: Log,
    use: Pick<PipelineParts, 'history' | 'choice' | 'responses'>,
  ) {
    this.pipeline = new ApiRequestPipeline({ tokens, settings, log, ...use });
  }

  async newRequest(): Promise<void> {
    // No profile yet: the same first steps as any request (the profile wizard), then the editor.
    const profile = this.settings.activeProfile() ?? (await this.acquire())?.[0];
    if (!profile) {
      return;
    }
    const { apiBaseUrl } = this.settings.environment(profile);
    const document = await vscode.workspace.openTextDocument({
      language: HTTP_LANGUAGE_ID,
      content: newRequestText({ profileName: profile.name, apiBaseUrl, subscriptionId: profile.subscriptionId }),
    });
    // The cursor after the path's last slash: where the user types the API's path.
    const requestLine = document
      .getText()
      .split('\n')
      .findIndex((line) => line.startsWith('POST '));
    const end = new vscode.Position(requestLine, document.lineAt(requestLine).text.length);
    await vscode.window.showTextDocument(document, { selection: new vscode.Selection(end, end) });
  }

  /** `uri` and `line` come from a code lens; from the palette, the active editor's request at the cursor. */
  async send(uri?: unknown, line?: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document || document.languageId !== HTTP_LANGUAGE_ID) {
      void this.log.showWarning('Fortellis: open a .http file and put the cursor in a request, then send it.', 'New Request').then((choice) => {
        if (choice) {
          void vscode.commands.executeCommand(COMMANDS.newRequest);
        }
      });
      return;
    }
    const at = typeof line === 'number' ? line : (editor?.selection.active.line ?? 0);
    const acquired = await this.acquire();
    if (!acquired) {
      return;
    }
    const [profile] = acquired;
    const environment = this.settings.environment(profile);
    const values = { newUuid: randomUUID, now: Date.now, subscriptionId: profile.subscriptionId ?? '' };
    const drafted = draftAt(document.getText(), at, values, environment.apiBaseUrl);
    if (!drafted.ok) {
      const { line: problemLine, message } = drafted.problem;
      this.log.warn(`${TITLE}: not sent, line ${problemLine + 1} of ${document.uri.toString()}: ${message}`);
      const go = await this.log.showWarning(`Fortellis: not sent. Line ${problemLine + 1} of ${basename(document.uri.path)}: ${message}`, 'Go to Line');
      if (go) {
        const position = new vscode.Position(problemLine, 0);
        await vscode.window.showTextDocument(document, { selection: new vscode.Selection(position, position) });
      }
      return;
    }
    const call = { label: TITLE, profile, draft: drafted.draft, subscriptionId: drafted.subscriptionId ?? profile.subscriptionId ?? '' };
    if (!(await this.pipeline.confirm(this.destinations, call))) {
      return;
    }
    await this.pipeline.sendAndShow(call, { documents: this.documents, notifyRetry: true });
  }
}
