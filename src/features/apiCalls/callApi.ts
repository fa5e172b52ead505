import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { formatApiResponse, retryNote, sendRenewingOnce } from '../../core/apiRequests/apiCall';
import { JSON_MEDIA_TYPE } from '../../core/apiRequests/fortellisHeaders';
import type { Log } from '../../platform/log';
import type { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import type { Settings } from '../../platform/settings/settings';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';
import type { RequestPrompts } from '../../platform/requests/requestPrompts';
import { pickSubscriptionId } from '../../platform/requests/subscriptionPicker';

const TITLE = 'Call API';

/**
 * "Fortellis: Call API…": sends a request with a fresh token and the Fortellis headers, and shows the response in a
 * read-only editor, with a hint when the gateway answered with one of its error codes.
 */
export class CallApi {
  constructor(
    private readonly acquire: AcquireToken,
    private readonly tokens: TokenLifecycle,
    private readonly prompts: RequestPrompts,
    private readonly documents: ReadOnlyDocuments,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  async run(): Promise<void> {
    const acquired = await this.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const environment = this.tokens.environment(profile);
    const editor = vscode.window.activeTextEditor;
    const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
    const draft = await this.prompts.ask(TITLE, profile, environment, selection);
    if (!draft) {
      return;
    }
    const subscriptionId = await pickSubscriptionId(`${TITLE} · Subscription-Id`, profile, environment, token.accessToken, this.settings.http(), this.log);
    if (subscriptionId === undefined) {
      return;
    }
    try {
      // The prompts may have taken a while: the token may have been renewed meanwhile.
      const fresh = await this.tokens.appToken(profile);
      const request = {
        method: draft.method,
        url: draft.url,
        token: fresh.accessToken,
        subscriptionId,
        requestId: randomUUID(),
        body: draft.body,
        contentType: draft.body === undefined ? undefined : JSON_MEDIA_TYPE,
      };
      const renew = async () => (await this.tokens.renewAppToken(profile)).accessToken;
      const {
        response,
        retried,
        request: sent,
      } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fortellis: ${draft.method} ${draft.url}…` }, () =>
        sendRenewingOnce(request, renew, randomUUID, this.settings.http()),
      );
      if (retried) {
        this.log.info(retryNote(retried));
        void this.log.showInformation(`Fortellis Call API: ${retryNote(retried)}`);
      }
      this.log.info(
        `${draft.method} ${draft.url} (profile "${profile.name}", Subscription-Id ${subscriptionId}) → ${response.status} in ${response.elapsedMs} ms, Request-Id ${response.requestId}${response.gatewayError ? `, ${response.gatewayError.code}` : ''}`,
      );
      await this.documents.show(
        `${draft.method} ${response.status} ${new URL(draft.url).pathname.split('/').filter(Boolean).pop() ?? 'response'}`,
        formatApiResponse(sent, response, retried),
        'plaintext',
      );
      if (response.gatewayError) {
        void this.log.showWarning(`Fortellis gateway: ${response.gatewayError.code}. ${response.gatewayError.hint}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${draft.method} ${draft.url} failed: ${message}`);
      void this.log.showError(`Fortellis Call API: ${message}`, 'Show Log').then((choice) => choice && this.log.show());
    }
  }
}
