import * as vscode from 'vscode';
import { type RenewedCall, retryNote } from '../../core/apiRequests/apiCall';
import { type RenewHooks, type RequestDraft, sendDraft, sentCallLogLine } from '../../core/apiRequests/apiRequestSteps';
import type { DestinationQuestion } from '../../core/apiRequests/tokenDestinations';
import type { HttpOptions } from '../../core/http/limitedFetch';
import { StepFailure } from '../../core/failures';
import { messageOf } from '../../core/text/errorMessage';
import { responseBody, responseView } from '../../core/apiRequests/responseView';
import type { Profile } from '../../core/profiles/profiles';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { renewedTokenOf, tokenOf, type TokenSubject } from '../../core/tokens/tokenSubject';
import type { TokenChoice } from '../tokenChoice';
import type { Log } from '../log';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { Settings } from '../settings/settings';
import type { RequestHistoryStore } from './requestHistoryStore';
import type { ResponseRequests } from './responseRequests';
import type { TokenDestinationPrompt } from './tokenDestinationPrompt';

export interface PipelineParts {
  tokens: TokenLifecycle;
  settings: Settings;
  log: Log;
  /** Where the commands' requests are kept (the agent tools' are not). */
  history?: RequestHistoryStore;
  /** Which token the profile's requests use (Choose Token…); without it, the app's. */
  choice?: TokenChoice;
  /** The request behind each response view, for Copy as curl (the agent tools show none). */
  responses?: ResponseRequests;
}

/** One request: what to send, as which profile, with which Subscription-Id ('' sends none). */
export interface PipelineCall {
  /** Who sends it, first in its log lines and in the messages: "Call API", "Call GET /orders", "Agent tool …". */
  readonly label: string;
  readonly profile: Profile;
  readonly draft: RequestDraft;
  readonly subscriptionId: string;
}

/** How an answer is shown. */
export interface ResponseDocument {
  readonly title: string;
  readonly text: string;
  readonly languageId: string;
  /** Ends the log line (a spec's response check). */
  readonly verdict?: string;
}

export interface ShowSteps {
  readonly documents: ReadOnlyDocuments;
  /** The document of the answer; by default the one response view (responseDocument). */
  view?(sent: RenewedCall): ResponseDocument | Promise<ResponseDocument>;
  /** A renewed token is told in a notification too, not only in the log and the document. */
  readonly notifyRetry?: boolean;
}

/**
 * The one path a request with the profile's token takes, step by step: confirm the destination, send with the token
 * renewed once if the gateway refuses it, log, show with the gateway's hint. Call API and a spec's Call run all of it
 * (sendAndShow); call_api runs its steps without a document and returns text (confirm, sendAndLog).
 */
export class ApiRequestPipeline {
  constructor(private readonly parts: PipelineParts) {}

  /**
   * Confirm: true when the token may go to the draft's URL, asked in `destinations`' modal (by default: about a host
   * outside the profile's API base); else logged as not sent.
   */
  async confirm(
    destinations: TokenDestinationPrompt,
    { label, profile, draft }: Pick<PipelineCall, 'label' | 'profile' | 'draft'>,
    question?: (allowedHosts: ReadonlySet<string>) => DestinationQuestion | undefined,
  ): Promise<boolean> {
    const confirmed = await (question
      ? destinations.confirm(question)
      : destinations.mayReceiveToken(draft.url, profile, this.parts.settings.environment(profile)));
    if (!confirmed) {
      this.parts.log.info(`${label}: not sent, ${draft.method} ${draft.url} was not confirmed.`);
    }
    return confirmed;
  }

  /** Send and log, nothing shown: what the agent tools turn into text. Throws what the send throws. */
  async sendAndLog(call: PipelineCall, token: string, http: HttpOptions, hooks?: RenewHooks): Promise<RenewedCall> {
    const sent = await this.send(call, token, http, hooks);
    this.parts.log.info(sentCallLogLine(call.label, call.profile.name, sent));
    return sent;
  }

  /**
   * The commands' path: a fresh token, the send under a progress notification, the log line, the answer in a read-only
   * editor and the gateway's hint as a warning. A failure throws a StepFailure, which the failure funnel logs with the
   * request and shows with Show Log.
   */
  async sendAndShow(call: PipelineCall, show: ShowSteps): Promise<void> {
    const { label, profile, draft } = call;
    const { log } = this.parts;
    try {
      // The prompts may have taken a while: the token may have been renewed meanwhile.
      const fresh = await tokenOf(this.parts.tokens, profile, this.subjectOf(profile));
      const sent = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fortellis: ${draft.method} ${draft.url}…` }, () =>
        this.send(call, fresh.accessToken, this.parts.settings.http()),
      );
      if (sent.retried && show.notifyRetry) {
        void log.showInformation(`Fortellis ${label}: ${retryNote(sent.retried)}`);
      }
      const document = await (show.view ?? responseDocument)(sent);
      log.info(sentCallLogLine(label, profile.name, sent, document.verdict));
      const editor = await show.documents.show(document.title, document.text, document.languageId);
      this.parts.responses?.remember(editor.document, sent.request);
      // The request went out: a history that cannot be written (a full disk) is logged, never reported as a failed send.
      await this.parts.history
        ?.add(label, profile.name, sent, document)
        .catch((error: unknown) => log.warn(`${label}: not kept in the request history: ${messageOf(error)}`));
      const { gatewayError } = sent.response;
      if (gatewayError) {
        void log.showWarning(`Fortellis gateway: ${gatewayError.code}. ${gatewayError.hint}`);
      }
    } catch (error) {
      throw new StepFailure(label, `${draft.method} ${draft.url}`, error);
    }
  }

  private subjectOf(profile: Profile): TokenSubject {
    return this.parts.choice?.subjectOf(profile) ?? 'app';
  }

  /** Build and send, the token renewed once if the gateway refuses it; a retry is logged. */
  private async send(call: PipelineCall, token: string, http: HttpOptions, hooks?: RenewHooks): Promise<RenewedCall> {
    const renew = async (): Promise<string> => (await renewedTokenOf(this.parts.tokens, call.profile, this.subjectOf(call.profile))).accessToken;
    const sent = await sendDraft(call.draft, token, call.subscriptionId, renew, http, hooks);
    if (sent.retried) {
      this.parts.log.info(retryNote(sent.retried));
    }
    return sent;
  }
}

/** The answer in the one response view (JSON with comments when the body is JSON), titled by the method, the status and the path's last part. */
export function responseDocument({ request, response, retried }: RenewedCall): ResponseDocument {
  const lastPart = new URL(request.url).pathname.split('/').filter(Boolean).pop() ?? 'response';
  const view = responseView(request, response, responseBody(response.bodyText, response.truncated), { retried });
  return { title: `${request.method} ${response.status} ${lastPart}`, text: view.text, languageId: view.languageId };
}
