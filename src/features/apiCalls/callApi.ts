import * as vscode from 'vscode';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { Log } from '../../platform/log';
import type { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import { ApiRequestPipeline, type PipelineParts } from '../../platform/requests/apiRequestPipeline';
import type { RequestPrompts } from '../../platform/requests/requestPrompts';
import { pickSubscriptionId } from '../../platform/requests/subscriptionPicker';
import type { Settings } from '../../platform/settings/settings';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';

const TITLE = 'Call API';

/**
 * "Fortellis: Call API…": asks for a request (its host confirmed there, see RequestPrompts) and a Subscription-Id, then
 * sends it through the request pipeline, which shows the answer in a read-only editor.
 */
export class CallApi {
  private readonly pipeline: ApiRequestPipeline;

  constructor(
    private readonly acquire: AcquireToken,
    tokens: TokenLifecycle,
    private readonly prompts: RequestPrompts,
    private readonly documents: ReadOnlyDocuments,
    private readonly settings: Settings,
    private readonly log: Log,
    use: Pick<PipelineParts, 'history' | 'choice' | 'responses'>,
  ) {
    this.pipeline = new ApiRequestPipeline({ tokens, settings, log, ...use });
  }

  async run(): Promise<void> {
    const acquired = await this.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const environment = this.settings.environment(profile);
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
    await this.pipeline.sendAndShow({ label: TITLE, profile, draft, subscriptionId }, { documents: this.documents, notifyRetry: true });
  }
}
